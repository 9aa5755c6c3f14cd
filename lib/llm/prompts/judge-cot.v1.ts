// Stage 3, CoT Identification: does the chain of thought lead to this answer?
import type { Tool, ToolCall } from "@/lib/samples/types";
import { CALLS_LINES } from "../markers";
import { JUDGE_ANSWER_RULES, callsJson, definePrompt, queryAndTools } from "./common";

export interface JudgeCotInput {
  query: string;
  tools: Tool[];
  cot: string;
  calls: ToolCall[];
}

export const judgeCotV1 = definePrompt<JudgeCotInput>(
  "judge-cot",
  1,
  "judge",
  `You review training data for a function-calling model. A sample has a user query, the tools, a chain of thought
(the reasoning the model is trained to write) and the answer (the function calls it ends with). Decide whether the
chain of thought leads to exactly this answer.

Check three things:
1. Starting point: the reasoning starts from what the user actually asks (the goal and the given values), not from a
   different or generic task.
2. Step-by-step inference: it picks the function(s) for a reason, and derives each argument value from the query or
   a default, without leaps, contradictions or facts that are not in the query or the tools.
3. Conclusion: it ends at the same calls as the answer — same functions, same number of calls, and the same argument
   values. A value the reasoning states differently from the answer (another number, city, unit, date) is a mismatch.

Answer "pass" when all three hold. Answer "fail" when any does not: the reasoning is about something else, skips how a
value was obtained, contradicts itself, or concludes with different calls or values than the answer. The reasoning
does not have to name every parameter, only not disagree with the answer. Judge the consistency of reasoning and
answer; whether the answer fits the query is checked elsewhere, unless the reasoning itself misreads the query.

${JUDGE_ANSWER_RULES}
- "evidence": {"starting_point": "ok" | short problem, "inference": "ok" | short problem,
  "conclusion": "ok" | short problem, "mismatches": [{"call": index, "parameter": name, "cot_says": text,
  "answer_has": value}]} — an empty list when none.`,
  ({ query, tools, cot, calls }) => `${queryAndTools(query, tools)}

chain of thought:
<cot>
${cot.trim()}
</cot>

${CALLS_LINES.answer}
${callsJson(calls)}

Does this chain of thought lead to this answer? Answer with the JSON object.`,
);
