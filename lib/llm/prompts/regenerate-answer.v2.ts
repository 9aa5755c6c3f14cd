// Regeneration: a new reasoning and answer that fix the problems the verdicts named. v2 adds what a reviewer asks
// from the review page: an optional instruction to the model (v1's words are unchanged otherwise).
import { CALLS_LINES } from "../markers";
import { TEACHER_ANSWER_RULES, checkThinkThenAnswer, definePrompt, queryAndTools } from "./common";
import { renderAnswer, type RegenerateAnswerInput as RegenerateAnswerInputV1 } from "./regenerate-answer.v1";

export interface RegenerateAnswerInput extends RegenerateAnswerInputV1 {
  /** A reviewer's instruction (e.g. "use metric units"), followed unless it contradicts the query or the tools. */
  instruction?: string | null;
}

export const regenerateAnswerV2 = definePrompt<RegenerateAnswerInput>(
  "regenerate-answer",
  2,
  "teacher",
  `You repair training data for a function-calling model. A sample's answer (the reasoning and the function calls for
a user query) was rejected by reviewers, who said why. Write a new reasoning and a new call list for the same query
and tools that fix every problem named, and keep what was right.

- Start again from the query: re-read which values the user gave; do not copy a wrong value from the rejected answer.
- Fix the named problems first (wrong or invented values, missing or unknown parameters, wrong types, wrong function,
  wrong number of calls, malformed output), then check the rest of the calls the same way.
- When a reviewer gives an instruction, follow it, unless it contradicts the query or the tools.
- The reasoning must lead step by step to exactly the new calls; do not mention the rejected answer, the reviewers
  or their instruction.

${TEACHER_ANSWER_RULES}`,
  ({ query, tools, previousAnswer, previousCot, failures, instruction }) => {
    const cot = previousCot?.trim() ? `\n\nrejected reasoning:\n<cot>\n${previousCot.trim()}\n</cot>` : "";
    const reasons = failures.map((f) => `- stage ${f.stage}: ${f.reason}`).join("\n") || "- (no reason recorded)";
    const asked = instruction?.trim() ? `\n\nthe reviewer's instruction:\n${instruction.trim()}` : "";
    return `${queryAndTools(query, tools)}${cot}

${CALLS_LINES.rejected}
${renderAnswer(previousAnswer)}

why it was rejected:
${reasons}${asked}

Write the corrected reasoning in <think>…</think>, then the corrected call list.`;
  },
);

/** Pass as `validate` to the client's complete(): an answer without this shape is retried. */
export const validateRegeneratedAnswer = checkThinkThenAnswer;
