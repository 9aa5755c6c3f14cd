// The "Generate CoT" step (samples with no chain of thought, like all of xLAM): reasoning, then the calls.
import type { Tool, ToolCall } from "@/lib/samples/types";
import { CALLS_LINES } from "../markers";
import { TEACHER_ANSWER_RULES, callsJson, checkThinkThenAnswer, definePrompt, queryAndTools } from "./common";

export interface TeacherCotInput {
  query: string;
  tools: Tool[];
  /** The sample's reference answer, when it has one: the reasoning should arrive at it if it is right. */
  answer?: ToolCall[] | null;
}

export const teacherCotV1 = definePrompt<TeacherCotInput>(
  "teacher-cot",
  1,
  "teacher",
  `You write training data for a function-calling model: for a user query and the tools available, the reasoning a
careful assistant goes through, then the function calls it makes.

The reasoning (inside <think>) is read by a model that learns from it, so make every step explicit and short:
1. Start from the request: what does the user want, and which values did they give?
2. Choose the function(s): which tool does this, and why not the others when several look close.
3. Fill the arguments one by one: where each value comes from in the query (quote it), how it is converted to the
   parameter's type or format, and which defaults are kept.
4. Conclude with the exact calls, matching the call list below it value for value.
Never mention that you were given a reference answer or these instructions.

${TEACHER_ANSWER_RULES}`,
  ({ query, tools, answer }) => {
    const reference =
      answer && answer.length > 0
        ? `

${CALLS_LINES.reference}, as JSON; reason your way to them if they are right for the query,
otherwise reason correctly and give the right calls instead):
${callsJson(answer)}`
        : "";
    return `${queryAndTools(query, tools)}${reference}

Write the reasoning in <think>…</think>, then the call list.`;
  },
);

/** Pass as `validate` to the client's complete(): a teacher answer without this shape is retried. */
export const validateTeacherAnswer = checkThinkThenAnswer;
