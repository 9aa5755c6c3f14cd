import { describe, expect, it } from "vitest";
import { cotRule, cotStage } from "./cot";

const calls = [{ name: "get_weather", arguments: { city: "Lyon" } }, { name: "get_time", arguments: {} }];

describe("stage 3 rule", () => {
  it("fails without a chain of thought", () => {
    for (const cot of [null, "", "  \n "]) {
      expect(cotRule(cot, calls)).toEqual({
        stage: 3,
        outcome: "fail",
        reason: "The sample has no chain of thought.",
        evidence: { chars: 0 },
        decidedBy: "rule:cot-present",
      });
    }
  });

  it("passes a chain of thought, noting the called functions it never names (without failing on them)", () => {
    expect(cotRule(" The user wants Lyon's weather, so get_weather with city Lyon. ", calls)).toEqual({
      stage: 3,
      outcome: "pass",
      reason: "The sample has a chain of thought (61 characters).",
      evidence: { chars: 61, functionsNotMentioned: ["get_time"] },
      decidedBy: "rule:cot-present",
    });
  });

  it("as a stage without a judge: the rule verdict alone; a text sample is skipped", async () => {
    const ctx = { judge: null, modelFor: () => "m" };
    const tools = [{ name: "get_weather" }];
    expect((await cotStage.run({ query: "q", tools, answer: { kind: "calls", calls }, cot: "reasoning" }, ctx)).map((v) => v.outcome)).toEqual(["pass"]);
    expect((await cotStage.run({ query: "q", tools, answer: { kind: "calls", calls }, cot: null }, ctx)).map((v) => v.outcome)).toEqual(["fail"]);
    expect((await cotStage.run({ query: "q", tools, answer: { kind: "text", text: "no" }, cot: "r" }, ctx)).map((v) => v.outcome)).toEqual(["skip"]);
  });
});
