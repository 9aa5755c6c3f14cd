import type { FunnelPool } from "@/lib/dashboard/funnel";
import { getPool } from "@/lib/db/client";
import { NO_TOKENS, type TokenUsage } from "@/lib/llm/client";
import type { HardPoolOptions } from "@/lib/pipeline/hard-pool";
import type { JudgeMode } from "@/lib/pipeline/judge-modes";

export interface RunProgress {
  id: number;
  dataset: string;
  stages: string;
  /** Optional stages the run leaves out. */
  skippedStages: number[];
  status: "running" | "paused" | "cancelled" | "succeeded" | "failed";
  total: number;
  finished: number;
  /** Samples per result: passed, text, discarded, flagged, pending, conflict. */
  results: Record<string, number>;
  /**
   * Samples per stage and outcome, e.g. {"4": {"pass": 10, "fail": 2}}: each sample counted once per stage, by the
   * stage's outcome on its last attempt in this run (its rule and judge verdicts together, as stageOutcome reads them).
   */
  stages_: Record<string, Record<string, number>>;
  regenerated: number;
  /** The hard-data pool of a v3 run (its settings, and how the samples that entered it left it); null: a v1 run. */
  pool: (HardPoolOptions & FunnelPool) | null;
  /** How stages 2–4 were judged: one call per stage, or one combined call (lib/pipeline/judge-modes.ts). */
  judgeMode: JudgeMode;
  tokens: TokenUsage;
  createdAt: Date;
  finishedAt: Date | null;
}

// One scan of the run's samples, grouped by result and stage outcomes (a run has few distinct combinations): the
// results, tokens and pool counts, and per stage how many samples ended each way, from the "stage:outcome" entries
// each run sample keeps (its latest attempt's deciding verdicts; lib/pipeline/summary.ts), not the "turn…" and
// "pool:…" ones. Unnesting every sample's entries in SQL cost three times as much (a 60k run: ~190 ms a poll).
const RUN_SAMPLE_GROUPS = `
SELECT result, stage_outcomes, count(*)::int AS n, count(*) FILTER (WHERE regenerations > 0)::int AS regenerated,
  count(*) FILTER (WHERE pool = 'rescued')::int AS rescued, count(*) FILTER (WHERE pool = 'dropped')::int AS dropped,
  count(*) FILTER (WHERE pool = 'flagged')::int AS flagged,
  sum(prompt_tokens)::bigint AS prompt, sum(cached_tokens)::bigint AS cached, sum(completion_tokens)::bigint AS completion
FROM pipeline_run_samples WHERE run_id = $1 GROUP BY result, stage_outcomes`;

const STAGE_OUTCOME = /^(\d+):([^:]*)/;

export async function getRunProgress(runId: number): Promise<RunProgress | null> {
  const pool = await getPool();
  const [run, groups] = await Promise.all([
    pool.query(
      `SELECT r.id, d.name AS dataset, r.stages, r.skipped_stages, r.hard_pool, r.judge_mode, r.status, r.total, r.created_at, r.finished_at FROM pipeline_runs r
       JOIN datasets d ON d.id = r.dataset_id WHERE r.id = $1`,
      [runId],
    ),
    pool.query<{ result: string | null; stage_outcomes: string[] | null; n: number; regenerated: number; rescued: number; dropped: number; flagged: number; prompt: string; cached: string; completion: string }>(
      RUN_SAMPLE_GROUPS,
      [runId],
    ),
  ]);
  const row = run.rows[0];
  if (!row) return null;
  const progress: RunProgress = {
    id: row.id,
    dataset: row.dataset,
    stages: row.stages,
    skippedStages: row.skipped_stages ?? [],
    status: row.status,
    total: row.total,
    finished: 0,
    results: {},
    stages_: {},
    regenerated: 0,
    pool: row.hard_pool ? { ...row.hard_pool, entered: 0, rescued: 0, dropped: 0, flagged: 0 } : null,
    judgeMode: row.judge_mode,
    tokens: { ...NO_TOKENS },
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
  for (const r of groups.rows) {
    for (const entry of r.stage_outcomes ?? []) {
      const found = STAGE_OUTCOME.exec(entry);
      if (!found) continue;
      const stage = (progress.stages_[Number(found[1])] ??= {});
      stage[found[2]] = (stage[found[2]] ?? 0) + r.n;
    }
    if (r.result === null) continue;
    progress.finished += r.n;
    progress.results[r.result] = (progress.results[r.result] ?? 0) + r.n;
    progress.regenerated += r.regenerated;
    if (progress.pool) {
      progress.pool.rescued += r.rescued;
      progress.pool.dropped += r.dropped;
      progress.pool.flagged += r.flagged;
      progress.pool.entered += r.rescued + r.dropped + r.flagged;
    }
    progress.tokens.prompt += Number(r.prompt);
    progress.tokens.cached += Number(r.cached);
    progress.tokens.completion += Number(r.completion);
  }
  return progress;
}
