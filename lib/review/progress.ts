// What the /review landing page shows: how much work waits for a human (per dataset), what the asking reviewer
// holds, and how far each annotator got — decisions counted from `review_decisions`, claims from the samples.
import { getPool } from "@/lib/db/client";
import { AWAITS_ADJUDICATION } from "./overlap";

/** The actions that decide a sample (edits, regenerations and re-checks are work on it, not decisions). */
const DECISION_ACTIONS = ["approve", "discard", "restore"] as const;

export interface QueueDataset {
  id: number;
  name: string;
  /** Samples waiting for a human: the pipeline passed them, or a stage flagged them. */
  passed: number;
  flagged: number;
  /** Of those, how many someone holds right now (an unexpired claim). */
  held: number;
  /** Reviewers who decide each sample independently (lib/review/overlap.ts). */
  reviewsPerSample: number;
  /** Of the waiting ones, those whose k reviews are in and wait for an adjudicator (k > 1 only). */
  awaitingAdjudication: number;
}

export interface HeldClaim {
  sampleId: number;
  datasetId: number;
  until: Date;
}

export interface QueueOverview {
  /** Every dataset (those without work too, so a picker can name them), by name. */
  datasets: QueueDataset[];
  /** The claims `user` holds now, oldest sample first (at most 20). */
  yourClaims: HeldClaim[];
}

/** Every live claim on a waiting sample: the sample row's (one reviewer) and review_votes' (one of k reviewers). */
const LIVE_CLAIMS = `(
  SELECT id AS sample_id, dataset_id, claimed_by AS user_name, claimed_until FROM samples
  WHERE claimed_by IS NOT NULL AND claimed_until > now() AND status IN ('passed', 'flagged')
  UNION ALL
  SELECT v.sample_id, s.dataset_id, v.user_name, v.claimed_until FROM review_votes v JOIN samples s ON s.id = v.sample_id
  WHERE v.action IS NULL AND v.claimed_until > now() AND s.status IN ('passed', 'flagged')
)`;

// The waiting counts come from an index-only scan of (dataset_id, status, id); the held ones from the few claimed
// rows (the partial claims index), not from a pass over every sample's row; adjudication only looks at datasets with
// several reviews per sample.
const QUEUE_COUNTS = `
WITH waiting AS (
  SELECT dataset_id,
    count(*) FILTER (WHERE status = 'passed')::int AS passed,
    count(*) FILTER (WHERE status = 'flagged')::int AS flagged
  FROM samples WHERE status IN ('passed', 'flagged')
  GROUP BY dataset_id
), held AS (
  SELECT dataset_id, count(DISTINCT sample_id)::int AS held FROM ${LIVE_CLAIMS} c GROUP BY dataset_id
), adjudication AS (
  SELECT dataset_id, count(*)::int AS awaiting FROM samples
  WHERE status IN ('passed', 'flagged') AND dataset_id IN (SELECT id FROM datasets WHERE reviews_per_sample > 1) AND ${AWAITS_ADJUDICATION}
  GROUP BY dataset_id
)
SELECT d.id, d.name, coalesce(w.passed, 0) AS passed, coalesce(w.flagged, 0) AS flagged, coalesce(h.held, 0) AS held,
  d.reviews_per_sample AS "reviewsPerSample", coalesce(a.awaiting, 0) AS "awaitingAdjudication"
FROM datasets d
LEFT JOIN waiting w ON w.dataset_id = d.id
LEFT JOIN held h ON h.dataset_id = d.id
LEFT JOIN adjudication a ON a.dataset_id = d.id
ORDER BY d.name`;

const YOUR_CLAIMS = `SELECT sample_id AS id, dataset_id, claimed_until FROM ${LIVE_CLAIMS} c WHERE user_name = $1 ORDER BY sample_id LIMIT 20`;

/** The queue's size per dataset and the claims `user` (a plain reviewer name, as lib/review/queue.ts) holds. */
export async function queueOverview(user: string): Promise<QueueOverview> {
  const pool = await getPool();
  const [counts, claims] = await Promise.all([
    pool.query<QueueDataset>(QUEUE_COUNTS),
    pool.query<{ id: number; dataset_id: number; claimed_until: Date }>(YOUR_CLAIMS, [user]),
  ]);
  return {
    datasets: counts.rows,
    yourClaims: claims.rows.map((r) => ({ sampleId: r.id, datasetId: r.dataset_id, until: r.claimed_until })),
  };
}

export interface AnnotatorProgress {
  /** The plain name (review_decisions.author without its `human:` prefix, as claims name their holder). */
  name: string;
  /** Decisions since midnight UTC. */
  today: number;
  total: number;
  approved: number;
  discarded: number;
  restored: number;
  lastDecisionAt: Date | null;
  /** Samples the annotator holds now. */
  holding: number;
}

// Decisions per author, joined with who holds claims now: an annotator who has claimed but not yet decided shows up
// too.
const ANNOTATORS = `
WITH decided AS (
  SELECT substr(author, 7) AS name,
    count(*) FILTER (WHERE created_at >= date_trunc('day', now(), 'UTC'))::int AS today,
    count(*)::int AS total,
    count(*) FILTER (WHERE action = 'approve')::int AS approved,
    count(*) FILTER (WHERE action = 'discard')::int AS discarded,
    count(*) FILTER (WHERE action = 'restore')::int AS restored,
    max(created_at) AS last_decision_at
  FROM review_decisions
  WHERE author LIKE 'human:%' AND action = ANY($1::text[]) AND undone_at IS NULL
  GROUP BY author
), holding AS (
  SELECT user_name AS name, count(*)::int AS holding FROM ${LIVE_CLAIMS} c GROUP BY user_name
)
SELECT coalesce(d.name, h.name) AS name, coalesce(d.today, 0) AS today, coalesce(d.total, 0) AS total,
  coalesce(d.approved, 0) AS approved, coalesce(d.discarded, 0) AS discarded, coalesce(d.restored, 0) AS restored,
  d.last_decision_at, coalesce(h.holding, 0) AS holding
FROM decided d FULL JOIN holding h ON h.name = d.name
ORDER BY d.last_decision_at DESC NULLS LAST, name`;

/** Every annotator who decided something or holds a claim, most recently active first. */
export async function annotatorProgress(): Promise<AnnotatorProgress[]> {
  const pool = await getPool();
  const { rows } = await pool.query<{
    name: string;
    today: number;
    total: number;
    approved: number;
    discarded: number;
    restored: number;
    last_decision_at: Date | null;
    holding: number;
  }>(ANNOTATORS, [DECISION_ACTIONS]);
  return rows.map((r) => ({
    name: r.name,
    today: r.today,
    total: r.total,
    approved: r.approved,
    discarded: r.discarded,
    restored: r.restored,
    lastDecisionAt: r.last_decision_at,
    holding: r.holding,
  }));
}
