// The Postgres-backed job queue (pg-boss): pipeline chunks, and single-sample tasks from the review page. pg-boss keeps its tables in its own
// `pgboss` schema and retries a job whose worker died once the job expires.
import "server-only";
import PgBoss from "pg-boss";
import { databaseUrl } from "@/lib/db/client";
import { logDatabaseError } from "@/lib/db/outage";

export const PIPELINE_QUEUE = "pipeline-chunk";
/** One job per sample task (regenerate, re-check) asked for in the browser: see lib/review/tasks.ts. */
export const SAMPLE_TASK_QUEUE = "sample-task";
/** One job per calibration of a judge (lib/calibration/). */
export const CALIBRATION_QUEUE = "calibration";
/** One job per chunk of a self-refinement round's source samples: the policy model's answers (lib/rounds/). */
export const ROUND_QUEUE = "round-generate";
/**
 * One job per pass of a batch run (lib/batch/job.ts), each queueing the next. At most one queued per run (policy
 * "short", singleton key `run-<id>`): a pass retried after its worker died does not start a second chain.
 */
export const BATCH_QUEUE = "batch-pass";

/**
 * A chunk job must finish within this; past it, pg-boss hands it to another worker, which is how a crashed
 * worker's chunks come back. Set on each job when it is queued. (A slow live chunk handed out twice costs judge
 * calls but writes nothing twice: see lib/pipeline/store.ts.)
 */
export const jobExpireSeconds = () => Number(process.env.STUDIO_JOB_EXPIRE_SECONDS) || 5 * 60;
const maintenanceSeconds = () => Number(process.env.STUDIO_JOB_MAINTENANCE_SECONDS) || 30;

export interface SampleTaskJob {
  taskId: number;
}

export interface CalibrationJob {
  calibrationId: number;
}

export interface RoundChunkJob {
  roundId: number;
  sourceSampleIds: number[];
}

export interface BatchPassJob {
  runId: number;
}

export interface ChunkJob {
  runId: number;
  sampleIds: number[];
}

const state = globalThis as unknown as { __studioBoss?: Promise<PgBoss> };

export function getBoss(): Promise<PgBoss> {
  state.__studioBoss ??= (async () => {
    const boss = new PgBoss({
      connectionString: await databaseUrl(),
      max: 4,
      expireInSeconds: jobExpireSeconds(),
      retryLimit: 5,
      retryDelay: 1,
      maintenanceIntervalSeconds: maintenanceSeconds(),
      // Nothing of ours is scheduled; the clock monitor would only add queries.
      schedule: false,
    });
    boss.on("error", (error) => logDatabaseError("job queue", error));
    await boss.start();
    for (const queue of [PIPELINE_QUEUE, SAMPLE_TASK_QUEUE, CALIBRATION_QUEUE, ROUND_QUEUE]) {
      if (!(await boss.getQueue(queue))) await boss.createQueue(queue);
    }
    if (!(await boss.getQueue(BATCH_QUEUE))) await boss.createQueue(BATCH_QUEUE, { name: BATCH_QUEUE, policy: "short" });
    return boss;
  })().catch((error) => {
    state.__studioBoss = undefined;
    throw error;
  });
  return state.__studioBoss;
}

/**
 * Works `queue`'s jobs one at a time in this process (call it once per job wanted at once). pg-boss waits its polling
 * interval after every job before it fetches the next, even with more waiting: four loops of 50-sample chunks, each
 * fetching at most twice a second, capped a run at 400 samples/s. A loop that has just finished a job fetches again
 * at once; only a fetch that finds nothing waits the interval.
 */
export async function workJobs<T>(
  queue: string,
  handle: (job: PgBoss.JobWithMetadata<T>) => Promise<unknown>,
  { pollingIntervalSeconds = 0.5 }: { pollingIntervalSeconds?: number } = {},
): Promise<void> {
  const boss = await getBoss();
  const workerId = await boss.work<T>(queue, { batchSize: 1, pollingIntervalSeconds, includeMetadata: true }, async ([job]) => {
    try {
      await handle(job);
    } finally {
      boss.notifyWorker(workerId);
    }
  });
}

export async function stopBoss(): Promise<void> {
  const boss = state.__studioBoss;
  state.__studioBoss = undefined;
  if (boss) await (await boss).stop({ graceful: true, wait: true, timeout: 10_000 });
}
