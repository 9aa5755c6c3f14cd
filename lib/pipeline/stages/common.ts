// Small helpers the stage files share: building rule verdicts and the "not a call list" skip.
import type { ToolCall } from "@/lib/samples/types";
import type { Outcome, PipelineSample, StageId, Verdict } from "../types";

/** A verdict decided by rule `rule` (recorded as `rule:<rule>`). */
export function ruleVerdict(stage: StageId, rule: string, outcome: Outcome, reason: string, evidence: Record<string, unknown> = {}): Verdict {
  return { stage, outcome, reason, evidence, decidedBy: `rule:${rule}` };
}

/** The sample's calls, or null when its answer is text or missing. */
export function callsOf(sample: PipelineSample): ToolCall[] | null {
  return sample.answer?.kind === "calls" ? sample.answer.calls : null;
}

/**
 * Stages 2–5 look at calls only. The orchestrator does not run them on a text sample (stage 1), but a stage given
 * one anyway says so with `skip` instead of inventing a pass or a fail.
 */
export function skipNotCalls(stage: StageId, rule: string, sample: PipelineSample): Verdict {
  const what = sample.answer === null ? "the sample has no reference answer" : "the reference answer is plain text";
  return ruleVerdict(stage, rule, "skip", `Not checked: ${what}, not a call list.`, { kind: sample.answer?.kind ?? null });
}
