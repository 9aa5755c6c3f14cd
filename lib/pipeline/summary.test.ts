import { describe, expect, it } from "vitest";
import type { AttemptVerdict } from "./run";
import { summarizeOutcome, stageOutcomesOf } from "./summary";

const v = (stage: AttemptVerdict["stage"], outcome: AttemptVerdict["outcome"], decidedBy: string, attempt = 1): AttemptVerdict => ({
  stage,
  outcome,
  reason: `${decidedBy} says ${outcome}`,
  evidence: {},
  decidedBy,
  attempt,
});

describe("stageOutcomesOf", () => {
  it("keeps each stage's latest attempt and combines a rule and a judge verdict of the same attempt", () => {
    const verdicts = [
      v(1, "pass", "rule:classify"),
      v(2, "pass", "rule:query-tools"),
      v(4, "fail", "rule:unknown-function"),
      v(3, "pass", "llm:judge", 2),
      v(4, "pass", "rule:params", 2),
      v(4, "fail", "llm:judge", 2),
    ];
    expect(stageOutcomesOf(verdicts)).toEqual(["1:pass", "2:pass", "3:pass", "4:fail"]);
  });

  it("in a conversation, takes each turn's latest attempt: a stage fails when any turn fails it, and each failing turn is named", () => {
    const turn = (n: number, verdict: AttemptVerdict): AttemptVerdict => ({ ...verdict, turn: n });
    const verdicts = [
      v(4, "pass", "rule:params"),
      turn(2, v(4, "fail", "rule:params")),
      turn(2, v(4, "pass", "rule:params", 2)),
      turn(3, v(4, "fail", "rule:params")),
      turn(3, v(5, "pass", "rule:format")),
    ];
    expect(stageOutcomesOf(verdicts, true)).toEqual(["4:fail", "5:pass", "turn3:fail"]);
    expect(stageOutcomesOf(verdicts.slice(0, 3), true)).toEqual(["4:pass"]);
  });
});

describe("summarizeOutcome", () => {
  it("names the failing rule of a discarded sample and its stage", () => {
    const s = summarizeOutcome({
      result: "discarded",
      reason: "Stage 4: unknown function",
      verdicts: [v(1, "pass", "rule:classify"), v(4, "fail", "rule:unknown-function")],
    });
    expect(s).toEqual({
      stageOutcomes: ["1:pass", "4:fail"],
      decidedBy: "rule",
      statusStage: 4,
      statusCode: "rule:unknown-function",
      statusReason: "Stage 4: unknown function",
    });
  });

  it("groups every LLM judge under one code, whatever the model", () => {
    const s = summarizeOutcome({ result: "discarded", reason: "r", verdicts: [v(3, "pass", "rule:cot"), v(3, "fail", "llm:qwen-72b")] });
    expect(s).toMatchObject({ decidedBy: "llm", statusStage: 3, statusCode: "llm" });
  });

  it("flags on the erroring verdict", () => {
    const s = summarizeOutcome({ result: "flagged", reason: "r", verdicts: [v(1, "pass", "rule:classify"), v(2, "error", "llm:m")] });
    expect(s).toMatchObject({ decidedBy: "llm", statusStage: 2, statusCode: "llm" });
  });

  it("says an LLM judge decided a pass when any judge passed a stage, though a rule stage came last", () => {
    const byJudges = summarizeOutcome({
      result: "passed",
      reason: "r",
      verdicts: [v(1, "pass", "rule:classify"), v(2, "pass", "llm:a"), v(3, "pass", "llm:b"), v(4, "pass", "llm:c"), v(5, "pass", "rule:format")],
    });
    expect(byJudges.decidedBy).toBe("llm");
    const byRules = summarizeOutcome({ result: "passed", reason: "r", verdicts: [v(1, "pass", "rule:classify"), v(5, "pass", "rule:format")] });
    expect(byRules.decidedBy).toBe("rule");
  });

  it("uses the outcome's own code when regeneration ran out or generation failed", () => {
    const exhausted = summarizeOutcome({
      result: "discarded",
      reason: "r",
      code: "regeneration-exhausted",
      verdicts: [v(4, "fail", "rule:params"), v(4, "fail", "rule:params", 2)],
    });
    // The last failure was a rule's: a rule decided the discard, whoever regenerated in between.
    expect(exhausted).toMatchObject({ decidedBy: "rule", statusStage: 4, statusCode: "regeneration-exhausted" });
    const judged = summarizeOutcome({ result: "discarded", reason: "r", code: "regeneration-exhausted", verdicts: [v(4, "fail", "rule:params"), v(4, "fail", "llm:m", 2)] });
    expect(judged).toMatchObject({ decidedBy: "llm", statusStage: 4 });
    const failed = summarizeOutcome({ result: "flagged", reason: "r", code: "generation-failed", verdicts: [] });
    expect(failed).toMatchObject({ decidedBy: "llm", statusStage: null, statusCode: "generation-failed" });
  });

  it("marks a sample that went through the hard-data pool, with how it left it", () => {
    const rescued = summarizeOutcome({ result: "passed", reason: "r", pool: "rescued", verdicts: [v(4, "fail", "rule:params"), v(4, "pass", "llm:m", 3)] });
    expect(rescued.stageOutcomes).toEqual(["4:pass", "pool:rescued"]);
    const dropped = summarizeOutcome({ result: "discarded", reason: "r", code: "hard-no-candidate", pool: "dropped", verdicts: [v(4, "fail", "llm:m", 2)] });
    expect(dropped).toMatchObject({ stageOutcomes: ["4:fail", "pool:dropped"], statusStage: 4, statusCode: "hard-no-candidate" });
  });

  it("leaves pending samples undecided and passed ones without a code", () => {
    expect(summarizeOutcome({ result: "pending", reason: "r", verdicts: [v(1, "pass", "rule:classify")] })).toMatchObject({
      decidedBy: null,
      statusCode: null,
    });
    expect(summarizeOutcome({ result: "passed", reason: "r", verdicts: [v(5, "pass", "llm:m")] })).toMatchObject({
      decidedBy: "llm",
      statusStage: null,
      statusCode: null,
    });
  });
});
