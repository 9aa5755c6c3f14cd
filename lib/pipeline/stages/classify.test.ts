import { describe, expect, it } from "vitest";
import type { Answer } from "@/lib/samples/types";
import type { PipelineSample, Verdict } from "../types";
import { classifyAnswer, classifyRule, classifyStage, isTextSample } from "./classify";

const tools = [{ name: "get_weather" }];
const sample = (answer: Answer | null): PipelineSample => ({ query: "Weather in Lyon?", tools, answer, cot: null });
const rulesOnly = { judge: null, modelFor: () => "m" };

describe("stage 1 rule", () => {
  it("classifies a non-empty call list as calls", () => {
    const answer: Answer = { kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Lyon" } }, { name: "get_weather", arguments: {} }] };
    expect(classifyAnswer(answer, tools)).toEqual({ kind: "calls", calls: answer.calls });
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
    // Text that names a tool without calling it is still text.
    expect(classifyAnswer({ kind: "text", text: "Ask me again with a city and I will use get_weather." }, tools)).toEqual({ kind: "text" });
  });

  it("reads text that contains a call as a call that does not parse: never a text sample", () => {
    const verdict = classifyRule(sample({ kind: "text", text: "Call get_weather(city='Lyon') yourself." }))!;
    expect(verdict).toEqual({
      stage: 1,
      outcome: "pass",
      reason: 'The reference answer is a call that does not parse as a call list: it has a call ("get_weather(" at character 5); stage 5 says what is wrong.',
      evidence: { kind: "calls", parses: false, sign: { form: "tool-call", at: 5, found: "get_weather(" } },
      decidedBy: "rule:classify",
    });
    expect(isTextSample([verdict])).toBe(false);
  });

  it("reads text that parses as a call list as calls, carrying them so they are stored as calls", () => {
    const calls = [{ name: "get_weather", arguments: { city: "Lyon" } }];
    expect(classifyRule(sample({ kind: "text", text: "[get_weather(city='Lyon')]" }))).toEqual({
      stage: 1,
      outcome: "pass",
      reason: "The reference answer is text that parses as a list of 1 call (get_weather): it is stored as calls.",
      evidence: { kind: "calls", callCount: 1, calls },
      decidedBy: "rule:classify",
    });
    expect(classifyAnswer({ kind: "text", text: '[{"name": "get_weather", "arguments": {"city": "Lyon"}}]' }, tools)).toEqual({ kind: "calls", calls });
  });

  it("leaves empty call lists to the judge", () => {
    expect(classifyAnswer({ kind: "calls", calls: [] }, tools)).toEqual({ kind: "ambiguous", why: "the answer is an empty call list", answerText: "[]" });
    expect(classifyAnswer({ kind: "text", text: "[]" }, tools)).toEqual({ kind: "ambiguous", why: "the answer is an empty call list", answerText: "[]", calls: [] });
    expect(classifyRule(sample({ kind: "calls", calls: [] }))).toBeNull();
  });

  it("cannot classify a missing or blank answer: error, without asking anyone", () => {
    expect(classifyAnswer(null, tools)).toEqual({ kind: "missing" });
    expect(classifyAnswer({ kind: "text", text: "  \n" }, tools)).toEqual({ kind: "missing" });
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
