// Asking an LLM judge from a stage, and turning its answer into a verdict. The one place where a judge result
// becomes an outcome, so every stage maps failures the same way: a judge that could not answer gives `error`,
// never `fail` (pipeline.md: a flaky judge must never discard a sample).
import type { Prompt } from "@/lib/llm/prompts";
import type { StageContext, StageId, Verdict } from "./types";

/**
 * Asks `ctx.judge` (which must be set) with `prompt` built from `input`, on the stage's model. `evidence` is merged
 * into the verdict's evidence (what the rules saw, why the judge was asked).
 */
export async function askJudge<Input>(
  ctx: StageContext,
  stage: StageId,
  prompt: Prompt<Input>,
  input: Input,
  evidence: Record<string, unknown> = {},
): Promise<Verdict> {
  if (!ctx.judge) throw new Error(`stage ${stage}: askJudge called without a judge`);
  ctx.signal?.throwIfAborted();
  const text = prompt.build(input);
  const result = await ctx.judge.judge({ ...text, promptVersion: prompt.promptVersion, model: ctx.modelFor(stage) });
  const common = {
    stage,
    decidedBy: `llm:${result.model}`,
    promptVersion: result.promptVersion,
    promptTokens: result.tokens.prompt,
    completionTokens: result.tokens.completion,
    latencyMs: result.latencyMs,
  };
  if (result.ok) {
    return {
      ...common,
      outcome: result.verdict,
      reason: result.reason,
      evidence: { ...evidence, judge: result.raw, attempts: result.attempts },
    };
  }
  const attempts = `${result.attempts} attempt${result.attempts === 1 ? "" : "s"}`;
  const failure: Record<string, unknown> = { failure: result.kind, message: result.message, attempts: result.attempts };
  if (result.status !== undefined) failure.status = result.status;
  if (result.raw !== undefined) failure.judge = result.raw;
  return {
    ...common,
    outcome: "error",
    reason: `The judge gave no usable answer (${result.kind}, ${attempts}): ${result.message}.`,
    evidence: { ...evidence, ...failure },
  };
}
