// Regeneration (stage 4 or 5 failed): a new reasoning and answer that fix the problems the verdicts named.
import type { Answer, Tool } from "@/lib/samples/types";
import { CALLS_LINES } from "../markers";
import { TEACHER_ANSWER_RULES, callsJson, checkThinkThenAnswer, definePrompt, queryAndTools } from "./common";

export interface RegenerateAnswerInput {
  query: string;
  tools: Tool[];
  /** The answer that failed (null when there was none). */
  previousAnswer: Answer | null;
  previousCot?: string | null;
  /** Why it failed: one entry per failing verdict. */
  failures: { stage: number | string; reason: string }[];
}

/** The rejected answer as the prompt shows it (v2 shows it the same way). */
export function renderAnswer(answer: Answer | null): string {
  if (answer === null) return "(none)";
  return answer.kind === "calls" ? callsJson(answer.calls) : answer.text;
}

export const regenerateAnswerV1 = definePrompt<RegenerateAnswerInput>(
  "regenerate-answer",
  1,
  "teacher",
  `You repair training data for a function-calling model. A sample's answer (the reasoning and the function calls for
a user query) was rejected by reviewers, who said why. Write a new reasoning and a new call list for the same query
and tools that fix every problem named, and keep what was right.

- Start again from the query: re-read which values the user gave; do not copy a wrong value from the rejected answer.
- Fix the named problems first (wrong or invented values, missing or unknown parameters, wrong types, wrong function,
  wrong number of calls, malformed output), then check the rest of the calls the same way.
- The reasoning must lead step by step to exactly the new calls; do not mention the rejected answer or the reviewers.

${TEACHER_ANSWER_RULES}`,
  ({ query, tools, previousAnswer, previousCot, failures }) => {
    const cot = previousCot?.trim() ? `\n\nrejected reasoning:\n<cot>\n${previousCot.trim()}\n</cot>` : "";
    const reasons = failures.map((f) => `- stage ${f.stage}: ${f.reason}`).join("\n") || "- (no reason recorded)";
    return `${queryAndTools(query, tools)}${cot}

${CALLS_LINES.rejected}
${renderAnswer(previousAnswer)}

why it was rejected:
${reasons}

Write the corrected reasoning in <think>…</think>, then the corrected call list.`;
  },
);

/** Pass as `validate` to the client's complete(): an answer without this shape is retried. */
export const validateRegeneratedAnswer = checkThinkThenAnswer;
