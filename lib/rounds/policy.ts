// Asking the policy model of a round for one answer: the query and the tools only (policy-answer prompt), in the
// FunReason format, read as a CoT and an answer the way a teacher's is.
import type { LlmClient, TokenUsage } from "@/lib/llm/client";
import { policyAnswerV1, validateTeacherAnswer } from "@/lib/llm/prompts";
import { teacherCandidate } from "@/lib/pipeline/run";
import type { Answer, Tool } from "@/lib/samples/types";

export type PolicyResult =
  | { ok: true; cot: string; answer: Answer; model: string; tokens: TokenUsage }
  | { ok: false; message: string; tokens: TokenUsage };

/** One answer to `query`; `sample` (1..N) is sent as the request's seed, so the N samples of a query differ. */
export async function askPolicy(policy: LlmClient, query: string, tools: Tool[], options: { temperature: number; sample: number }): Promise<PolicyResult> {
  const result = await policy.complete({
    ...policyAnswerV1.build({ query, tools }),
    promptVersion: policyAnswerV1.promptVersion,
    temperature: options.temperature,
    seed: options.sample,
    validate: validateTeacherAnswer,
  });
  if (!result.ok) return { ok: false, message: `${result.kind} after ${result.attempts} attempt(s): ${result.message}`, tokens: result.tokens };
  return { ok: true, ...teacherCandidate(result.text), model: result.model, tokens: result.tokens };
}
