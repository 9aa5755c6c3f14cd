// Asking an LLM judge from a stage, and turning its answer into a verdict. The one place where a judge result
// becomes an outcome, so every stage maps failures the same way: a judge that could not answer gives `error`,
// never `fail` (pipeline.md: a flaky judge must never discard a sample).
//
// A run may give a stage a panel of judges (issue 13 §1): every member is asked, each member's verdict is kept (its
// vote, `memberOf` the panel), and the panel's verdict — decided by `panel:<name>`, after the votes — is the stage's.
import { panelVote, type MemberOutcome } from "@/lib/judges/panel-vote";
import type { JudgeResult } from "@/lib/llm/client";
import type { SampleInput } from "@/lib/llm/prompts/shared";
import { JUDGE_PROMPTS, type Prompt } from "@/lib/llm/prompts";
import type { JudgeClient, JudgePanel, StageContext, StageId, Verdict } from "./types";

/**
 * Asks the stage's judge — its panel when the run gave it one — with `prompt` built from `input`. `evidence` is
 * merged into the verdicts' evidence (what the rules saw, why the judge was asked). Returns the one judge's verdict,
 * or each member's vote followed by the panel's verdict.
 */
export async function askJudge<Input>(
  ctx: StageContext,
  stage: StageId,
  prompt: Prompt<Input>,
  input: Input,
  evidence: Record<string, unknown> = {},
): Promise<Verdict[]> {
  // A combined-judge run (combined.ts): the stage's verdict comes from the sample's one call for stages 2–4.
  if (ctx.combined) return [await ctx.combined.verdictFor(stage, input as SampleInput, evidence)];
  const panel = ctx.panelFor?.(stage);
  if (!panel) return [await askOneJudge(ctx, stage, prompt, input, evidence)];
  ctx.signal?.throwIfAborted();
  const votes = await Promise.all(
    panel.members.map(async (member) => {
      const asked = promptAt(prompt, member.promptVersion);
      const verdict = asked
        ? await judgeVerdict(member.judge, member.model, stage, asked, input, evidence)
        : missingPrompt(member.model, stage, `${prompt.id}.v${member.promptVersion}`, evidence);
      return { ...verdict, memberOf: panel.name };
    }),
  );
  return [...votes, panelVerdict(panel, stage, votes, evidence)];
}

/** The stage's single judge, never a panel (stage 1's classification is not a vote). */
export async function askOneJudge<Input>(
  ctx: StageContext,
  stage: StageId,
  prompt: Prompt<Input>,
  input: Input,
  evidence: Record<string, unknown> = {},
): Promise<Verdict> {
  if (!ctx.judge) throw new Error(`stage ${stage}: askJudge called without a judge`);
  ctx.signal?.throwIfAborted();
  const version = ctx.promptVersionFor?.(stage);
  const asked = promptAt(prompt, version);
  if (!asked) return missingPrompt(ctx.modelFor(stage), stage, `${prompt.id}.v${version}`, evidence);
  return judgeVerdict(ctx.judge, ctx.modelFor(stage), stage, asked, input, evidence);
}

async function judgeVerdict<Input>(
  judge: JudgeClient,
  model: string,
  stage: StageId,
  prompt: Prompt<Input>,
  input: Input,
  evidence: Record<string, unknown>,
): Promise<Verdict> {
  const text = prompt.build(input);
  return verdictOf(stage, await judge.judge({ ...text, promptVersion: prompt.promptVersion, model }), evidence);
}

/** A judge's result as the stage's verdict: its outcome, or `error` with what went wrong (never a fail). */
export function verdictOf(stage: StageId, result: JudgeResult, evidence: Record<string, unknown>): Verdict {
  const common = {
    stage,
    decidedBy: `llm:${result.model}`,
    promptVersion: result.promptVersion,
    promptTokens: result.tokens.prompt,
    cachedTokens: result.tokens.cached,
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

/** The stage's prompt at a member's (or a calibration's) version — its own when none is asked — or null when there is none. */
function promptAt<Input>(prompt: Prompt<Input>, version: number | undefined): Prompt<Input> | null {
  if (version === undefined || version === prompt.version) return prompt;
  return (JUDGE_PROMPTS.get(`${prompt.id}.v${version}`) as Prompt<Input> | undefined) ?? null;
}

function missingPrompt(model: string, stage: StageId, promptVersion: string, evidence: Record<string, unknown>): Verdict {
  return { stage, outcome: "error", reason: `The judge was not asked: there is no prompt ${promptVersion}.`, decidedBy: `llm:${model}`, promptVersion, evidence: { ...evidence, failure: "no-prompt" } };
}

/** The panel's verdict from its members' votes (panel-vote.ts): the rule, the vote, and the deciding reasons. */
function panelVerdict(panel: JudgePanel, stage: StageId, votes: readonly Verdict[], evidence: Record<string, unknown>): Verdict {
  const vote = panelVote(panel.rule, votes.map((v) => v.outcome as MemberOutcome));
  const n = votes.length;
  // The reasons that explain the outcome: the fails of a fail, the errors of an error (a regeneration reads them).
  const telling = votes.filter((v) => v.outcome === vote.outcome && vote.outcome !== "pass");
  const why = telling.map((v) => `${v.decidedBy.replace(/^llm:/, "")}: ${v.reason}`).join(" · ");
  const head = vote.outcome === "error" ? `Panel "${panel.name}" could not decide: ${vote.summary}` : `Panel "${panel.name}": ${vote.summary}`;
  return {
    stage,
    outcome: vote.outcome,
    reason: why ? `${head} — ${why}` : `${head}.`,
    decidedBy: `panel:${panel.name}`,
    evidence: {
      ...evidence,
      panel: panel.name,
      rule: panel.rule,
      vote: `${vote.passes} of ${n} passed`,
      passes: vote.passes,
      fails: vote.fails,
      errors: vote.errors,
      members: votes.map((v) => ({ decidedBy: v.decidedBy, outcome: v.outcome, promptVersion: v.promptVersion ?? null })),
    },
  };
}
