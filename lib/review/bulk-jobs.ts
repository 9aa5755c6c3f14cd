// A bulk action is a recorded job (table bulk_jobs): who asked for which action on what, how far it got, how it
// ended. The job's row and its one audit entry are written before the first sample is touched; then the samples go
// in batches, and each batch's writes (decisions, queued tasks, runs) add to the row's `done` in the same statement
// or transaction, so the row always says exactly how many samples were done. Each per-sample write (decision row,
// audit entry) carries the job's id.
//
// While it works, the process holds a PostgreSQL advisory lock named after the job, on a connection of its own. A
// process that dies (kill -9, a crash, a restart) loses its connection and with it the lock: settleInterruptedBulkJobs
// (run at the web server's start, and before every listing) then finds the job `running` with nobody holding its lock
// and marks it failed, "interrupted after N of M". Interrupted jobs are not resumed: a filter means "what matches now",
// so finishing later is a new bulk action a person starts (samples already done are then reported as such).
import "server-only";
import pg from "pg";
import { recordAudit } from "@/lib/audit/log";
import { databaseUrl, getPool } from "@/lib/db/client";
import { InvalidRequestError } from "@/lib/errors";
import { describeBulkTarget, type BulkFailure, type BulkJobAction, type BulkJobTarget, type BulkJobView, type BulkRunRef } from "./bulk-job-view";

/** The first key of every bulk job's advisory lock ("BULK"); the job's id is the second. */
const LOCK_SPACE = 0x42554c4b;
/** Samples per batch: what an interrupted job can have done beyond its last progress update is none. */
export const BULK_BATCH_SIZE = 1_000;
/** Failures listed one by one on a job; beyond this only their number is kept. */
export const LISTED_FAILURES = 50;

// "5,000 of 22,544", from the row.
const HOW_FAR = `to_char(done, 'FM999,999,999,990') || ' of ' || to_char(total, 'FM999,999,999,990')`;

/** A bulk request the caller got wrong (bad filter, an LLM-less full run, a reused key): answered 400 with it. */
export class BulkRequestError extends InvalidRequestError {}

export interface BulkJobPlan {
  /** human:<email> */
  actor: string;
  action: BulkJobAction;
  options?: Record<string, unknown>;
  target: BulkJobTarget;
  /** The browser's name for the request (lib/http/request-key.ts), to poll the progress under. */
  requestKey?: string;
  /** The samples to act on. */
  sampleIds: number[];
  /** Samples refused before the start (a selection's rows changed since they were loaded). */
  failures?: BulkFailure[];
  batchSize?: number;
}

/** What one batch did besides the samples it counted as done: its failures, and any runs it created. */
export interface BulkBatchOutcome {
  failures?: BulkFailure[];
  runs?: BulkRunRef[];
}

/**
 * Records the job, then runs `doBatch` over the samples in batches. `doBatch` must add the samples it did to the
 * job's `done` in the same statement or transaction as its writes (bulkProgressSql / addBulkProgress). Returns the
 * finished job; a thrown error marks it failed (with how far it got) and is thrown on.
 */
export async function runBulkJob(plan: BulkJobPlan, doBatch: (sampleIds: number[], jobId: number) => Promise<BulkBatchOutcome>): Promise<BulkJobView> {
  const failures = [...(plan.failures ?? [])];
  const runs: BulkRunRef[] = [];
  const ids = [...new Set(plan.sampleIds)].sort((a, b) => a - b);
  const { jobId, release } = await startJob(plan, ids.length + failures.length, failures);
  const pool = await getPool();
  try {
    const size = plan.batchSize ?? BULK_BATCH_SIZE;
    for (let i = 0; i < ids.length; i += size) {
      const outcome = await doBatch(ids.slice(i, i + size), jobId);
      failures.push(...(outcome.failures ?? []));
      runs.push(...(outcome.runs ?? []));
      await pool.query(`UPDATE bulk_jobs SET failed = $2, failures = $3, runs = $4, updated_at = now() WHERE id = $1`, [
        jobId,
        failures.length,
        JSON.stringify(listed(failures)),
        JSON.stringify(runs),
      ]);
    }
    await pool.query(`UPDATE bulk_jobs SET status = 'succeeded', updated_at = now(), finished_at = now() WHERE id = $1`, [jobId]);
  } catch (error) {
    await pool
      .query(
        `UPDATE bulk_jobs SET status = 'failed', failure = 'stopped after ' || ${HOW_FAR} || ': ' || $2, updated_at = now(), finished_at = now()
         WHERE id = $1 AND status = 'running'`,
        [jobId, (error as Error).message],
      )
      .catch(() => undefined);
    throw error;
  } finally {
    await release();
  }
  return (await getBulkJob(jobId))!;
}

