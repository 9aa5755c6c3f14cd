// The review queue: every annotator asks for "the next sample that needs a human" (pipeline passed, or flagged)
// and gets one nobody else holds. A claim is a name and an expiry on the sample row, taken with
// `FOR UPDATE SKIP LOCKED`, so two annotators asking at the same moment never get the same sample, and a claim
// left behind (a closed tab) frees itself when it expires. Decisions clear the claim (lib/review/decisions.ts).
//
// `user` everywhere here is the reviewer's plain name (CurrentUser.name, "reviewer-3f9a2c"), not `human:<name>`:
// that prefixed form is how decisions and revisions record a person, a claim just names its holder.
import { getPool } from "@/lib/db/client";
import { AWAITS_ADJUDICATION, HELD_VOTE_CLAIM, REVIEWS_PER_SAMPLE, claimForVote, reclaimForVote } from "./overlap";
import { NOT_SKIPPED, type ClaimOptions } from "./queue-sql";

/** How long a claim holds without a decision (STUDIO_CLAIM_MINUTES, default 15). */
export function claimMinutes(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.STUDIO_CLAIM_MINUTES ?? 15);
  return Number.isFinite(n) && n > 0 ? n : 15;
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
//
// This claim on the sample row serves datasets reviewed once per sample, and the adjudication of the others; a
// dataset with several reviews per sample hands its samples out through review_votes (lib/review/overlap.ts).
function claimNextSql(which: string): string {
  return `
WITH held AS (
  SELECT id FROM samples
  WHERE status IN ('passed', 'flagged') AND ${which} AND claimed_by = $1 AND claimed_until > now()
    AND ($2::int IS NULL OR dataset_id = $2) AND NOT (id = ANY($3::int[]))
  ORDER BY id LIMIT 1
  FOR UPDATE
), free AS (
  SELECT id FROM samples
  WHERE status IN ('passed', 'flagged') AND ${which} AND (claimed_by IS NULL OR claimed_until <= now())
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
}

/** Which samples each queue hands out on the sample row's claim. */
export const QUEUE_SAMPLES = { review: `${REVIEWS_PER_SAMPLE} = 1`, adjudicate: AWAITS_ADJUDICATION } as const;
const CLAIM_NEXT = { review: claimNextSql(QUEUE_SAMPLES.review), adjudicate: claimNextSql(QUEUE_SAMPLES.adjudicate) };

/**
 * Claims (or re-affirms, with a fresh expiry) the next sample for `user`; null when nothing needs a human. In the
 * review queue a held claim of either kind comes first, then samples reviewed once, then those reviewed several times.
 */
export async function claimNext(user: string, options: ClaimOptions = {}): Promise<number | null> {
  const pool = await getPool();
  const mode = options.mode ?? "review";
  const seconds = claimMinutes() * 60;
  const params = [user, options.datasetId ?? null, options.exclude ?? [], seconds];
  if (mode === "adjudicate") return (await pool.query<{ id: number }>(CLAIM_NEXT.adjudicate, params)).rows[0]?.id ?? null;
  const heldVote = await pool.query<{ id: number }>(HELD_VOTE_CLAIM, params.slice(0, 3));
  if (heldVote.rows[0]) return claimForVote(user, options, seconds);
  const { rows } = await pool.query<{ id: number }>(CLAIM_NEXT.review, params);
  return rows[0]?.id ?? claimForVote(user, options, seconds);
}

/**
 * Gives a claimed sample back to the queue. Only the holder can release it; false when `user` did not hold it. With
 * `skip`, the queue also stops handing it to `user` for a claim's lifetime (others get it at once).
 */
export async function releaseClaim(user: string, sampleId: number, { skip = false }: { skip?: boolean } = {}): Promise<boolean> {
  const pool = await getPool();
  const { rows } = await pool.query<{ released: boolean }>(
    `WITH released_row AS (
       UPDATE samples SET claimed_by = NULL, claimed_until = NULL WHERE id = $1 AND claimed_by = $2 RETURNING id
     ), released_vote AS (
       DELETE FROM review_votes WHERE sample_id = $1 AND user_name = $2 AND action IS NULL AND claimed_until > now()
       RETURNING sample_id AS id
     ), released AS (
       SELECT id FROM released_row UNION SELECT id FROM released_vote
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
       WHERE id = $2 AND status IN ('passed', 'flagged') AND (${QUEUE_SAMPLES.review} OR ${QUEUE_SAMPLES.adjudicate})
         AND (claimed_by IS NULL OR claimed_until <= now() OR claimed_by = $1)
       RETURNING id
     )
     SELECT EXISTS (SELECT 1 FROM claimed) AS claimed`,
    [user, sampleId, claimMinutes() * 60],
  );
  return rows[0].claimed || reclaimForVote(user, sampleId, claimMinutes() * 60);
}

/** Who holds a sample now (null when free or expired); with several reviewers per sample, one of them. */
export async function claimHolder(sampleId: number): Promise<{ user: string; until: Date } | null> {
  const pool = await getPool();
  const { rows } = await pool.query<{ claimed_by: string; claimed_until: Date }>(
    `SELECT claimed_by, claimed_until FROM samples WHERE id = $1 AND claimed_by IS NOT NULL AND claimed_until > now()
     UNION ALL
     (SELECT user_name, claimed_until FROM review_votes WHERE sample_id = $1 AND action IS NULL AND claimed_until > now() ORDER BY user_name)
     LIMIT 1`,
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
