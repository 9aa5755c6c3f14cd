// Background work on single samples asked for from the review page or the table's bulk actions: regenerate (a new
// answer, or a new CoT and answer, optionally following an instruction) and re-check (run the stages again). A task
// row and its queue job are written in one transaction, so a task never exists without its job; the worker
// (lib/review/task-handler.ts) writes the result with a version check against `sample_version`. Each request is in
// the audit log, in the same transaction.
import { z } from "zod";
import { getPool } from "@/lib/db/client";
import { SAMPLE_TASK_QUEUE, getBoss, jobExpireSeconds, type SampleTaskJob } from "@/lib/jobs/boss";
import { addBulkProgress } from "./bulk-jobs";
import { turnSchema } from "@/lib/zod/schemas";

export const TASK_KINDS = ["regenerate", "recheck"] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const TaskOptionsSchemas = {
  regenerate: z.object({
    scope: z.enum(["answer", "cot+answer"]).default("cot+answer"),
    instruction: z.string().trim().max(2_000).optional(),
    /** A conversation's assistant turn to regenerate (the first answer by default). */
    turn: turnSchema.optional(),
  }),
  recheck: z.object({ stages: z.enum(["rules", "all"]).default("all") }),
} as const;
export type TaskOptions<K extends TaskKind> = z.infer<(typeof TaskOptionsSchemas)[K]>;

export type TaskStatus = "queued" | "running" | "succeeded" | "failed" | "conflict";

export interface SampleTaskRow {
  id: number;
  sampleId: number;
  kind: TaskKind;
  options: Record<string, unknown>;
  status: TaskStatus;
  message: string | null;
  requestedBy: string;
  sampleVersion: number;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface RequestTasksResult {
  tasks: { sampleId: number; taskId: number }[];
  failures: { sampleId: number; message: string }[];
}

/**
 * Queues one task per sample (at its current version). Samples that do not exist, or that already have a task of
 * this kind queued or running, are reported as failures and get none. `bulkJobId`: the bulk job the requests are
 * part of (their audit entries name it, and its count of done samples grows in the same transaction).
 */
export async function requestTasks<K extends TaskKind>(
  sampleIds: readonly number[],
  kind: K,
  options: z.input<(typeof TaskOptionsSchemas)[K]>,
  author: string,
  { bulkJobId }: { bulkJobId?: number } = {},
): Promise<RequestTasksResult> {
  const parsed = TaskOptionsSchemas[kind].parse(options);
  const ids = [...new Set(sampleIds)];
  await getBoss(); // the queue must exist before the transaction inserts into it
  const pool = await getPool();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: number; sample_id: number }>(
      `INSERT INTO sample_tasks (sample_id, kind, options, requested_by, sample_version)
       SELECT s.id, $2, $3, $4, s.version FROM samples s
       WHERE s.id = ANY($1::int[]) AND NOT EXISTS (
         SELECT 1 FROM sample_tasks t WHERE t.sample_id = s.id AND t.kind = $2 AND t.status IN ('queued', 'running'))
       ORDER BY s.id
       RETURNING id, sample_id`,
      [ids, kind, parsed, author],
    );
    await client.query(
      `INSERT INTO audit_log (actor, action, target_type, target_id, summary, after, bulk_job_id)
       SELECT $1, $2, 'sample', t.sample_id::text, $3 || ' sample ' || t.sample_id, $4, $6 FROM unnest($5::int[]) AS t(sample_id)`,
      [author, `sample.${kind}`, kind === "regenerate" ? "Asked to regenerate" : "Asked to re-check", parsed, rows.map((r) => r.sample_id), bulkJobId ?? null],
    );
    await addBulkProgress(client, bulkJobId, rows.length);
    const boss = await getBoss();
    const jobs = rows.map((r) => ({ name: SAMPLE_TASK_QUEUE, data: { taskId: r.id } satisfies SampleTaskJob, expireInSeconds: jobExpireSeconds() }));
    const db = { executeSql: (text: string, values: unknown[]) => client.query(text, values) };
    for (let i = 0; i < jobs.length; i += 1_000) await boss.insert(jobs.slice(i, i + 1_000), { db: db as never });
    await client.query("COMMIT");
    const queued = new Set(rows.map((r) => r.sample_id));
    const missed = ids.filter((id) => !queued.has(id));
    return {
      tasks: rows.map((r) => ({ sampleId: r.sample_id, taskId: r.id })),
      failures: missed.length ? await explainMissed(missed, kind) : [],
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function explainMissed(ids: number[], kind: TaskKind): Promise<RequestTasksResult["failures"]> {
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number }>(`SELECT id FROM samples WHERE id = ANY($1::int[])`, [ids]);
  const existing = new Set(rows.map((r) => r.id));
  return ids.map((sampleId) => ({
    sampleId,
    message: existing.has(sampleId) ? `a ${kind} is already queued or running` : "no such sample",
  }));
}

/** A sample's most recent tasks, newest first. */
export async function latestTasks(sampleId: number, limit = 10): Promise<SampleTaskRow[]> {
  const pool = await getPool();
  const { rows } = await pool.query(
    `SELECT id, sample_id, kind, options, status, message, requested_by, sample_version, created_at, finished_at
     FROM sample_tasks WHERE sample_id = $1 ORDER BY id DESC LIMIT $2`,
    [sampleId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    sampleId: r.sample_id,
    kind: r.kind,
    options: r.options,
    status: r.status,
    message: r.message,
    requestedBy: r.requested_by,
    sampleVersion: r.sample_version,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  }));
}
