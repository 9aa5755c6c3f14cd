// The review queue: every annotator asks for "the next sample that needs a human" (pipeline passed, or flagged)
// and gets one nobody else holds. A claim is a name and an expiry on the sample row, taken with
// `FOR UPDATE SKIP LOCKED`, so two annotators asking at the same moment never get the same sample, and a claim
// left behind (a closed tab) frees itself when it expires. Decisions clear the claim (lib/review/decisions.ts).
//
// `user` everywhere here is the reviewer's plain name (CurrentUser.name, "reviewer-3f9a2c"), not `human:<name>`:
// that prefixed form is how decisions and revisions record a person, a claim just names its holder.
import { getPool } from "@/lib/db/client";

/** How long a claim holds without a decision (STUDIO_CLAIM_MINUTES, default 15). */
export function claimMinutes(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.STUDIO_CLAIM_MINUTES ?? 15);
  return Number.isFinite(n) && n > 0 ? n : 15;
}

export interface ClaimOptions {
  /** Only this dataset's samples. */
  datasetId?: number;
  /** Samples not to hand out (the one on screen, when prefetching the next). */
  exclude?: number[];
}

// The claim this annotator already holds comes back first (a reload must not skip a sample); otherwise the lowest
// free id they have not skipped lately (review_skips). `claimed_until <= now()` is what makes an abandoned claim free
// again.
//
// Both branches lock the row they return. `held` waits for the lock (a decision on that very sample may be
// committing) and PostgreSQL then re-checks its WHERE on the row's newest version, so a sample decided in the
// meantime is not handed back; `free` skips rows another transaction has locked — another annotator taking them
// right now — and likewise re-checks the ones it locks, so a row claimed since this statement's snapshot is passed
// over.
/** The sample (`samples.id`) was not skipped by the reviewer ($1) within a claim's lifetime. */
export const NOT_SKIPPED = `NOT EXISTS (SELECT 1 FROM review_skips k WHERE k.user_name = $1 AND k.sample_id = samples.id AND k.until > now())`;

const CLAIM_NEXT = `
WITH held AS (
  SELECT id FROM samples
  WHERE status IN ('passed', 'flagged') AND claimed_by = $1 AND claimed_until > now()
    AND ($2::int IS NULL OR dataset_id = $2) AND NOT (id = ANY($3::int[]))
  ORDER BY id LIMIT 1
  FOR UPDATE
), free AS (
  SELECT id FROM samples
  WHERE status IN ('passed', 'flagged') AND (claimed_by IS NULL OR claimed_until <= now())
    AND ($2::int IS NULL OR dataset_id = $2) AND NOT (id = ANY($3::int[]))
    AND ${NOT_SKIPPED}
    AND NOT EXISTS (SELECT 1 FROM held)
  ORDER BY id LIMIT 1
  FOR UPDATE SKIP LOCKED
), target AS (
  SELECT id FROM held UNION ALL SELECT id FROM free
)
UPDATE samples s SET claimed_by = $1, claimed_until = now() + make_interval(secs => $4)
FROM target WHERE s.id = target.id
RETURNING s.id`;

/** Claims (or re-affirms, with a fresh expiry) the next sample for `user`; null when nothing needs a human. */
export async function claimNext(user: string, options: ClaimOptions = {}): Promise<number | null> {
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number }>(CLAIM_NEXT, [user, options.datasetId ?? null, options.exclude ?? [], claimMinutes() * 60]);
  return rows[0]?.id ?? null;
}

/**
 * Gives a claimed sample back to the queue. Only the holder can release it; false when `user` did not hold it. With
 * `skip`, the queue also stops handing it to `user` for a claim's lifetime (others get it at once).
 */
export async function releaseClaim(user: string, sampleId: number, { skip = false }: { skip?: boolean } = {}): Promise<boolean> {
  const pool = await getPool();
  const { rows } = await pool.query<{ released: boolean }>(
    `WITH released AS (
       UPDATE samples SET claimed_by = NULL, claimed_until = NULL WHERE id = $1 AND claimed_by = $2 RETURNING id
     ), skipped AS (
       INSERT INTO review_skips (user_name, sample_id, until)
       SELECT $2, id, now() + make_interval(secs => $3) FROM released WHERE $4
       ON CONFLICT (user_name, sample_id) DO UPDATE SET until = EXCLUDED.until
     )
     SELECT EXISTS (SELECT 1 FROM released) AS released`,
    [sampleId, user, claimMinutes() * 60, skip],
  );
  return rows[0].released;
}

/**
 * Takes back a skip: the reviewer holds the sample again (a fresh claim) and the queue may hand it to them. False when
 * someone else holds it meanwhile, or it no longer needs a human.
 */
export async function reclaim(user: string, sampleId: number): Promise<boolean> {
  const pool = await getPool();
  const { rows } = await pool.query<{ claimed: boolean }>(
    `WITH unskipped AS (
       DELETE FROM review_skips WHERE user_name = $1 AND sample_id = $2
     ), claimed AS (
       UPDATE samples SET claimed_by = $1, claimed_until = now() + make_interval(secs => $3)
       WHERE id = $2 AND status IN ('passed', 'flagged') AND (claimed_by IS NULL OR claimed_until <= now() OR claimed_by = $1)
       RETURNING id
     )
     SELECT EXISTS (SELECT 1 FROM claimed) AS claimed`,
    [user, sampleId, claimMinutes() * 60],
  );
  return rows[0].claimed;
}

/** Who holds a sample now (null when free or expired). */
export async function claimHolder(sampleId: number): Promise<{ user: string; until: Date } | null> {
  const pool = await getPool();
  const { rows } = await pool.query<{ claimed_by: string; claimed_until: Date }>(
    `SELECT claimed_by, claimed_until FROM samples WHERE id = $1 AND claimed_by IS NOT NULL AND claimed_until > now()`,
    [sampleId],
  );
  return rows[0] ? { user: rows[0].claimed_by, until: rows[0].claimed_until } : null;
}

/** Whether a dataset and a sample exist: the queue's routes answer 404 for ids that name nothing. */
export async function datasetExists(datasetId: number): Promise<boolean> {
  const pool = await getPool();
  return ((await pool.query(`SELECT 1 FROM datasets WHERE id = $1`, [datasetId])).rowCount ?? 0) > 0;
}

export async function sampleExists(sampleId: number): Promise<boolean> {
  const pool = await getPool();
  return ((await pool.query(`SELECT 1 FROM samples WHERE id = $1`, [sampleId])).rowCount ?? 0) > 0;
}
