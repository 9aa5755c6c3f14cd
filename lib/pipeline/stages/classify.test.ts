import { describe, expect, it } from "vitest";
import type { Answer } from "@/lib/samples/types";
import type { PipelineSample, Verdict } from "../types";
import { classifyAnswer, classifyRule, classifyStage, isTextSample } from "./classify";

const sample = (answer: Answer | null): PipelineSample => ({ query: "Weather in Lyon?", tools: [{ name: "get_weather" }], answer, cot: null });
const rulesOnly = { judge: null, modelFor: () => "m" };

describe("stage 1 rule", () => {
  it("classifies a non-empty call list as calls", () => {
    const answer: Answer = { kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Lyon" } }, { name: "get_weather", arguments: {} }] };
    expect(classifyAnswer(answer)).toEqual({ kind: "calls", calls: answer.calls });
    expect(classifyRule(sample(answer))).toEqual({
      stage: 1,
      outcome: "pass",
      reason: "The reference answer is a list of 2 calls (get_weather).",
      evidence: { kind: "calls", callCount: 2 },
      decidedBy: "rule:classify",
    });
  });

  it("passes plain text as a text sample (never a fail)", () => {
    const verdict = classifyRule(sample({ kind: "text", text: "I cannot check the weather without a city." }));
    expect(verdict).toMatchObject({ outcome: "pass", evidence: { kind: "text" }, decidedBy: "rule:classify" });
    expect(isTextSample([verdict!])).toBe(true);
    // Text that merely mentions a call is still text.
    expect(classifyAnswer({ kind: "text", text: "Call get_weather(city='Lyon') yourself." })).toEqual({ kind: "text" });
  });

  it("leaves empty call lists and text that parses as a call list to the judge", () => {
    expect(classifyAnswer({ kind: "calls", calls: [] })).toEqual({ kind: "ambiguous", why: "the answer is an empty call list", answerText: "[]" });
    expect(classifyAnswer({ kind: "text", text: "[get_weather(city='Lyon')]" })).toEqual({
      kind: "ambiguous",
      why: "the text answer parses as a call list",
      answerText: "[get_weather(city='Lyon')]",
      calls: [{ name: "get_weather", arguments: { city: "Lyon" } }],
    });
    expect(classifyAnswer({ kind: "text", text: '[{"name": "get_weather", "arguments": {}}]' })).toMatchObject({ kind: "ambiguous" });
    expect(classifyRule(sample({ kind: "calls", calls: [] }))).toBeNull();
  });

  it("cannot classify a missing or blank answer: error, without asking anyone", () => {
    expect(classifyAnswer(null)).toEqual({ kind: "missing" });
    expect(classifyAnswer({ kind: "text", text: "  \n" })).toEqual({ kind: "missing" });
    expect(classifyRule(sample(null))).toMatchObject({ outcome: "error", reason: "Cannot tell whether the answer is a call or text: the sample has no reference answer." });
  });

  it("as a stage without a judge: errors on what the rule cannot tell", async () => {
    const verdicts = await classifyStage.run(sample({ kind: "calls", calls: [] }), rulesOnly);
    expect(verdicts).toEqual([
      {
        stage: 1,
        outcome: "error",
        reason: "Cannot tell whether the answer is a call or text: the answer is an empty call list, and no judge is configured.",
        evidence: { kind: null, why: "the answer is an empty call list" },
        decidedBy: "rule:classify",
      },
    ]);
    expect(isTextSample(verdicts)).toBe(false);
  });

  it("isTextSample reads only a passing stage 1 verdict of kind text", () => {
    const v = (outcome: Verdict["outcome"], kind: unknown, stage: 1 | 2 = 1): Verdict => ({ stage, outcome, reason: "", evidence: { kind }, decidedBy: "x" });
    expect(isTextSample([v("pass", "text")])).toBe(true);
    expect(isTextSample([v("pass", "calls")])).toBe(false);
    expect(isTextSample([v("error", "text")])).toBe(false);
    expect(isTextSample([v("pass", "text", 2)])).toBe(false);
    expect(isTextSample([])).toBe(false);
  });
});
