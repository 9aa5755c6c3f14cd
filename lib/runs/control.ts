import { getPool } from "@/lib/db/client";
import { cancelInFlightBatches } from "@/lib/batch/job";
import { BATCH_QUEUE, PIPELINE_QUEUE, getBoss } from "@/lib/jobs/boss";
import { enqueueRunWork } from "./create-run";
import type { RunMode } from "./modes";
import { ConflictError, NotFoundError } from "@/lib/errors";

export type RunAction = "pause" | "resume" | "cancel";

export class RunStateError extends ConflictError {}

/**
 * Pause and cancel stop a run between samples: workers check the run's status before each sample, and the run's
 * queued jobs are cancelled. Resume queues the run's unfinished samples again. A batch run: pause stops its passes
 * (the batch in flight goes on and is collected on resume), cancel also cancels the batch in flight.
 */
export async function controlRun(runId: number, action: RunAction): Promise<void> {
  const pool = await getPool();
  const from = action === "resume" ? ["paused"] : action === "pause" ? ["running"] : ["running", "paused"];
  const to = action === "resume" ? "running" : action === "pause" ? "paused" : "cancelled";
  const changed = await pool.query<{ mode: RunMode }>(
    `UPDATE pipeline_runs SET status = $3::"RunStatus", finished_at = CASE WHEN $3 = 'cancelled' THEN now() END
     WHERE id = $1 AND status::text = ANY($2::text[]) RETURNING mode`,
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
    await enqueueRunWork(runId, changed.rows[0].mode, rest.rows.map((r) => r.sample_id));
    return;
  }
  for (const queue of [PIPELINE_QUEUE, BATCH_QUEUE]) {
    const queued = await pool.query<{ id: string }>(
      `SELECT id FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry') AND (data->>'runId')::int = $2`,
      [queue, runId],
    );
    if (queued.rows.length) await boss.cancel(queue, queued.rows.map((r) => r.id));
  }
  if (action === "cancel" && changed.rows[0].mode === "batch") {
    for (const problem of await cancelInFlightBatches(runId)) process.stderr.write(`run ${runId}: ${problem}\n`);
  }
}
