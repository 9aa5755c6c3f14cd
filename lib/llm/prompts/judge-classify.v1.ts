// Stage 1, Function Call Classification, when the rule cannot tell: is the reference answer a call or plain text?
// "pass" means it is a function call (go on to stage 2); "fail" means plain text (saved as-is as a text sample).
import type { Tool } from "@/lib/samples/types";
import { JUDGE_ANSWER_RULES, definePrompt, queryAndTools } from "./common";

export interface JudgeClassifyInput {
  query: string;
  tools: Tool[];
  /** The reference answer exactly as the source wrote it. */
  answerText: string;
}

export const judgeClassifyV1 = definePrompt<JudgeClassifyInput>(
  "judge-classify",
  1,
  "judge",
  `You review training data for a function-calling model. Each sample has a reference answer, which is either a
function call (one or more calls to the listed tools) or a plain-text reply to the user (for instance when no tool
fits, or to ask for missing information). Automatic parsing could not tell which one this answer is; decide it.

Answer "pass" if the answer is meant as function call(s): it names one or more of the tools with arguments, in any
syntax (Python-like "f(a=1)", JSON {"name": ..., "arguments": ...}, a list of those, possibly with small syntax
errors or wrapped in a code block).
Answer "fail" if it is natural-language text addressed to the user, even when it mentions a tool's name.
This is a classification, not a quality check: do not judge whether the call or the text is correct.

${JUDGE_ANSWER_RULES}
- "evidence": {"kind": "calls" | "text", "functions": [names of the tools it calls, empty for text]}.`,
  ({ query, tools, answerText }) => `${queryAndTools(query, tools)}

reference answer:
<answer>
${answerText.trim()}
</answer>

Is this reference answer a function call ("pass") or plain text ("fail")? Answer with the JSON object.`,
);
