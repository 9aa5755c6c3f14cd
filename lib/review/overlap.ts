// Several reviewers per sample. A dataset with `reviews_per_sample` k > 1 hands each sample of its review queue to k
// different reviewers, blind to each other: each one's claim and then vote is a `review_votes` row. The sample keeps
// its status while votes come in; the k-th vote makes it final when all k agree, and otherwise the sample waits for
// adjudication (someone with the `adjudicate` permission decides it, seeing the k votes side by side).
//
// Every write to a sample's votes first locks the sample's row, so the count of reviewers taken (votes of the round
// plus live claims) is read under that lock and never goes past k. A vote belongs to the sample's round while its
// `version` is the sample's version: an edit, a regeneration or a re-check bumps the version and starts a new round.
import "server-only";
import type pg from "pg";
import { getPool } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/transaction";
import type { SampleStatus } from "@/lib/samples/types";
import { STATE_BEFORE_SQL, guidelinesVersionSql, judgeOutcomesSql } from "./decision-sql";
import { NOT_SKIPPED, type ClaimOptions } from "./queue-sql";

export type VoteAction = "approve" | "discard";

export interface RoundVote {
  /** The reviewer's plain name (a claim's holder), as in review_votes.user_name. */
  user: string;
  action: VoteAction;
  reason: string | null;
  stage: number | null;
  votedAt: Date;
}

/** Where a sample's overlap review stands: `open` while fewer than k votes are in. */
export type RoundState = "open" | "agreed" | "disputed";

export interface ReviewRound {
  k: number;
  votes: RoundVote[];
  state: RoundState;
}

/** The dataset's k for this sample (samples.dataset_id). */
export const REVIEWS_PER_SAMPLE = `(SELECT d.reviews_per_sample FROM datasets d WHERE d.id = samples.dataset_id)`;

/** Votes of the sample's current round. */
const CURRENT_VOTES = `(SELECT count(*) FROM review_votes v WHERE v.sample_id = samples.id AND v.action IS NOT NULL AND v.version = samples.version)`;

/** In the adjudication queue: a k > 1 sample whose k votes are in (they disagree, or k was lowered since). */
export const AWAITS_ADJUDICATION = `${REVIEWS_PER_SAMPLE} > 1 AND ${CURRENT_VOTES} >= ${REVIEWS_PER_SAMPLE}`;

/** Reviewers other than $1 who took the sample: their votes of this round and their live claims. */
const TAKEN_BY_OTHERS = `(SELECT count(*) FROM review_votes v WHERE v.sample_id = samples.id AND v.user_name <> $1
  AND ((v.action IS NOT NULL AND v.version = samples.version) OR (v.action IS NULL AND v.claimed_until > now())))`;

/** $1 has not voted in the sample's current round. */
const NOT_VOTED = `NOT EXISTS (SELECT 1 FROM review_votes v WHERE v.sample_id = samples.id AND v.user_name = $1 AND v.action IS NOT NULL AND v.version = samples.version)`;

/** A k > 1 sample $1 may take: in the queue, not voted by them this round, fewer than k others on it. */
const OPEN_TO = `status IN ('passed', 'flagged') AND ${REVIEWS_PER_SAMPLE} > 1 AND ${NOT_VOTED} AND ${TAKEN_BY_OTHERS} < ${REVIEWS_PER_SAMPLE}`;

/** $1's live overlap claim (lowest id), filtered like the queue ($2 dataset, $3 excluded ids). */
export const HELD_VOTE_CLAIM = `SELECT samples.id FROM review_votes c JOIN samples ON samples.id = c.sample_id
  WHERE c.user_name = $1 AND c.action IS NULL AND c.claimed_until > now() AND ${OPEN_TO}
    AND ($2::int IS NULL OR samples.dataset_id = $2) AND NOT (samples.id = ANY($3::int[]))
  ORDER BY samples.id LIMIT 1`;

