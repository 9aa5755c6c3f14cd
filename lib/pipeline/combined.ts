// The combined judge (issue 15 §3, the run option "one judge call for stages 2–4"): one request asks the judges of
// stages 2, 3 and 4 about a sample at once (judge-combined.v1) and answers with one verdict per stage. Each verdict
// is the stage's, stored exactly as its own judge's would be (same evidence shape, same rows), and the flow of
// run.ts does not change: the rules still run first, a stage's judge is asked only when its rules let the sample
// through, a fail at stage 2 or 3 discards, a fail at 4 regenerates.
//
// When the call is made: the first time a stage of stages 2–4 asks its judge about a sample (stage 2, after its
// rule passed). The call asks that stage's judge and the judges of the stages after it that the flow will reach if
// it passes: their rules run first, on the same sample, without a judge (a dry run of the stage's code), and a stage
// whose rule fails is not asked, nor any after it. The later stages then take their verdict from the answer.
// A regenerated answer is judged again by stages 3 and 4: with the combined prompt again (one call asking both, not
// two), so every verdict of a run about stages 2–4 comes from the same prompt and the saving holds on every attempt.
//
// What is kept: the verdicts the flow reads, i.e. the asked stages up to the first that does not pass (a fail or an
// error stops the walk there, as it would per stage). The call's tokens are split evenly among the kept verdicts
// (integer shares that add up to the call's), so the per-stage sums add up to the run's; the call counts once, on
// the first kept verdict (`evidence.combined.countsCall`).
import type { JudgeAnswerFormat, JudgeResult, LlmFailure } from "@/lib/llm/client";
import { VERDICT_JSON_SCHEMA, readCombinedAnswer, type JudgeAnswer } from "@/lib/llm/judge-answer";
import { judgeCombinedV1, type CombinedTask } from "@/lib/llm/prompts";
import type { SampleInput } from "@/lib/llm/prompts/shared";
import { verdictOf } from "./judge";
import { COMBINED_STAGE_IDS } from "./judge-modes";
import { stageInfo } from "./stage-registry";
import { stageOutcome, type CombinedJudging, type JudgeClient, type PipelineSample, type Stage, type StageContext, type StageId, type Verdict } from "./types";

/** A stage's judge as the combined prompt names it: its prompt's task id ("judge-values"). */
export function combinedTask(stage: StageId): CombinedTask {
  return stageInfo(stage).judges[0].replace(/\.v\d+$/, "") as CombinedTask;
}

/** A stage asked in a combined call, with the evidence its code adds to its judge's verdict. */
export interface CombinedAsk {
  stage: StageId;
  evidence: Record<string, unknown>;
}

/**
 * What a combined call asking `tasks` answers: an object with each task's verdict (the schema requires each), read
 * as one verdict — a fail when any task fails — whose evidence holds each task's.
 */
export function combinedAnswerFormat(tasks: readonly CombinedTask[]): JudgeAnswerFormat {
  return {
    schema: {
      name: "verdicts",
      strict: false,
      schema: { type: "object", properties: Object.fromEntries(tasks.map((task) => [task, VERDICT_JSON_SCHEMA])), required: [...tasks] },
    },
    parse: (text) => {
      const read = readCombinedAnswer(text, tasks);
      if (read.problem) return { ok: false, message: read.problem };
      const verdicts = [...read.verdicts.values()];
      const verdict = verdicts.some((v) => v.verdict === "fail") ? "fail" : "pass";
      return { ok: true, value: { verdict, reason: `Verdicts for ${tasks.join(", ")}.`, evidence: Object.fromEntries(read.verdicts) } };
    },
  };
}

/** Whether a verdict counts as an LLM request: every LLM verdict does, except a combined call's later shares. */
export function countsCall(verdict: Verdict): boolean {
  const combined = verdict.evidence.combined as { countsCall?: boolean } | undefined;
  return verdict.promptTokens !== undefined && combined?.countsCall !== false;
}

/**
 * One combined call about the sample (`input`) for `asks` (in stage order): the verdicts the flow will read, each
 * as its stage's own judge's verdict would be. A judge that gave no usable answer is an `error` for every stage
 * asked; an answer that still lacks some stages after the client's retries keeps the verdicts it has, and the
 * stages it lacks are errors.
 */
