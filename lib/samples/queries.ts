import { getPool } from "@/lib/db/client";
import type { DeciderKind } from "@/lib/pipeline/summary";
import { toAnswer } from "./export";
import type { Answer, FollowUpMessage, SampleStatus, Tool } from "./types";

export interface SampleDetail {
  id: number;
  datasetId: number;
  dataset: string;
  sourceId: string | null;
  query: string;
  tools: Tool[];
  answer: Answer | null;
  cot: string | null;
  /** The conversation after the first answer (tool results, further turns); absent for a single exchange. */
  followUp?: FollowUpMessage[];
  /** The source marks the conversation's tool results as deliberately wrong (FunReason-MT error_tool_response). */
  errorToolResponse: boolean;
  /** The whole source record when the sample could not hold all of it; else null. */
  sourceRecord: Record<string, unknown> | null;
  status: SampleStatus;
  version: number;
  /** Who or what decided the status, and why (lib/pipeline/summary.ts, lib/review/decisions.ts). */
  decidedBy: DeciderKind | null;
  statusStage: number | null;
  statusCode: string | null;
  statusReason: string | null;
  /** The reviewer holding the sample in the review queue, while the claim lasts. */
  claim: { user: string; until: Date } | null;
  createdAt: Date;
  updatedAt: Date;
  verdicts: SampleVerdict[];
  revisions: SampleRevisionDetail[];
}

export interface SampleVerdict {
  id: string;
  stage: number;
  /** The assistant turn judged (1: the first answer). */
  turn: number;
  outcome: "pass" | "fail" | "skip" | "error";
  reason: string;
  /** What the rule saw or the judge answered (stage 4: `problems`, one per call argument at fault). */
  evidence: Record<string, unknown>;
  decidedBy: string;
  /** A judge panel member's vote: the panel's name (its verdict, decided by `panel:<name>`, is the stage's). */
  memberOf: string | null;
  attempt: number;
  promptVersion: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  latencyMs: number | null;
  runId: number | null;
  createdAt: Date;
}

export interface SampleRevisionDetail {
  id: string;
  version: number;
  /** The assistant turn it changed (1: the first answer). */
  turn: number;
  reason: string;
  author: string;
  runId: number | null;
  cotBefore: string | null;
  cotAfter: string | null;
  answerBefore: Answer | null;
  answerAfter: Answer | null;
  createdAt: Date;
}

/** One sample with its verdicts and revisions (each ordered by id), or null when there is no such sample. */
export async function getSample(id: number): Promise<SampleDetail | null> {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
  const pool = await getPool();
  const [sample, verdicts, revisions] = await Promise.all([
    pool.query(
      `SELECT s.id, s.dataset_id, d.name AS dataset, s.source_id, s.query, s.tools, s.answer_kind, s.answer, s.cot, s.follow_up, s.error_tool_response, s.source_record,
         s.status, s.version, s.decided_by, s.status_stage, s.status_code, s.status_reason, s.created_at, s.updated_at,
         CASE WHEN s.claimed_until > now() THEN s.claimed_by END AS claimed_by, s.claimed_until
       FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE s.id = $1`,
      [id],
    ),
    pool.query(
      `SELECT id::text AS id, stage, turn, outcome, reason, evidence, decided_by, member_of, attempt, prompt_version, prompt_tokens, completion_tokens,
         latency_ms, run_id, created_at
       FROM stage_verdicts WHERE sample_id = $1 ORDER BY stage_verdicts.id`,
      [id],
    ),
    pool.query(
      `SELECT id::text AS id, version, turn, reason, author, run_id, cot_before, cot_after, answer_kind_before, answer_before,
         answer_kind_after, answer_after, created_at
       FROM sample_revisions WHERE sample_id = $1 ORDER BY sample_revisions.id`,
      [id],
    ),
  ]);
  const row = sample.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    datasetId: row.dataset_id,
    dataset: row.dataset,
    sourceId: row.source_id,
    query: row.query,
    tools: Array.isArray(row.tools) ? row.tools : [],
    answer: toAnswer(row.answer_kind, row.answer),
    cot: row.cot,
    ...(row.follow_up ? { followUp: row.follow_up } : {}),
    errorToolResponse: row.error_tool_response,
    sourceRecord: row.source_record,
    status: row.status,
    version: row.version,
    decidedBy: row.decided_by,
    statusStage: row.status_stage,
    statusCode: row.status_code,
    statusReason: row.status_reason,
    claim: row.claimed_by ? { user: row.claimed_by, until: row.claimed_until } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    verdicts: verdicts.rows.map((v) => ({
      id: v.id,
      stage: v.stage,
      turn: v.turn,
      outcome: v.outcome,
      reason: v.reason,
      evidence: v.evidence ?? {},
      decidedBy: v.decided_by,
      memberOf: v.member_of,
      attempt: v.attempt,
      promptVersion: v.prompt_version,
      promptTokens: v.prompt_tokens,
      completionTokens: v.completion_tokens,
      latencyMs: v.latency_ms,
      runId: v.run_id,
      createdAt: v.created_at,
    })),
    revisions: revisions.rows.map((r) => ({
      id: r.id,
      version: r.version,
      turn: r.turn,
      reason: r.reason,
      author: r.author,
      runId: r.run_id,
      cotBefore: r.cot_before,
      cotAfter: r.cot_after,
      answerBefore: toAnswer(r.answer_kind_before, r.answer_before),
      answerAfter: toAnswer(r.answer_kind_after, r.answer_after),
      createdAt: r.created_at,
    })),
  };
}

/** A sample's state now and the last change to it: what a stale writer is told ("changed by X at T"). */
export interface SampleChange {
  version: number;
  status: SampleStatus;
  updatedAt: Date;
  /** `human:<name>`, `llm:<model>` or `run #<id>`; null when nothing changed it since import. */
  by: string | null;
}

// The newest of: a decision, a revision (an edit, or a run's by the run), a finished review task (a re-check writes
// only verdicts), a pipeline run's verdicts. Written in one statement, a task and its revision share a timestamp: the
// person who asked wins the tie.
const LAST_CHANGE = `
SELECT s.version, s.status, s.updated_at, c.by FROM samples s
LEFT JOIN LATERAL (
  SELECT by FROM (
    -- A vote that left the sample as it was (one of k blind reviews, or its undo) changed nothing, and names no one.
    (SELECT author AS by, created_at AS at, 4 AS rank FROM review_decisions
     WHERE sample_id = s.id AND (kind IS DISTINCT FROM 'vote' OR status_after <> status_before) ORDER BY id DESC LIMIT 1)
    UNION ALL (SELECT requested_by, finished_at, 3 FROM sample_tasks WHERE sample_id = s.id AND status = 'succeeded' ORDER BY id DESC LIMIT 1)
    UNION ALL (SELECT coalesce('run #' || run_id, author), created_at, 2 FROM sample_revisions WHERE sample_id = s.id ORDER BY id DESC LIMIT 1)
    UNION ALL (SELECT 'run #' || run_id, created_at, 1 FROM stage_verdicts WHERE sample_id = s.id AND run_id IS NOT NULL ORDER BY id DESC LIMIT 1)
  ) changes ORDER BY at DESC, rank DESC LIMIT 1
) c ON true
WHERE s.id = $1`;

export async function sampleChange(id: number): Promise<SampleChange | null> {
  const pool = await getPool();
  const { rows } = await pool.query(LAST_CHANGE, [id]);
  const row = rows[0];
  return row ? { version: row.version, status: row.status, updatedAt: row.updated_at, by: row.by } : null;
}
