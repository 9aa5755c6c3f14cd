// What the /review landing page shows: how much work waits for a human (per dataset), what the asking reviewer
// holds, and how far each annotator got — decisions counted from `review_decisions`, claims from the samples.
import { getPool } from "@/lib/db/client";
import { AWAITS_ADJUDICATION, REVIEWS_PER_SAMPLE } from "./overlap";
import { claimMinutes } from "./queue";
import type { ClaimOptions } from "./queue-sql";

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
  /**
   * Decisions since midnight UTC on samples the annotator looked at: today, total and the per-kind counts leave out
   * decisions made in bulk (a selection, a whole filter), which `bulk` counts.
   */
  today: number;
  total: number;
  approved: number;
  discarded: number;
  restored: number;
  /** Decisions made in bulk actions, in total. */
  bulk: number;
  /** Median seconds between two decisions in a row on samples looked at, over the last 30 days (null: too few). */
  medianSeconds: number | null;
  lastDecisionAt: Date | null;
  /** Samples the annotator holds now. */
  holding: number;
}

/**
 * Seconds between each looked-at decision and the author's previous one ($1 decision actions), over the last 30 days;
 * a gap longer than a claim's lifetime ($2 seconds) is a pause, not time on a sample.
 */
const DECISION_GAPS = `
SELECT author, gap FROM (
  SELECT author, extract(epoch FROM created_at - lag(created_at) OVER (PARTITION BY author ORDER BY id)) AS gap, created_at
  FROM review_decisions
  WHERE author LIKE 'human:%' AND action = ANY($1::text[]) AND undone_at IS NULL AND bulk_job_id IS NULL
    AND created_at >= now() - interval '30 days'
) g WHERE gap <= $2`;

// Decisions per author, joined with who holds claims now: an annotator who has claimed but not yet decided shows up
// too.
const ANNOTATORS = `
WITH decided AS (
  SELECT substr(author, 7) AS name,
    count(*) FILTER (WHERE bulk_job_id IS NULL AND created_at >= date_trunc('day', now(), 'UTC'))::int AS today,
    count(*) FILTER (WHERE bulk_job_id IS NULL)::int AS total,
    count(*) FILTER (WHERE bulk_job_id IS NULL AND action = 'approve')::int AS approved,
    count(*) FILTER (WHERE bulk_job_id IS NULL AND action = 'discard')::int AS discarded,
    count(*) FILTER (WHERE bulk_job_id IS NULL AND action = 'restore')::int AS restored,
    count(*) FILTER (WHERE bulk_job_id IS NOT NULL)::int AS bulk,
    max(created_at) AS last_decision_at
  FROM review_decisions
  WHERE author LIKE 'human:%' AND action = ANY($1::text[]) AND undone_at IS NULL
  GROUP BY author
), pace AS (
  SELECT substr(author, 7) AS name, percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median_seconds
  FROM (${DECISION_GAPS}) gaps GROUP BY author
), holding AS (
  SELECT user_name AS name, count(*)::int AS holding FROM ${LIVE_CLAIMS} c GROUP BY user_name
)
SELECT coalesce(d.name, h.name) AS name, coalesce(d.today, 0) AS today, coalesce(d.total, 0) AS total,
  coalesce(d.approved, 0) AS approved, coalesce(d.discarded, 0) AS discarded, coalesce(d.restored, 0) AS restored,
  coalesce(d.bulk, 0) AS bulk, p.median_seconds, d.last_decision_at, coalesce(h.holding, 0) AS holding
FROM decided d FULL JOIN holding h ON h.name = d.name
LEFT JOIN pace p ON p.name = d.name
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
    bulk: number;
    median_seconds: number | null;
    last_decision_at: Date | null;
    holding: number;
  }>(ANNOTATORS, [DECISION_ACTIONS, claimMinutes() * 60]);
  return rows.map((r) => ({
    name: r.name,
    today: r.today,
    total: r.total,
    approved: r.approved,
    discarded: r.discarded,
    restored: r.restored,
    bulk: r.bulk,
    medianSeconds: r.median_seconds,
    lastDecisionAt: r.last_decision_at,
    holding: r.holding,
  }));
}

export interface QueueProgress {
  /** Samples this queue can still hand to the reviewer (now, or once others' claims on them run out). */
  left: number;
  /** Their decisions today on samples they looked at. */
  doneToday: number;
  /** Their median seconds per sample today (null before two decisions in a row). */
  medianSeconds: number | null;
}

// What is left: in the review queue, waiting samples of datasets reviewed once, and those of overlap datasets the
// reviewer has not voted on in their round and that do not already have all their votes; in the adjudication queue,
// the samples that wait for it.
const QUEUE_PROGRESS = `
WITH me AS (SELECT 'human:' || $1 AS author), left_in_queue AS (
  SELECT count(*)::int AS n FROM samples
  WHERE status IN ('passed', 'flagged') AND ($2::int IS NULL OR dataset_id = $2)
    AND CASE WHEN $3 = 'adjudicate' THEN ${AWAITS_ADJUDICATION}
      ELSE ${REVIEWS_PER_SAMPLE} = 1 OR (NOT (${AWAITS_ADJUDICATION}) AND NOT EXISTS (
        SELECT 1 FROM review_votes v WHERE v.sample_id = samples.id AND v.user_name = $1 AND v.action IS NOT NULL AND v.version = samples.version))
    END
), today AS (
  SELECT count(*)::int AS n FROM review_decisions, me
  WHERE review_decisions.author = me.author AND action = ANY($4::text[]) AND undone_at IS NULL AND bulk_job_id IS NULL
    AND created_at >= date_trunc('day', now(), 'UTC')
), pace AS (
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median_seconds FROM (
    SELECT extract(epoch FROM created_at - lag(created_at) OVER (ORDER BY id)) AS gap FROM review_decisions, me
    WHERE review_decisions.author = me.author AND action = ANY($4::text[]) AND undone_at IS NULL AND bulk_job_id IS NULL
      AND created_at >= date_trunc('day', now(), 'UTC')
  ) g WHERE gap <= $5
)
SELECT left_in_queue.n AS left, today.n AS done_today, pace.median_seconds FROM left_in_queue, today, pace`;

/** The figures the review page shows in queue mode: "N left in this queue · M done by you today · median s". */
export async function queueProgress(user: string, options: Pick<ClaimOptions, "datasetId" | "mode"> = {}): Promise<QueueProgress> {
  const pool = await getPool();
  const { rows } = await pool.query<{ left: number; done_today: number; median_seconds: number | null }>(QUEUE_PROGRESS, [
    user,
    options.datasetId ?? null,
    options.mode ?? "review",
    DECISION_ACTIONS,
    claimMinutes() * 60,
  ]);
  return { left: rows[0].left, doneToday: rows[0].done_today, medianSeconds: rows[0].median_seconds };
}
