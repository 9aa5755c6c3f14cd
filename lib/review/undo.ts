// Undoing a decision: the sample goes back exactly as it was before it (status, who decided and why, and the claim,
// which its reviewer holds again), as a new version; an `undo` decision records it in the sample's history and the
// audit log, and the undone decision is marked so no figure counts it. Only the sample's latest decision, only by
// whoever made it, and only while nothing else has changed the sample since.
import "server-only";
import type pg from "pg";
import { getPool } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/transaction";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import type { SampleStatus } from "@/lib/samples/types";
import { claimMinutes } from "./queue";

export interface UndoResult {
  version: number;
  status: SampleStatus;
}

interface StateBefore {
  decided_by: string | null;
  status_code: string | null;
  status_stage: number | null;
  status_reason: string | null;
  claimed_by: string | null;
}

const VERB: Record<string, string> = { approve: "approval", discard: "discard", restore: "restore" };

export async function undoDecision(sampleId: number, decisionId: string, author: string): Promise<UndoResult> {
  return inTransaction(async (client) => {
    const sample = await client.query<{ version: number }>(`SELECT version FROM samples WHERE id = $1 FOR UPDATE`, [sampleId]);
    if (!sample.rows[0]) throw new NotFoundError(`sample ${sampleId} does not exist`);
    const { rows } = await client.query<{
      id: string;
      action: string;
      author: string;
      status_before: SampleStatus;
      version: number;
      state_before: StateBefore | null;
      undone_at: Date | null;
      kind: string | null;
      status_after: SampleStatus;
      latest: string;
    }>(
      `SELECT id::text, action, author, status_before, status_after, version, state_before, undone_at, kind,
         (SELECT max(id) FROM review_decisions WHERE sample_id = $1)::text AS latest
       FROM review_decisions WHERE sample_id = $1 AND id = $2::bigint`,
      [sampleId, decisionId],
    );
    const decision = rows[0];
    if (!decision || decision.action === "undo") throw new NotFoundError(`sample ${sampleId} has no decision ${decisionId} to undo`);
    if (decision.author !== author) throw new ForbiddenError(`only ${decision.author.replace(/^human:/, "")}, who made it, can undo this ${VERB[decision.action]}`);
    if (decision.undone_at) throw new ConflictError(`this ${VERB[decision.action]} was already undone`);
    if (decision.kind === "vote" && decision.status_after === decision.status_before) {
      return undoOpenVote(client, sampleId, sample.rows[0].version, decision);
    }
    if (decision.latest !== decision.id || sample.rows[0].version !== decision.version || !decision.state_before) {
      throw new ConflictError(`sample ${sampleId} changed after this ${VERB[decision.action]}: it cannot be undone, decide again instead`);
    }
    const before = decision.state_before;
    const updated = await client.query<{ version: number; status_after: SampleStatus }>(
      `UPDATE samples s SET status = $2::"SampleStatus", decided_by = $3, status_code = $4, status_stage = $5, status_reason = $6,
         claimed_by = $7, claimed_until = CASE WHEN $7::text IS NULL THEN NULL ELSE now() + make_interval(secs => $8) END,
         version = s.version + 1, updated_at = now()
       WHERE s.id = $1
       RETURNING s.version, (SELECT status_after FROM review_decisions WHERE id = $9::bigint) AS status_after`,
      [sampleId, decision.status_before, before.decided_by, before.status_code, before.status_stage, before.status_reason, before.claimed_by, claimMinutes() * 60, decision.id],
    );
    const { version, status_after } = updated.rows[0];
    await client.query(`UPDATE review_decisions SET undone_at = now() WHERE id = $1::bigint`, [decision.id]);
    // The other reviews of the sample's round stay its reviews (lib/review/overlap.ts); the undone vote is a claim again.
    await client.query(`UPDATE review_votes SET version = $2 WHERE sample_id = $1 AND action IS NOT NULL AND version = $3`, [sampleId, version, decision.version - 1]);
    if (decision.kind === "vote") await reopenVote(client, sampleId, decision.id);
    const summary = `Undid the ${VERB[decision.action]} of sample ${sampleId} (back to ${decision.status_before})`;
    await client.query(
      `INSERT INTO review_decisions (sample_id, action, author, reason, status_before, status_after, version)
       VALUES ($1, 'undo', $2, $3, $4, $5, $6)`,
      [sampleId, author, summary, status_after, decision.status_before, version],
    );
    await client.query(
      `INSERT INTO audit_log (actor, action, target_type, target_id, summary, before, after) VALUES ($1, 'decision.undo', 'sample', $2, $3, $4, $5)`,
      [author, String(sampleId), summary, { status: status_after, version: version - 1, decision: decision.id }, { status: decision.status_before, version }],
    );
    return { version, status: decision.status_before };
  });
}

