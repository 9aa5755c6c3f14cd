import { getPool } from "@/lib/db/client";
import type { RunMode } from "./modes";
import type { RunProgress } from "./queries";

export type RunStatus = RunProgress["status"];

export interface RunSummary {
  id: number;
  dataset: string;
  stages: string;
  mode: RunMode;
  status: RunStatus;
  concurrency: number;
  maxRegenerations: number;
  total: number;
  finished: number;
  /** Samples per result: passed, text, discarded, flagged, pending, conflict. */
  results: Record<string, number>;
  tokens: { prompt: number; completion: number };
  failure: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** Every run, newest first, with its finished counts per result: one query. */
export async function listRuns(limit = 200): Promise<RunSummary[]> {
  const pool = await getPool();
  const result = await pool.query<{
    id: number;
    dataset: string;
    stages: string;
    mode: RunMode;
    status: RunStatus;
    concurrency: number;
    max_regenerations: number;
    total: number;
    failure: string | null;
    created_at: Date;
    finished_at: Date | null;
    results: Record<string, number> | null;
    prompt: string | null;
    completion: string | null;
  }>(
    `SELECT r.id, d.name AS dataset, r.stages, r.mode, r.status, r.concurrency, r.max_regenerations, r.total, r.failure,
       r.created_at, r.finished_at, c.results, c.prompt, c.completion
     FROM pipeline_runs r
     JOIN datasets d ON d.id = r.dataset_id
     LEFT JOIN LATERAL (
       SELECT jsonb_object_agg(g.result, g.n) AS results, sum(g.prompt)::bigint AS prompt, sum(g.completion)::bigint AS completion
       FROM (
         SELECT result, count(*)::int AS n, sum(prompt_tokens) AS prompt, sum(completion_tokens) AS completion
         FROM pipeline_run_samples WHERE run_id = r.id AND result IS NOT NULL GROUP BY result
       ) g
     ) c ON true
     ORDER BY r.id DESC
     LIMIT $1`,
    [limit],
  );
  return result.rows.map((row) => {
    const results = row.results ?? {};
    return {
      id: row.id,
      dataset: row.dataset,
      stages: row.stages,
      mode: row.mode,
      status: row.status,
      concurrency: row.concurrency,
      maxRegenerations: row.max_regenerations,
      total: row.total,
      finished: Object.values(results).reduce((sum, n) => sum + n, 0),
      results,
      tokens: { prompt: Number(row.prompt ?? 0), completion: Number(row.completion ?? 0) },
      failure: row.failure,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
    };
  });
}

export interface AttentionSample {
  id: number;
  result: "discarded" | "flagged";
  query: string;
  /** Why the sample ended there (null once it has moved on from the run's result: the reason is then another's). */
  reason: string | null;
}

/** Up to `limit` samples of a run that ended discarded or flagged, lowest id first. */
export async function runAttention(runId: number, limit = 20): Promise<AttentionSample[]> {
  const pool = await getPool();
  const result = await pool.query<AttentionSample>(
    `SELECT s.id, rs.result, left(s.query, 200) AS query,
       CASE WHEN s.status::text = rs.result THEN left(s.status_reason, 500) END AS reason
     FROM pipeline_run_samples rs JOIN samples s ON s.id = rs.sample_id
     WHERE rs.run_id = $1 AND rs.result IN ('discarded', 'flagged')
     ORDER BY s.id LIMIT $2`,
    [runId, limit],
  );
  return result.rows;
}