/** The lowest k > 1 sample $1 could take now (same filters), `locking` appended by the caller. */
export const FREE_FOR_VOTE = `SELECT id FROM samples
  WHERE ${OPEN_TO} AND ($2::int IS NULL OR dataset_id = $2) AND NOT (id = ANY($3::int[])) AND ${NOT_SKIPPED}
  ORDER BY id LIMIT 1`;

/**
 * Claims a k > 1 sample for `user` (a fresh expiry on a claim they hold). Locks the sample first (SKIP LOCKED: another
 * reviewer taking it right now), then counts who else took it under that lock. Returns the sample id or null.
 */
export async function claimForVote(user: string, options: ClaimOptions, claimSeconds: number): Promise<number | null> {
  return inTransaction(async (client) => {
    const held = await client.query<{ id: number }>(HELD_VOTE_CLAIM, [user, options.datasetId ?? null, options.exclude ?? []]);
    if (held.rows[0]) {
      await takeClaim(client, held.rows[0].id, user, claimSeconds);
      return held.rows[0].id;
    }
    const passedOver: number[] = [];
    // A candidate read from the statement's snapshot can be full once locked (a claim committed in between): look
    // again. Unlike a single claim, a sample another reviewer is taking right now may still have a place left, so
    // when every candidate is locked the lowest one is waited for rather than passed over.
    for (let attempt = 0; attempt < 20; attempt++) {
      const params = [user, options.datasetId ?? null, [...(options.exclude ?? []), ...passedOver]];
      const free = await client.query<{ id: number }>(`${FREE_FOR_VOTE} FOR UPDATE SKIP LOCKED`, params);
      const id = free.rows[0]?.id ?? (await client.query<{ id: number }>(`${FREE_FOR_VOTE} FOR UPDATE`, params)).rows[0]?.id;
      if (id === undefined) return null;
      if (await openTo(client, id, user)) {
        await takeClaim(client, id, user, claimSeconds);
        return id;
      }
      passedOver.push(id);
    }
    return null;
  });
}

/** Claims this very sample for `user` when it is open to them (the undo of a skip). Locks it, waiting. */
export async function reclaimForVote(user: string, sampleId: number, claimSeconds: number): Promise<boolean> {
  return inTransaction(async (client) => {
    await client.query(`SELECT 1 FROM samples WHERE id = $1 FOR UPDATE`, [sampleId]);
    if (!(await openTo(client, sampleId, user))) return false;
    await takeClaim(client, sampleId, user, claimSeconds);
    return true;
  });
}

async function openTo(client: pg.PoolClient, sampleId: number, user: string): Promise<boolean> {
  const { rowCount } = await client.query(`SELECT 1 FROM samples WHERE id = $2 AND ${OPEN_TO}`, [user, sampleId]);
  return (rowCount ?? 0) > 0;
}

/** The claim row replaces whatever the reviewer left of an earlier round. */
async function takeClaim(client: pg.PoolClient, sampleId: number, user: string, claimSeconds: number): Promise<void> {
  await client.query(
    `INSERT INTO review_votes (sample_id, user_name, claimed_until) VALUES ($1, $2, now() + make_interval(secs => $3))
     ON CONFLICT (sample_id, user_name) DO UPDATE SET claimed_until = EXCLUDED.claimed_until,
       action = NULL, reason = NULL, stage = NULL, version = NULL, decision_id = NULL, voted_at = NULL`,
    [sampleId, user, claimSeconds],
  );
}

/** The state of a round from its k and votes (pure). */
export function roundState(k: number, votes: readonly Pick<RoundVote, "action">[]): RoundState {
  if (votes.length < k) return "open";
  return votes.every((v) => v.action === votes[0].action) ? "agreed" : "disputed";
}

