// Small helpers the stage files share: building rule verdicts, the calls stages 2–5 check, and the "not a call
// list" skip.
import type { ToolCall } from "@/lib/samples/types";
import { classifyAnswer } from "../answer-kind";
import type { Outcome, PipelineSample, StageId, Verdict } from "../types";

/** A verdict decided by rule `rule` (recorded as `rule:<rule>`). */
export function ruleVerdict(stage: StageId, rule: string, outcome: Outcome, reason: string, evidence: Record<string, unknown> = {}): Verdict {
  return { stage, outcome, reason, evidence, decidedBy: `rule:${rule}` };
}

/**
 * The calls stages 2–5 check: the answer's, or a text answer's when it parses as a call list (stage 1 reads it as
 * calls, and the orchestrator stores it so); null when the answer is text, missing, or a call that does not parse.
 */
export function callsOf(sample: PipelineSample): ToolCall[] | null {
  if (sample.answer?.kind !== "text") return sample.answer?.calls ?? null;
  const found = classifyAnswer(sample.answer, sample.tools);
  return found.kind === "calls" ? found.calls : null;
}

/** True when stage 1 reads the answer as a call that does not parse as a call list (stage 5 fails it). */
export function isUnparsedCall(sample: PipelineSample): boolean {
  return sample.answer?.kind === "text" && classifyAnswer(sample.answer, sample.tools).kind === "malformed";
}

/**
 * Stages 2–5 look at calls only. The orchestrator does not run them on a text sample (stage 1), but a stage given
 * one anyway says so with `skip` instead of inventing a pass or a fail. A call answer that does not parse reaches
 * them: stages 2–4 cannot check calls they cannot read, and say so (stage 5 names what is wrong with it).
 */
export function skipNotCalls(stage: StageId, rule: string, sample: PipelineSample): Verdict {
  if (isUnparsedCall(sample)) {
    return ruleVerdict(stage, rule, "skip", "Not checked: the answer is a call that does not parse as a call list (stage 5 says what is wrong).", {
      kind: "calls",
      parses: false,
    });
  }
  const what = sample.answer === null ? "the sample has no reference answer" : "the reference answer is plain text";
  return ruleVerdict(stage, rule, "skip", `Not checked: ${what}, not a call list.`, { kind: sample.answer?.kind ?? null });
}
