// What a run will cost, before it starts (issue 15 §1): a small random sample of the samples it would take, each
// asked about as the run would ask (the teacher's CoT when there is none, the judges of stages 2, 3 and 4 — one call
// each, every panel member, or one combined call: both judge modes are estimated, issue 15 §3), its prompts counted with the fake LLM's tokenizer and passed through the same simulated prefix cache (what
// OpenAI's prompt caching or vLLM's prefix caching would serve), then scaled to the run's samples and priced.
import "server-only";
import { getPool } from "@/lib/db/client";
import { UnknownDatasetError } from "@/lib/samples/export";
import { getJudgePanels } from "@/lib/settings/panels-store";
import { getLlmConfig } from "@/lib/settings/store";
import { modelFor } from "@/lib/llm/config";
import { NO_TOKENS, addTokens, type TokenUsage } from "@/lib/llm/client";
import { createPrefixCache } from "@/lib/llm/prefix-cache";
import { JUDGE_PROMPTS, judgeCombinedV1, teacherCotV2, type Prompt, type PromptText } from "@/lib/llm/prompts";
import { sampleBlock, type SampleInput } from "@/lib/llm/prompts/shared";
import { chatTokenRuns, countTokens, runsLength } from "@/lib/llm/tokens";
import { combinedTask } from "@/lib/pipeline/combined";
import { COMBINED_STAGE_IDS, JUDGE_MODE_IDS, type JudgeMode } from "@/lib/pipeline/judge-modes";
import { PANEL_STAGE_IDS, stageInfo, type StageId } from "@/lib/pipeline/stage-registry";
import { toAnswer } from "@/lib/samples/export";
import type { Tool } from "@/lib/samples/types";
import { getModelPrices } from "./prices-store";
import { modelCost } from "./prices";

/** How many samples the estimate reads. */
export const ESTIMATE_SAMPLE_SIZE = 20;
/** Completion tokens assumed per call (a verdict object; a CoT and its calls), until the run has real ones. */
export const ASSUMED_COMPLETION = { judge: 90, teacher: 160 } as const;
/** A generated CoT's length in the judges' prompts, for samples that have none yet. */
const ASSUMED_COT = "x ".repeat(ASSUMED_COMPLETION.teacher);

/** What a run would spend in one judge mode. */
export interface ModeEstimate {
  callsPerSample: number;
  /** Per sample, on average. */
  perSample: TokenUsage;
  total: TokenUsage & { calls: number };
  /** US dollars at the saved prices; null when a model asked has no price. */
  cost: number | null;
}

export interface RunEstimate extends ModeEstimate {
  /** The samples the run would take (the dataset's pending ones). */
  samples: number;
  /** How many of them the estimate read. */
  sampled: number;
  /** The sample's own tokens (tools, query, CoT, answer), on average: what the uncached ratio is measured against. */
  ownTokens: number;
  /** The judge mode the figures above are for. */
  judgeMode: JudgeMode;
  /** The same run in each judge mode (the run form shows what one combined call saves). */
  modes: Record<JudgeMode, ModeEstimate>;
}

export interface EstimateOptions {
  dataset: string;
  skipStages: number[];
  /** The panel name of each stage given one (per-stage judging only: a combined call has no panels). */
  judgePanels: Record<string, string>;
  judgeMode: JudgeMode;
}

interface Call {
  prompt: PromptText;
  model: string;
  completion: number;
}

