import { getPool } from "@/lib/db/client";
import { PIPELINE_QUEUE, getBoss } from "@/lib/jobs/boss";
import { enqueueChunks } from "./create-run";
import { ConflictError, NotFoundError } from "@/lib/errors";

export type RunAction = "pause" | "resume" | "cancel";

export class RunStateError extends ConflictError {}

/**
 * Pause and cancel stop a run between samples: workers check the run's status before each sample, and the run's
 * queued jobs are cancelled. Resume queues the run's unfinished samples again.
 */
export async function controlRun(runId: number, action: RunAction): Promise<void> {
  const pool = await getPool();
  const from = action === "resume" ? ["paused"] : action === "pause" ? ["running"] : ["running", "paused"];
  const to = action === "resume" ? "running" : action === "pause" ? "paused" : "cancelled";
  const changed = await pool.query(
    `UPDATE pipeline_runs SET status = $3::"RunStatus", finished_at = CASE WHEN $3 = 'cancelled' THEN now() END
     WHERE id = $1 AND status::text = ANY($2::text[])`,
    [runId, from, to],
  );
  if (changed.rowCount === 0) {
    const run = await pool.query("SELECT status FROM pipeline_runs WHERE id = $1", [runId]);
    if (!run.rows[0]) throw new NotFoundError(`run ${runId} does not exist`);
    throw new RunStateError(`run ${runId} is ${run.rows[0].status}: it cannot ${action}`);
  }
  const boss = await getBoss();
  if (action === "resume") {
    const rest = await pool.query<{ sample_id: number }>(
      "SELECT sample_id FROM pipeline_run_samples WHERE run_id = $1 AND finished_at IS NULL ORDER BY sample_id",
      [runId],
    );
    await enqueueChunks(runId, rest.rows.map((r) => r.sample_id));
    return;
  }
  const queued = await pool.query<{ id: string }>(
    `SELECT id FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry') AND (data->>'runId')::int = $2`,
    [PIPELINE_QUEUE, runId],
  );
  if (queued.rows.length) await boss.cancel(PIPELINE_QUEUE, queued.rows.map((r) => r.id));
}