/**
 * Writes the job's row and its audit entry, and takes the job's lock on a connection of its own, all before the row
 * is visible: no other process can take a running job for an orphan.
 */
async function startJob(plan: BulkJobPlan, total: number, failures: BulkFailure[]): Promise<{ jobId: number; release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: await databaseUrl() });
  // A lost connection only means the lock is gone: the job's own writes go through the pool.
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO bulk_jobs (actor, action, options, target, request_key, total, failed, failures) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [plan.actor, plan.action, plan.options ?? {}, plan.target, plan.requestKey ?? null, total, failures.length, JSON.stringify(listed(failures))],
    );
    const jobId = rows[0].id;
    await recordAudit(
      {
        actor: plan.actor,
        action: `bulk.${plan.action}`,
        target: { type: "bulk", id: jobId },
        summary: `Bulk ${plan.action} of ${total.toLocaleString("en-US")} ${total === 1 ? "sample" : "samples"} (${describeBulkTarget(plan.target)})`,
        after: { total, ...plan.options },
      },
      client,
    );
    await client.query(`SELECT pg_advisory_lock($1, $2)`, [LOCK_SPACE, jobId]);
    await client.query("COMMIT");
    return { jobId, release: () => client.end().catch(() => undefined) };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
    if ((error as { code?: string }).code === "23505") throw new BulkRequestError("key: a bulk action with this key was already asked for");
    throw error;
  }
}

function listed(failures: BulkFailure[]): BulkFailure[] {
  return [...failures].sort((a, b) => a.sampleId - b.sampleId).slice(0, LISTED_FAILURES);
}

/** SQL that adds `$count` samples to job `$job`'s done (nothing when `$job` is null), for a batch's own statement. */
export const bulkProgressSql = (job: string, count: string) => `UPDATE bulk_jobs SET done = done + ${count}, updated_at = now() WHERE id = ${job}`;

/** Adds a batch's samples to the job's `done`, through the batch's transaction. */
export async function addBulkProgress(db: Pick<pg.PoolClient, "query">, jobId: number | undefined, count: number): Promise<void> {
  if (jobId !== undefined) await db.query(bulkProgressSql("$1", "$2"), [jobId, count]);
}

/**
 * Marks failed every running job whose process is gone (nobody holds its lock), with how far it got; returns their
 * ids. Safe to run at any time, from any process: a job still being worked on holds its lock and is left alone.
 */
export async function settleInterruptedBulkJobs(): Promise<number[]> {
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number }>(
    `WITH running AS MATERIALIZED (SELECT id FROM bulk_jobs WHERE status = 'running'),
          orphaned AS MATERIALIZED (SELECT id FROM running WHERE pg_try_advisory_xact_lock($1, id))
     UPDATE bulk_jobs b SET status = 'failed', updated_at = now(), finished_at = now(),
       failure = 'interrupted after ' || ${HOW_FAR} || ': the server stopped before it finished'
     FROM orphaned o WHERE b.id = o.id AND b.status = 'running'
     RETURNING b.id`,
    [LOCK_SPACE],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

const COLUMNS = `id, actor, action, options, target, status, total, done, failed, failures, runs, failure, created_at, finished_at`;

type BulkJobRow = Omit<BulkJobView, "createdAt" | "finishedAt"> & { created_at: Date; finished_at: Date | null };

function toView(row: BulkJobRow): BulkJobView {
  const { created_at, finished_at, ...rest } = row;
  return { ...rest, createdAt: created_at.toISOString(), finishedAt: finished_at?.toISOString() ?? null };
}

export async function getBulkJob(id: number): Promise<BulkJobView | null> {
  const pool = await getPool();
  const { rows } = await pool.query<BulkJobRow>(`SELECT ${COLUMNS} FROM bulk_jobs WHERE id = $1`, [id]);
  return rows[0] ? toView(rows[0]) : null;
}

/** The latest bulk actions, newest first (or the one asked for under `requestKey`); orphans are settled first. */
export async function listBulkJobs({ limit = 10, requestKey }: { limit?: number; requestKey?: string } = {}): Promise<BulkJobView[]> {
  await settleInterruptedBulkJobs();
  const pool = await getPool();
  const { rows } = await pool.query<BulkJobRow>(
    `SELECT ${COLUMNS} FROM bulk_jobs WHERE $1::text IS NULL OR request_key = $1 ORDER BY id DESC LIMIT $2`,
    [requestKey ?? null, Math.min(Math.max(limit, 1), 100)],
  );
  return rows.map(toView);
}
