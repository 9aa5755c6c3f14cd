// The audit log (table audit_log, append-only in the database): one row per thing a person or the CLI did —
// sign-in, import, export, runs, decisions, edits, regenerations, restores, settings, users, bulk actions (one
// entry per bulk action, target bulk/<job id>, and one per sample it touched, carrying bulk_job_id). Changes record
// the row in the same transaction as the change where there is one (pass its client), so neither exists without the
// other.
import { userInfo } from "node:os";
import type { PoolClient } from "pg";
import { getPool } from "@/lib/db/client";
import type { AuditTargetType } from "./targets";

export type { AuditTargetType } from "./targets";

export interface AuditInput {
  /** human:<email>, cli:<os user> or system. */
  actor: string;
  action: string;
  target?: { type: AuditTargetType; id: string | number };
  /** One readable sentence. */
  summary: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  targetType: AuditTargetType | null;
  targetId: string | null;
  summary: string;
  before: unknown;
  after: unknown;
  /** A per-sample entry of a bulk action: that action's id. */
  bulkJobId: number | null;
  createdAt: Date;
}

type Queryable = Pick<PoolClient, "query">;

/** Who the CLI acts as: the operating-system user running it (whoever has the database has the studio). */
export function cliActor(): string {
  return `cli:${userInfo().username}`;
}

export async function recordAudit(entry: AuditInput, db?: Queryable): Promise<void> {
  const target = db ?? (await getPool());
  await target.query(
    `INSERT INTO audit_log (actor, action, target_type, target_id, summary, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      entry.actor,
      entry.action,
      entry.target?.type ?? null,
      entry.target ? String(entry.target.id) : null,
      entry.summary,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
    ],
  );
}

export interface AuditFilter {
  actor?: string;
  /** An action, or a prefix ending in "." ("decision." for every decision). */
  action?: string;
  targetType?: AuditTargetType;
  targetId?: string;
  /** The per-sample entries of this bulk action. */
  bulkJobId?: number;
  /** Keyset: entries older than this id. */
  before?: string;
  limit?: number;
}

/** Newest first, by filter; `next` is the cursor of the following page (null at the end). */
export async function listAudit(filter: AuditFilter = {}): Promise<{ entries: AuditEntry[]; next: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replace("?", `$${values.length}`));
  };
  if (filter.actor) add("actor = ?", filter.actor);
  if (filter.action) {
    if (filter.action.endsWith(".")) add("starts_with(action, ?)", filter.action);
    else add("action = ?", filter.action);
  }
  if (filter.targetType) add("target_type = ?", filter.targetType);
  if (filter.targetId) add("target_id = ?", filter.targetId);
  if (filter.bulkJobId !== undefined) add("bulk_job_id = ?", filter.bulkJobId);
  if (filter.before) add("id < ?::bigint", filter.before);
  values.push(limit + 1);
  const pool = await getPool();
  const { rows } = await pool.query(
    `SELECT id::text AS id, actor, action, target_type, target_id, summary, before, after, bulk_job_id, created_at FROM audit_log
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY audit_log.id DESC LIMIT $${values.length}`,
    values,
  );
  const entries: AuditEntry[] = rows.slice(0, limit).map((r) => ({
    id: r.id,
    actor: r.actor,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    summary: r.summary,
    before: r.before,
    after: r.after,
    bulkJobId: r.bulk_job_id,
    createdAt: r.created_at,
  }));
  return { entries, next: rows.length > limit ? entries.at(-1)!.id : null };
}
