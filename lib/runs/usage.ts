// A run's LLM usage and its estimated cost: per stage (its judges' verdicts, every panel member's vote included) and
// for the teacher (CoT generation and regeneration: the run's tokens beyond its judges'), at the prices saved in
// Settings. A model without a price gives no cost, and the run's total says it is partial.
import "server-only";
import { modelCost, type ModelPrice } from "@/lib/cost/prices";
import { getModelPrices } from "@/lib/cost/prices-store";
import { getPool } from "@/lib/db/client";
import { NO_TOKENS, addTokens, type TokenUsage } from "@/lib/llm/client";
import { getModelConfig } from "@/lib/settings/store";

export interface UsageRow extends TokenUsage {
  calls: number;
  /** The models asked, as the server named them. */
  models: string[];
  /** US dollars; null when a model of the row has no price. */
  cost: number | null;
}

export interface RunUsage {
  total: UsageRow;
  /** The judged stages, by stage id. */
  stages: (UsageRow & { stage: number })[];
  /** The rest of the run's calls: the teacher's, priced at the teacher model now in force. */
  teacher: UsageRow;
}

/** Sums `parts` into one row; its cost is null as soon as one part has none. */
function sumRows(parts: readonly Omit<UsageRow, "models">[], models: string[]): UsageRow {
  const row: UsageRow = { ...NO_TOKENS, calls: 0, models, cost: 0 };
  for (const p of parts) {
    addTokens(row, p);
    row.calls += p.calls;
    row.cost = row.cost === null || p.cost === null ? null : row.cost + p.cost;
  }
  return row;
}

/**
 * SQL: the judges' calls and tokens of LLM verdicts grouped by stage and decided_by (model, calls, prompt, cached,
 * completion), from the columns stage_verdicts_llm_tokens_idx covers. A verdict is one request unless `counts_call`
 * says otherwise: a combined call's later shares (lib/pipeline/combined.ts countsCall; the stored column of migration
 * 20261207050000_verdict_counts_call). The Runs page's usage and the dashboard's judge tokens both sum this way.
 */
export const JUDGE_USAGE_SUMS = `substr(decided_by, 5) AS model, count(*) FILTER (WHERE counts_call)::int AS calls, sum(prompt_tokens)::bigint AS prompt,
  sum(coalesce(cached_tokens, 0))::bigint AS cached, sum(coalesce(completion_tokens, 0))::bigint AS completion`;

/** A run's judges' calls and tokens, by stage and model: one index-only range of the run's LLM verdicts. */
export const RUN_JUDGE_USAGE_SQL = `SELECT stage, ${JUDGE_USAGE_SUMS}
       FROM stage_verdicts WHERE run_id = $1 AND prompt_tokens IS NOT NULL AND decided_by LIKE 'llm:%'
       GROUP BY stage, decided_by ORDER BY stage, decided_by`;

export async function getRunUsage(runId: number, prices: readonly ModelPrice[], teacherModel: string): Promise<RunUsage> {
  const pool = await getPool();
  const [judges, run] = await Promise.all([
    pool.query<{ stage: number; model: string; calls: number; prompt: string; cached: string; completion: string }>(RUN_JUDGE_USAGE_SQL, [runId]),
    pool.query<{ calls: string; prompt: string; cached: string; completion: string }>(
      `SELECT coalesce(sum(llm_calls), 0)::bigint AS calls, coalesce(sum(prompt_tokens), 0)::bigint AS prompt,
         coalesce(sum(cached_tokens), 0)::bigint AS cached, coalesce(sum(completion_tokens), 0)::bigint AS completion
       FROM pipeline_run_samples WHERE run_id = $1 AND finished_at IS NOT NULL`,
      [runId],
    ),
  ]);
  const byStage = new Map<number, { parts: Omit<UsageRow, "models">[]; models: string[] }>();
  const judged = { ...NO_TOKENS, calls: 0 };
  for (const r of judges.rows) {
    const tokens = { prompt: Number(r.prompt), cached: Number(r.cached), completion: Number(r.completion) };
    const entry = byStage.get(r.stage) ?? { parts: [], models: [] };
    entry.parts.push({ ...tokens, calls: r.calls, cost: modelCost(prices, r.model, tokens) });
    entry.models.push(r.model);
    byStage.set(r.stage, entry);
    addTokens(judged, tokens);
    judged.calls += r.calls;
  }
  const stages = [...byStage].map(([stage, { parts, models }]) => ({ stage, ...sumRows(parts, models) }));
  // Verdicts are written with their sample's finish mark, so the run's sums hold the judges' and the teacher's.
  const all = run.rows[0];
  const teacherTokens = {
    prompt: Math.max(0, Number(all.prompt) - judged.prompt),
    cached: Math.max(0, Number(all.cached) - judged.cached),
    completion: Math.max(0, Number(all.completion) - judged.completion),
  };
  const teacherCalls = Math.max(0, Number(all.calls) - judged.calls);
  const teacher = sumRows(
    teacherCalls > 0 || teacherTokens.prompt > 0 ? [{ ...teacherTokens, calls: teacherCalls, cost: modelCost(prices, teacherModel, teacherTokens) }] : [],
    teacherCalls > 0 ? [teacherModel] : [],
  );
  return { total: sumRows([...stages, teacher], [...new Set([...stages.flatMap((s) => s.models), ...teacher.models])]), stages, teacher };
}

/** The run's usage at the saved prices, the teacher priced as the teacher model in force (the judges' is recorded). */
export async function getRunUsageNow(runId: number): Promise<RunUsage> {
  const [prices, teacherModel] = await Promise.all([getModelPrices(), teacherModelInForce()]);
  return getRunUsage(runId, prices, teacherModel);
}

/** The teacher model of the settings in force; "teacher" (no price) when no judge is configured. */
async function teacherModelInForce(): Promise<string> {
  return getModelConfig().then((config) => config.teacherModel, () => "teacher");
}
