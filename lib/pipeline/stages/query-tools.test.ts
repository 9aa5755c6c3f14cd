import { describe, expect, it } from "vitest";
import type { Tool } from "@/lib/samples/types";
import { queryToolsRule, queryToolsStage } from "./query-tools";

const tools: Tool[] = [{ name: "get_weather" }, { name: "get_time" }];

describe("stage 2 rule", () => {
  it("passes when every called function is among the tools", () => {
    expect(queryToolsRule([{ name: "get_weather", arguments: {} }, { name: "get_weather", arguments: {} }], tools)).toEqual({
      stage: 2,
      outcome: "pass",
      reason: "Every function the answer calls is among the tools.",
      evidence: { called: ["get_weather"], tools: ["get_weather", "get_time"] },
      decidedBy: "rule:tool-names",
    });
  });

  it("fails naming the missing functions", () => {
    const one = queryToolsRule([{ name: "get_weather", arguments: {} }, { name: "book_flight", arguments: {} }], tools);
    expect(one).toMatchObject({
      outcome: "fail",
      reason: "The answer calls book_flight, which is not among the tools (get_weather, get_time).",
      evidence: { missing: ["book_flight"] },
    });
    const two = queryToolsRule([{ name: "a", arguments: {} }, { name: "b", arguments: {} }, { name: "a", arguments: {} }], []);
    expect(two.reason).toBe("The answer calls a, b, which are not among the tools (none).");
  });

  it("is case-sensitive (a model must write the name exactly)", () => {
    expect(queryToolsRule([{ name: "Get_Weather", arguments: {} }], tools).outcome).toBe("fail");
  });

  it("as a stage: skips a sample without calls, and stops at the rule without a judge", async () => {
    const ctx = { judge: null, modelFor: () => "m" };
    expect((await queryToolsStage.run({ query: "q", tools, answer: null, cot: null }, ctx)).map((v) => [v.outcome, v.reason])).toEqual([
      ["skip", "Not checked: the sample has no reference answer, not a call list."],
    ]);
    const verdicts = await queryToolsStage.run({ query: "q", tools, answer: { kind: "calls", calls: [{ name: "get_time", arguments: {} }] }, cot: null }, ctx);
    expect(verdicts.map((v) => v.outcome)).toEqual(["pass"]);
  });
});
