// The discard audit: every discarded sample, grouped by the stage and the code that discarded it (a rule id, "llm",
// "regeneration-exhausted", "human", ...), so a wrong rule or an over-strict judge shows up as one big group; the
// samples of a group page by cursor; and a restore sends some or all of them back to review (`flagged`) as human
// decisions, which the sample's history keeps — as one recorded bulk job (lib/review/bulk-jobs.ts).
import { getPool } from "@/lib/db/client";
import { InvalidRequestError } from "@/lib/errors";
import type { BulkFailure, BulkJobTarget } from "./bulk-job-view";
import { runBulkJob } from "./bulk-jobs";
import { decideMany, invalidDecision, type DecisionInput } from "./decisions";

/** A group: the deciding stage and code, each null when the sample has none (e.g. a human discard without a stage). */
export interface DiscardGroupKey {
  stage: number | null;
  code: string | null;
}

export interface DiscardGroup extends DiscardGroupKey {
  count: number;
  /** One of the group's status reasons. */
  example: string | null;
}

export interface AuditScope {
  /** Only this dataset's samples. */
  datasetId?: number;
}

/** The WHERE clause of a group's discarded samples (each key as an equality or IS NULL, so the index serves both). */
function groupCondition(group: DiscardGroupKey, scope: AuditScope, params: unknown[]): string {
  const parts = [`s.status = 'discarded'`];
  parts.push(group.stage === null ? "s.status_stage IS NULL" : `s.status_stage = $${params.push(group.stage)}`);
  parts.push(group.code === null ? "s.status_code IS NULL" : `s.status_code = $${params.push(group.code)}`);
  if (scope.datasetId !== undefined) parts.push(`s.dataset_id = $${params.push(scope.datasetId)}`);
  return parts.join(" AND ");
}

// The counts are one GROUP BY over the discarded-groups index (stage, code WHERE status = 'discarded'), an
// index-only scan across all datasets. Each group's example is then one probe of that index: a key can be null (a
// reviewer's discard names no stage), and only an equality or an IS NULL finds it in the index, hence one branch
// per case, each skipped at once when its case does not apply.
const DISCARD_GROUPS = `
WITH groups AS (
  SELECT status_stage AS stage, status_code AS code, count(*)::int AS count
  FROM samples s
  WHERE status = 'discarded' AND ($1::int IS NULL OR dataset_id = $1)
  GROUP BY status_stage, status_code
)
SELECT g.stage, g.code, g.count, e.reason AS example
FROM groups g
LEFT JOIN LATERAL (
  SELECT s.status_reason AS reason FROM samples s
  WHERE s.status = 'discarded' AND s.status_stage = g.stage AND s.status_code = g.code AND ($1::int IS NULL OR s.dataset_id = $1)
  UNION ALL
  SELECT s.status_reason FROM samples s
  WHERE g.stage IS NULL AND s.status = 'discarded' AND s.status_stage IS NULL AND s.status_code = g.code
    AND ($1::int IS NULL OR s.dataset_id = $1)
  UNION ALL
  SELECT s.status_reason FROM samples s
  WHERE g.code IS NULL AND s.status = 'discarded' AND s.status_stage IS NOT DISTINCT FROM g.stage AND s.status_code IS NULL
    AND ($1::int IS NULL OR s.dataset_id = $1)
  LIMIT 1
) e ON true
ORDER BY g.count DESC, g.stage NULLS LAST, g.code NULLS LAST`;

/** Every group of discarded samples, largest first, each with an example reason. */
export async function discardGroups(scope: AuditScope = {}): Promise<DiscardGroup[]> {
  const pool = await getPool();
  const { rows } = await pool.query<DiscardGroup>(DISCARD_GROUPS, [scope.datasetId ?? null]);
  return rows;
}

export interface DiscardedSample {
  id: number;
  dataset: string;
  /** The query's first 300 characters. */
  query: string;
  reason: string | null;
  decidedBy: string | null;
  updatedAt: Date;
}

export interface DiscardedPage {
  samples: DiscardedSample[];
  /** Cursors for the neighbouring pages (sample ids), null at either end. */
  before: number | null;
  after: number | null;
}

export interface PageCursor {
  /** The page after this id (ids ascending). */
  after?: number;
  /** The page before this id. */
  before?: number;
  limit?: number;
}

