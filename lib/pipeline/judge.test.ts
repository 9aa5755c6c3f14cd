// A stage judged by a panel (issue 13 §1), against the fake LLM through the real client: each member's vote is a
// verdict of its own (`llm:<model>`, memberOf the panel), the panel's verdict comes last (`panel:<name>`, the rule and
// the vote in its evidence) and is the stage's; a member that errors decides nothing.
import { describe, expect, it } from "vitest";
import type { PanelRule } from "@/lib/judges/panel-vote";
import { createLlmClient } from "@/lib/llm/client";
import type { Tool } from "@/lib/samples/types";
import { useFakeLlm } from "@/test/fake-llm";
import { functionParamsStage } from "./stages/function-params";
import { stageOutcome, type StageContext } from "./types";

const tools: Tool[] = [{ name: "get_weather", description: "Current weather for a city.", parameters: { city: { description: "The city.", type: "str" } } }];
const calls = [{ name: "get_weather", arguments: { city: "Lyon" } }];

const llm = useFakeLlm();

function context(rule: PanelRule, promptVersions: (number | undefined)[] = []): StageContext {
  const judge = createLlmClient({ baseURL: llm.url, model: "fake-judge", maxRetries: 0, backoffMs: 1 });
  const members = ["judge-a", "judge-b", "judge-c"].map((model, i) => ({ judge, model, promptVersion: promptVersions[i] }));
  return { judge, modelFor: () => "fake-judge", panelFor: (stage) => (stage === 4 ? { name: "trio", rule, members } : null) };
}

const judged = (query: string, ctx: StageContext) => functionParamsStage.run({ query, tools, answer: { kind: "calls", calls }, cot: "Lyon." }, ctx);

describe("a stage judged by a panel", () => {
  it("stores each member's vote and the panel's verdict; the panel decides the stage (majority: 2 of 3)", async () => {
    const verdicts = await judged("Weather in Lyon? [[fake:fail@model=judge-b]]", context("majority"));
    expect(verdicts.map((v) => [v.decidedBy, v.outcome, v.memberOf])).toEqual([
      ["rule:function-params", "pass", undefined],
      ["llm:judge-a", "pass", "trio"],
      ["llm:judge-b", "fail", "trio"],
      ["llm:judge-c", "pass", "trio"],
      ["panel:trio", "pass", undefined],
    ]);
    const panel = verdicts.at(-1)!;
    expect(panel.evidence).toMatchObject({ panel: "trio", rule: "majority", vote: "2 of 3 passed", passes: 2, fails: 1, errors: 0 });
    expect(panel.reason).toBe('Panel "trio": 2 of 3 passed, 2 needed (majority).');
    expect(stageOutcome(verdicts)).toBe("pass");
    // Each member's tokens are its own; the panel's verdict asked nobody.
    for (const member of verdicts.slice(1, 4)) expect(member.promptTokens).toBeGreaterThan(0);
    expect(panel.promptTokens).toBeUndefined();
  });

  it("all: one member's fail fails the stage, with that member's reason", async () => {
    const verdicts = await judged("Weather in Lyon? [[fake:fail@model=judge-b]]", context("all"));
    expect(stageOutcome(verdicts)).toBe("fail");
    expect(verdicts.at(-1)!.reason).toMatch(/^Panel "trio": 2 of 3 passed, 3 needed \(all\) — judge-b: Fake judge \(judge-values\.v2\): .*fails/);
  });

  it("a member that errors is neither a pass nor a fail: error unless the others decide", async () => {
    const query = "Weather in Lyon? [[fake:500@model=judge-c]]";
    const all = await judged(query, context("all"));
    expect(all.map((v) => v.outcome)).toEqual(["pass", "pass", "pass", "error", "error"]);
    expect(all.at(-1)!.reason).toMatch(/^Panel "trio" could not decide: 2 of 3 passed, 3 needed \(all\); 1 of 3 gave no verdict — judge-c: The judge gave no usable answer \(server_error/);
    expect(stageOutcome(all)).toBe("error");
    expect(stageOutcome(await judged(query, context("majority")))).toBe("pass");
    expect(stageOutcome(await judged(`${query} [[fake:fail@model=judge-a]]`, context("any")))).toBe("pass");
  });

  it("asks each member with its prompt version; a version that does not exist is that member's error", async () => {
    const verdicts = await judged("Weather in Lyon?", context("majority", [1, 7, undefined]));
    expect(verdicts.slice(1, 4).map((v) => [v.promptVersion, v.outcome])).toEqual([
      ["judge-values.v1", "pass"],
      ["judge-values.v7", "error"],
      ["judge-values.v2", "pass"],
    ]);
    expect(verdicts[2].reason).toBe("The judge was not asked: there is no prompt judge-values.v7.");
    expect(stageOutcome(verdicts)).toBe("pass");
  });
});
