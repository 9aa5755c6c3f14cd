// Stage 5, Format Identification: does the training text the sample becomes have the FunReason shape?
//
// The text is built exactly as the FunReason export writes the assistant turn (lib/formats/chat.ts), so what is
// checked here is what a model is trained on: one `<think>…</think>` block first, then a call list that parses
// (Python call syntax or the JSON list form), nothing after it. Rules only: a parser decides this exactly.
import { checkThinkThenAnswer, splitThinkAnswer } from "@/lib/llm/prompts";
import { assistantContent } from "@/lib/formats/chat";
import type { ToolCall } from "@/lib/samples/types";
import { parseCallList, renderCalls } from "../render";
import type { PipelineSample, Stage, Verdict } from "../types";
import { callsOf, ruleVerdict, skipNotCalls } from "./common";

const RULE = "format";

export type TrainingTextCheck = { ok: true; cot: string; calls: ToolCall[] } | { ok: false; problem: string };

/** The assistant turn a call sample trains on: `<think>{cot}</think>\n\n{calls in Python syntax}` (no think block without a CoT). */
export function trainingText(sample: Pick<PipelineSample, "cot"> & { calls: readonly ToolCall[] }): string {
  return assistantContent(sample.cot, renderCalls([...sample.calls]));
}

/**
 * Checks a raw assistant text (an imported chat turn, `studio check`, or trainingText's output): exactly one
 * non-empty `<think>…</think>`, first (leading whitespace aside); then a call list that parseCallList reads;
 * nothing after it.
 */
export function checkTrainingText(text: string): TrainingTextCheck {
  const shape = checkThinkThenAnswer(text);
  const parts = splitThinkAnswer(text);
  if (shape || !parts) return { ok: false, problem: shape ?? "the text is not a <think> block followed by an answer" };
  const parsed = parseCallList(parts.answer);
  if (!parsed.ok) return { ok: false, problem: `the call list after </think> does not parse: ${parsed.error}` };
  return { ok: true, cot: parts.cot, calls: parsed.calls };
}

/** Stage 5's verdict for a text (what the sample would be trained on). */
export function formatRule(text: string): Verdict {
  const checked = checkTrainingText(text);
  if (!checked.ok) return ruleVerdict(5, RULE, "fail", `The training text is malformed: ${checked.problem}.`, { problem: checked.problem, text });
  const n = checked.calls.length;
  return ruleVerdict(5, RULE, "pass", `The training text is one <think> block followed by a call list of ${n} call${n === 1 ? "" : "s"}.`, {
    calls: n,
  });
}

export const formatStage: Stage = {
  id: 5,
  name: "Format Identification",
  async run(sample) {
    const calls = callsOf(sample);
    if (!calls) return [skipNotCalls(5, RULE, sample)];
    return [formatRule(trainingText({ cot: sample.cot, calls }))];
  },
};