/** One page of a group's samples in id order, by cursor: no OFFSET, so page 500 costs what page 1 does. */
export async function discardedSamples(group: DiscardGroupKey, scope: AuditScope = {}, cursor: PageCursor = {}): Promise<DiscardedPage> {
  const limit = cursor.limit ?? 50;
  const backwards = cursor.before !== undefined;
  const params: unknown[] = [];
  const where = groupCondition(group, scope, params);
  const edge = backwards ? `s.id < $${params.push(cursor.before)}` : cursor.after !== undefined ? `s.id > $${params.push(cursor.after)}` : "true";
  const pool = await getPool();
  const { rows } = await pool.query<{
    id: number;
    dataset: string;
    query: string;
    status_reason: string | null;
    decided_by: string | null;
    updated_at: Date;
  }>(
    `SELECT s.id, d.name AS dataset, left(s.query, 300) AS query, s.status_reason, s.decided_by, s.updated_at
     FROM samples s JOIN datasets d ON d.id = s.dataset_id
     WHERE ${where} AND ${edge}
     ORDER BY s.id ${backwards ? "DESC" : "ASC"} LIMIT $${params.push(limit + 1)}`,
    params,
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();
  const samples = page.map((r) => ({
    id: r.id,
    dataset: r.dataset,
    query: r.query,
    reason: r.status_reason,
    decidedBy: r.decided_by,
    updatedAt: r.updated_at,
  }));
  if (samples.length === 0) return { samples, before: null, after: null };
  const first = samples[0].id;
  const last = samples[samples.length - 1].id;
  // The fetched direction knows from the extra row whether more follow; the other direction asks.
  const hasBefore = backwards ? more : cursor.after !== undefined && (await anyBeyond(group, scope, "<", first));
  const hasAfter = backwards ? await anyBeyond(group, scope, ">", last) : more;
  return { samples, before: hasBefore ? first : null, after: hasAfter ? last : null };
}

async function anyBeyond(group: DiscardGroupKey, scope: AuditScope, direction: "<" | ">", id: number): Promise<boolean> {
  const params: unknown[] = [];
  const where = groupCondition(group, scope, params);
  const pool = await getPool();
  const { rows } = await pool.query(`SELECT 1 FROM samples s WHERE ${where} AND s.id ${direction} $${params.push(id)} LIMIT 1`, params);
  return rows.length > 0;
}

/** The ids of every sample in a group (what "restore the whole group" restores). */
async function groupSampleIds(group: DiscardGroupKey, scope: AuditScope = {}): Promise<number[]> {
  const params: unknown[] = [];
  const where = groupCondition(group, scope, params);
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number }>(`SELECT s.id FROM samples s WHERE ${where} ORDER BY s.id`, params);
  return rows.map((r) => r.id);
}

export interface RestoreInput {
  /** `human:<name>`. */
  author: string;
  reason: string;
}

export interface RestoreResult {
  /** The recorded bulk job. */
  jobId: number;
  restored: number;
  failed: number;
  /** The first failures, in id order. */
  failures: BulkFailure[];
}

/** Sends discarded samples back to review (they become `flagged`); says why any could not be restored. */
export function restoreSamples(sampleIds: readonly number[], input: RestoreInput): Promise<RestoreResult> {
  return restore([...sampleIds], { kind: "selection", samples: new Set(sampleIds).size }, input);
}

/** Restores every sample of a group (in the scope) back to review. */
export async function restoreGroup(group: DiscardGroupKey, scope: AuditScope, input: RestoreInput): Promise<RestoreResult> {
  return restore(await groupSampleIds(group, scope), { kind: "group", ...group, ...scope }, input);
}

async function restore(sampleIds: number[], target: BulkJobTarget, input: RestoreInput): Promise<RestoreResult> {
  const decision: DecisionInput = { action: "restore", author: input.author, reason: input.reason };
  const invalid = invalidDecision(decision);
  if (invalid) throw new InvalidRequestError(invalid);
  const job = await runBulkJob({ actor: input.author, action: "restore", options: { reason: input.reason.trim() }, target, sampleIds }, (batch, bulkJobId) =>
    decideMany(batch, decision, { bulkJobId }),
  );
  return { jobId: job.id, restored: job.done, failed: job.failed, failures: job.failures };
}

export interface RestoreRecord {
  sampleId: number;
  query: string;
  author: string;
  reason: string | null;
  at: Date;
}

/** The latest restores, newest first: who sent what back to review, and why. */
export async function recentRestores(scope: AuditScope = {}, limit = 10): Promise<RestoreRecord[]> {
  const pool = await getPool();
  const { rows } = await pool.query<{ sample_id: number; query: string; author: string; reason: string | null; created_at: Date }>(
    `SELECT r.sample_id, left(s.query, 200) AS query, r.author, r.reason, r.created_at
     FROM review_decisions r JOIN samples s ON s.id = r.sample_id
     WHERE r.action = 'restore' AND r.undone_at IS NULL AND ($1::int IS NULL OR s.dataset_id = $1)
     ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
    [scope.datasetId ?? null, limit],
  );
  return rows.map((r) => ({ sampleId: r.sample_id, query: r.query, author: r.author, reason: r.reason, at: r.created_at }));
}