/**
 * A vote that did not decide the sample changed nothing but the round: it becomes its reviewer's claim again, and the
 * sample keeps its version (the other reviewers' votes stay valid). Any such vote of the round can be undone.
 */
async function undoOpenVote(
  client: pg.PoolClient,
  sampleId: number,
  version: number,
  decision: { id: string; action: string; author: string; status_before: SampleStatus },
): Promise<UndoResult> {
  if (!(await reopenVote(client, sampleId, decision.id, version))) {
    throw new ConflictError(`sample ${sampleId} changed after this review: it cannot be undone, decide again instead`);
  }
  await client.query(`UPDATE review_decisions SET undone_at = now() WHERE id = $1::bigint`, [decision.id]);
  const summary = `Undid the review of sample ${sampleId} (${decision.action})`;
  await client.query(
    `INSERT INTO review_decisions (sample_id, action, author, reason, status_before, status_after, version, kind)
     VALUES ($1, 'undo', $2, $3, $4, $4, $5, 'vote')`,
    [sampleId, decision.author, summary, decision.status_before, version],
  );
  await client.query(
    `INSERT INTO audit_log (actor, action, target_type, target_id, summary, before, after) VALUES ($1, 'decision.undo', 'sample', $2, $3, $4, $5)`,
    [decision.author, String(sampleId), summary, { vote: decision.action, decision: decision.id }, { vote: null }],
  );
  return { version, status: decision.status_before };
}

/** The vote of that decision becomes its reviewer's claim (only while it counts for `version`, when given). */
async function reopenVote(client: pg.PoolClient, sampleId: number, decisionId: string, version?: number): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE review_votes SET action = NULL, reason = NULL, stage = NULL, version = NULL, decision_id = NULL, voted_at = NULL,
       claimed_until = now() + make_interval(secs => $3)
     WHERE sample_id = $1 AND decision_id = $2::bigint AND ($4::int IS NULL OR version = $4)`,
    [sampleId, decisionId, claimMinutes() * 60, version ?? null],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * The sample's latest decision when it can still be undone (not undone, not itself an undo) and the version it left
 * the sample at; History offers it while the sample is still at that version.
 */
export async function latestUndoable(sampleId: number): Promise<{ id: string; action: string; author: string; version: number } | null> {
  const pool = await getPool();
  const { rows } = await pool.query<{ id: string; action: string; author: string; version: number; undone_at: Date | null }>(
    // Ordered by the bigint column: `ORDER BY id` would sort the text alias, and "9" comes after "10".
    `SELECT d.id::text AS id, d.action, d.author, d.version, d.undone_at FROM review_decisions d WHERE d.sample_id = $1 ORDER BY d.id DESC LIMIT 1`,
    [sampleId],
  );
  const latest = rows[0];
  if (!latest || latest.action === "undo" || latest.undone_at) return null;
  return { id: latest.id, action: latest.action, author: latest.author, version: latest.version };
}

/** The latest decision when the sample is still at the version it left (nothing changed since), else null. */
export function undoableAt(latest: Awaited<ReturnType<typeof latestUndoable>>, version: number): { id: string; action: string; author: string } | null {
  if (!latest || latest.version !== version) return null;
  return { id: latest.id, action: latest.action, author: latest.author };
}
