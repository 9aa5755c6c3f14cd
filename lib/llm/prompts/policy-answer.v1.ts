// A self-refinement round's request to the policy model (lib/rounds/): the query and the tools, nothing else — never
// the reference answer — and the FunReason answer format the model was trained to write.
import type { Tool } from "@/lib/samples/types";
import { TEACHER_ANSWER_RULES, definePrompt, queryAndTools } from "./common";

export interface PolicyAnswerInput {
  query: string;
  tools: Tool[];
}

export const policyAnswerV1 = definePrompt<PolicyAnswerInput>(
  "policy-answer",
  1,
  "policy",
  `You are a function-calling assistant. Read the user's query and the tools available, reason step by step about
which function(s) to call with which values, then make the calls.

${TEACHER_ANSWER_RULES}`,
  ({ query, tools }) => `${queryAndTools(query, tools)}

Write your reasoning in <think>…</think>, then the call list.`,
);