/** The sample's current round, or null when its dataset takes one review per sample. */
export async function loadRound(client: pg.Pool | pg.PoolClient, sampleId: number): Promise<ReviewRound | null> {
  const { rows } = await client.query<{ k: number; user_name: string | null; action: VoteAction | null; reason: string | null; stage: number | null; voted_at: Date | null }>(
    `SELECT d.reviews_per_sample AS k, v.user_name, v.action, v.reason, v.stage, v.voted_at
     FROM samples s JOIN datasets d ON d.id = s.dataset_id
     LEFT JOIN review_votes v ON v.sample_id = s.id AND v.action IS NOT NULL AND v.version = s.version
     WHERE s.id = $1 ORDER BY v.voted_at NULLS FIRST`,
    [sampleId],
  );
  const k = rows[0]?.k ?? 1;
  if (k <= 1) return null;
  const votes = rows
    .filter((r) => r.user_name !== null)
    .map((r) => ({ user: r.user_name!, action: r.action!, reason: r.reason, stage: r.stage, votedAt: r.voted_at! }));
  return { k, votes, state: roundState(k, votes) };
}

/** What a round shows to one person: all of it once it is decided or to an adjudicator, else only their own vote. */
export function roundFor(round: ReviewRound | null, viewer: { name: string; canAdjudicate: boolean }): ReviewRound | null {
  if (!round || round.state !== "open" || viewer.canAdjudicate) return round;
  return { ...round, votes: round.votes.filter((v) => v.user === viewer.name) };
}

/** Whether a decision on a sample in this status is a vote or an adjudication when its dataset has k > 1. */
export function isQueueStatus(status: SampleStatus): boolean {
  return status === "passed" || status === "flagged";
}

export interface VoteInput {
  action: VoteAction;
  /** `human:<name>`. */
  author: string;
  reason?: string;
  stage?: number;
}

export type VoteResult =
  | { ok: true; version: number; status: SampleStatus; decisionId: string; round: { votes: number; k: number; state: RoundState } }
  | { ok: false; kind: "conflict" | "not-found" }
  | { ok: false; kind: "invalid"; message: string };

const VERB: Record<VoteAction, string> = { approve: "Approved", discard: "Discarded" };

/** The final status reason of a round whose k votes agree (pure). */
export function agreedReason(action: VoteAction, votes: readonly Pick<RoundVote, "user" | "reason">[]): string {
  const names = votes.map((v) => v.user);
  const who = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0];
  const reasons = [...new Set(votes.map((v) => v.reason?.trim()).filter(Boolean))];
  return `${VERB[action]} by ${who} (${votes.length} of ${votes.length} reviews agree)${reasons.length ? `: ${reasons.join("; ")}` : ""}`;
}

/**
 * One reviewer's vote on a k > 1 sample at the version they saw. The k-th vote decides the sample when all agree
 * (a new version, like any decision); otherwise the sample keeps its status and version, so the other reviewers'
 * votes stay valid. Rules are checked by the caller (decideOne) before an approve vote.
 */
