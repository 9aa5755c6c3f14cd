// Regeneration in the shared-prefix layout (shared.ts): the sample shows the rejected CoT and answer; the section
// "regenerate-answer" of the shared system text (shared-system.v1.ts) says what to do; why it was rejected (and a
// reviewer's instruction) come last, after the part every call about the sample shares.
import type { Answer } from "@/lib/samples/types";
import { defineSharedPrompt, type SampleInput } from "./shared";

export interface RegenerateAnswerInputV3 extends SampleInput {
  /** The rejected answer when it is text (a call answer is the sample's `calls`). */
  previousText?: string | null;
  /** Why it failed: one entry per failing verdict. */
  failures: { stage: number | string; reason: string }[];
  /** A reviewer's instruction (e.g. "use metric units"), followed unless it contradicts the query or the tools. */
  instruction?: string | null;
}

/** The sample's answer as this prompt's input: calls in the sample, a text answer after it. */
export function rejectedAnswer(answer: Answer | null): Pick<RegenerateAnswerInputV3, "calls" | "previousText"> {
  if (answer?.kind === "calls") return { calls: answer.calls };
  return { calls: null, previousText: answer?.kind === "text" ? answer.text : null };
}

export const regenerateAnswerV3 = defineSharedPrompt<RegenerateAnswerInputV3>(
  "regenerate-answer",
  3,
  "teacher",
  ({ previousText, failures, instruction }) => {
    const text = previousText?.trim() ? `The rejected answer was this text, not a call list:\n<answer>\n${previousText.trim()}\n</answer>\n\n` : "";
    const reasons = failures.map((f) => `- stage ${f.stage}: ${f.reason}`).join("\n") || "- (no reason recorded)";
    const asked = instruction?.trim() ? `\n\nthe reviewer's instruction:\n${instruction.trim()}` : "";
    return `${text}This chain of thought and answer were rejected. Why:\n${reasons}${asked}

Write the corrected reasoning in <think>…</think>, then the corrected call list.`;
  },
);