export async function askCombined(judge: JudgeClient, model: string, input: SampleInput, asks: readonly CombinedAsk[]): Promise<Verdict[]> {
  const tasks = asks.map((ask) => combinedTask(ask.stage));
  const text = judgeCombinedV1.build({ ...input, tasks });
  const result = await judge.judge({ ...text, promptVersion: judgeCombinedV1.promptVersion, model, answer: combinedAnswerFormat(tasks) });
  const answered: Map<string, JudgeAnswer> = result.ok
    ? new Map(Object.entries(result.evidence as Record<string, JudgeAnswer>))
    : result.raw !== undefined
      ? readCombinedAnswer(result.raw, tasks).verdicts
      : new Map();
  const { model: answeredBy, promptVersion, tokens, latencyMs, attempts } = result;
  // Each stage's part of the answer as if its own judge had given it; a stage without one has the call's failure.
  const failure: LlmFailure = result.ok ? { ok: false, kind: "unparseable", message: "the answer has no verdict for this judge", model: answeredBy, promptVersion, tokens, latencyMs, attempts } : result;
  const resultFor = (task: CombinedTask): JudgeResult => {
    const part = answered.get(task);
    if (!part) return failure;
    return { ok: true, verdict: part.verdict, reason: part.reason, evidence: part.evidence, raw: JSON.stringify(part), model: answeredBy, promptVersion, tokens, latencyMs, attempts };
  };
  const verdicts = asks.map((ask, i) => verdictOf(ask.stage, resultFor(tasks[i]), ask.evidence));
  const stop = verdicts.findIndex((v) => v.outcome !== "pass");
  const kept = stop < 0 ? verdicts : verdicts.slice(0, stop + 1);
  const asked = asks.map((ask) => ask.stage);
  return kept.map((verdict, i) => ({
    ...verdict,
    promptTokens: share(result.tokens.prompt, i, kept.length),
    cachedTokens: share(result.tokens.cached, i, kept.length),
    completionTokens: share(result.tokens.completion, i, kept.length),
    evidence: { ...verdict.evidence, combined: { asked, sharedBy: kept.length, countsCall: i === 0 } },
  }));
}

/** The i-th of k integer shares of n that add up to n (the first ones take the remainder). */
function share(n: number, i: number, k: number): number {
  return Math.floor(n / k) + (i < n % k ? 1 : 0);
}

/**
 * The combined judge of one run's walk over one sample turn: `on(sample)` is what the stages looking at `sample`
 * get as `ctx.combined`. `stages` are the stages the run walks, in order; `ctx` the run's context without a combined
 * judge.
 */
export function combinedJudging(ctx: StageContext, stages: readonly Stage<unknown>[]): (sample: PipelineSample) => CombinedJudging {
  const judged = stages.filter((stage) => COMBINED_STAGE_IDS.includes(stage.id));
  // The verdicts a call made for a sample's later stages, until they ask (one map per sample object: the hard-data
  // pool checks its candidates at the same time).
  const waiting = new WeakMap<PipelineSample, Map<StageId, Verdict>>();

  /** The stages after `stage` the flow reaches when its judge passes, with their evidence: their code without a judge. */
  async function later(stage: StageId, sample: PipelineSample): Promise<CombinedAsk[]> {
    const asks: CombinedAsk[] = [];
    const dryRun: StageContext = {
      ...ctx,
      combined: {
        async verdictFor(asked, _input, evidence) {
          asks.push({ stage: asked, evidence });
          return { stage: asked, outcome: "pass", reason: "", evidence, decidedBy: "dry-run" };
        },
      },
    };
    for (const next of judged.slice(judged.findIndex((s) => s.id === stage) + 1)) {
      const outcome = stageOutcome(await next.run(sample, dryRun));
      if (outcome === "fail" || outcome === "error") break;
    }
    return asks;
  }

  return (sample) => ({
    async verdictFor(stage, input, evidence) {
      const ready = waiting.get(sample)?.get(stage);
      if (ready) {
        waiting.get(sample)!.delete(stage);
        return ready;
      }
      ctx.signal?.throwIfAborted();
      const asks = [{ stage, evidence }, ...(await later(stage, sample))];
      const [first, ...rest] = await askCombined(ctx.judge!, ctx.modelFor(COMBINED_STAGE_IDS[0]), input, asks);
      waiting.set(sample, new Map(rest.map((v) => [v.stage, v])));
      return first;
    },
  });
}