export async function castVote(target: { sampleId: number; expectedVersion: number }, input: VoteInput): Promise<VoteResult> {
  const user = input.author.replace(/^human:/, "");
  return inTransaction(async (client) => {
    const locked = await client.query<{ version: number; status: SampleStatus; k: number }>(
      `SELECT s.version, s.status, d.reviews_per_sample AS k FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE s.id = $1 FOR UPDATE OF s`,
      [target.sampleId],
    );
    const sample = locked.rows[0];
    if (!sample) return { ok: false, kind: "not-found" };
    if (sample.version !== target.expectedVersion) return { ok: false, kind: "conflict" };
    // Counted after the lock, in statements of their own: a vote committed while this one waited for the lock is seen
    // as the vote it became, not as the claim it was when this transaction's first statement began.
    const round = (await loadRound(client, target.sampleId))!;
    const others = await client.query<{ taken: string }>(
      `SELECT count(*) AS taken FROM review_votes WHERE sample_id = $1 AND user_name <> $2 AND action IS NULL AND claimed_until > now()`,
      [target.sampleId, user],
    );
    const taken = Number(others.rows[0].taken);
    if (round.votes.some((v) => v.user === user)) {
      return { ok: false, kind: "invalid", message: `You already reviewed sample ${target.sampleId}; the others' reviews are still to come (${round.votes.length} of ${sample.k} in).` };
    }
    if (round.votes.length + taken >= sample.k) {
      return { ok: false, kind: "invalid", message: `Sample ${target.sampleId} already has its ${sample.k} reviewers; take the next one from the queue.` };
    }
    const votes = [...round.votes, { user, action: input.action, reason: input.reason?.trim() || null, stage: input.stage ?? null, votedAt: new Date() }];
    const state = roundState(sample.k, votes);
    const finalStatus: SampleStatus | null = state === "agreed" ? (input.action === "approve" ? "approved" : "discarded") : null;
    const stages = new Set(votes.map((v) => v.stage));
    const stage = finalStatus === "discarded" && stages.size === 1 ? votes[0].stage : null;
    const summary =
      `Reviewed sample ${target.sampleId}: ${input.action} (review ${votes.length} of ${sample.k})` +
      (state === "agreed" ? `; the ${sample.k} reviews agree: ${finalStatus}` : state === "disputed" ? `; the ${sample.k} reviews disagree: to adjudication` : "");
    // One statement: the sample (only when the round decides it), the decision row, the vote, the audit entry.
    const { rows } = await client.query<{ version: number; decision_id: string }>(
      `WITH s AS (SELECT * FROM samples WHERE id = $1), before AS (
         SELECT ${STATE_BEFORE_SQL} AS state_before, s.status, s.version FROM s
       ), updated AS (
         UPDATE samples t SET status = $4::"SampleStatus", decided_by = 'human', status_code = 'human', status_stage = $5,
           status_reason = $6, claimed_by = NULL, claimed_until = NULL, version = t.version + 1, updated_at = now()
         WHERE t.id = $1 AND $4::"SampleStatus" IS NOT NULL
         RETURNING t.version
       ), decision AS (
         INSERT INTO review_decisions (sample_id, action, author, reason, stage, status_before, status_after, version, judge_outcomes, state_before, kind, guidelines_version)
         SELECT $1, $2, $3, $7, $8, b.status, coalesce($4::"SampleStatus", b.status), coalesce((SELECT version FROM updated), b.version),
           ${judgeOutcomesSql("$1")}, b.state_before, 'vote', ${guidelinesVersionSql("$1")}
         FROM before b
         RETURNING id, version, guidelines_version
       ), vote AS (
         INSERT INTO review_votes (sample_id, user_name, claimed_until, action, reason, stage, version, decision_id, voted_at)
         SELECT $1, $9, NULL, $2, $7, $8, b.version, (SELECT id FROM decision), now() FROM before b
         ON CONFLICT (sample_id, user_name) DO UPDATE SET claimed_until = NULL, action = EXCLUDED.action, reason = EXCLUDED.reason,
           stage = EXCLUDED.stage, version = EXCLUDED.version, decision_id = EXCLUDED.decision_id, voted_at = EXCLUDED.voted_at
       ), audit AS (
         INSERT INTO audit_log (actor, action, target_type, target_id, summary, before, after)
         SELECT $3, 'decision.vote', 'sample', (SELECT id FROM s)::text, $10, jsonb_build_object('status', b.status, 'version', b.version),
           jsonb_strip_nulls(jsonb_build_object('status', coalesce($4::"SampleStatus", b.status), 'version', (SELECT version FROM decision), 'vote', $2::text,
             'guidelinesVersion', (SELECT guidelines_version FROM decision)))
         FROM before b
       )
       SELECT d.version, d.id::text AS decision_id FROM decision d`,
      [target.sampleId, input.action, input.author, finalStatus, stage, finalStatus ? agreedReason(input.action, votes) : null, input.reason?.trim() || null, input.stage ?? null, user, summary],
    );
    return {
      ok: true,
      version: rows[0].version,
      status: finalStatus ?? sample.status,
      decisionId: rows[0].decision_id,
      round: { votes: votes.length, k: sample.k, state },
    };
  });
}