export async function estimateRun(options: EstimateOptions): Promise<RunEstimate> {
  const pool = await getPool();
  const dataset = await pool.query<{ id: number; pending: number }>(
    `SELECT d.id, (SELECT count(*)::int FROM samples s WHERE s.dataset_id = d.id AND s.status = 'pending') AS pending FROM datasets d WHERE d.name = $1`,
    [options.dataset],
  );
  if (!dataset.rows[0]) throw new UnknownDatasetError(options.dataset);
  const { id, pending } = dataset.rows[0];
  const { rows } = await pool.query<{ query: string; tools: Tool[]; cot: string | null; answer_kind: string | null; answer: unknown }>(
    `SELECT query, tools, cot, answer_kind, answer FROM samples WHERE dataset_id = $1 AND status = 'pending' ORDER BY random() LIMIT $2`,
    [id, ESTIMATE_SAMPLE_SIZE],
  );
  const [config, panels, prices] = await Promise.all([getLlmConfig().catch(() => null), getJudgePanels(), getModelPrices()]);
  const judgeModel = (stage: StageId) => (config ? modelFor(config, stage) : "judge");
  const judgeModels = (stage: StageId): string[] => {
    const panel = panels.find((p) => p.name.toLowerCase() === options.judgePanels[stage]?.toLowerCase());
    return panel ? panel.members.map((m) => m.model) : [judgeModel(stage)];
  };
  const samples = rows.map((row) => {
    const answer = toAnswer(row.answer_kind as never, row.answer);
    const sample: SampleInput = { query: row.query, tools: row.tools, cot: row.cot, calls: answer?.kind === "calls" ? answer.calls : null };
    return { sample, judged: { ...sample, cot: sample.cot?.trim() ? sample.cot : ASSUMED_COT } };
  });
  // The judges that vote on a call answer (stages 2, 3 and 4), those the run keeps.
  const judgedStages = PANEL_STAGE_IDS.filter((stage) => !options.skipStages.includes(stage));
  const judgeCalls: Record<JudgeMode, (judged: SampleInput) => Call[]> = {
    // Each stage's current prompt, for each panel member.
    "per-stage": (judged) =>
      judgedStages.flatMap((stage) => {
        const prompt = JUDGE_PROMPTS.get(stageInfo(stage).judges[0]) as Prompt<SampleInput>;
        return judgeModels(stage).map((model) => ({ prompt: prompt.build(judged), model, completion: ASSUMED_COMPLETION.judge }));
      }),
    // One call asking every stage's judge (all passing, so none is left out), with a verdict each.
    combined: (judged) => {
      const tasks = judgedStages.filter((stage) => COMBINED_STAGE_IDS.includes(stage)).map(combinedTask);
      if (tasks.length === 0) return [];
      return [{ prompt: judgeCombinedV1.build({ ...judged, tasks }), model: judgeModel(COMBINED_STAGE_IDS[0]), completion: ASSUMED_COMPLETION.judge * tasks.length }];
    },
  };
  const n = rows.length || 1;
  const scale = pending / n;
  const estimateMode = (mode: JudgeMode): ModeEstimate => {
    const cache = createPrefixCache({ blockTokens: 16, capacityBlocks: 100_000 });
    const total = { ...NO_TOKENS, calls: 0 };
    let cost: number | null = 0;
    for (const { sample, judged } of samples) {
      const calls: Call[] = [];
      if (!sample.cot?.trim()) calls.push({ prompt: teacherCotV2.build(sample), model: config?.teacherModel ?? "teacher", completion: ASSUMED_COMPLETION.teacher });
      if (judged.calls) calls.push(...judgeCalls[mode](judged));
      for (const call of calls) {
        const tokens = chatTokenRuns([{ role: "system", content: call.prompt.system }, { role: "user", content: call.prompt.user }]);
        const usage = { prompt: runsLength(tokens), cached: cache.lookup(tokens), completion: call.completion };
        addTokens(total, usage);
        total.calls++;
        const price = modelCost(prices, call.model, usage);
        cost = cost === null || price === null ? null : cost + price;
      }
    }
    return {
      callsPerSample: total.calls / n,
      perSample: { prompt: total.prompt / n, cached: total.cached / n, completion: total.completion / n },
      total: { calls: Math.round(total.calls * scale), prompt: Math.round(total.prompt * scale), cached: Math.round(total.cached * scale), completion: Math.round(total.completion * scale) },
      cost: cost === null ? null : cost * scale,
    };
  };
  const modes = Object.fromEntries(JUDGE_MODE_IDS.map((mode) => [mode, estimateMode(mode)])) as Record<JudgeMode, ModeEstimate>;
  const own = samples.reduce((sum, { judged }) => sum + countTokens(sampleBlock(judged)), 0);
  return { samples: pending, sampled: rows.length, ownTokens: own / n, judgeMode: options.judgeMode, ...modes[options.judgeMode], modes };
}
