import { getPool } from "@/lib/db/client";
import { toAnswer } from "./export";
import type { Answer, SampleStatus, Tool } from "./types";

export interface SampleDetail {
  id: number;
  dataset: string;
  sourceId: string | null;
  query: string;
  tools: Tool[];
  answer: Answer | null;
  cot: string | null;
  status: SampleStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  verdicts: SampleVerdict[];
  revisions: SampleRevisionDetail[];
}

export interface SampleVerdict {
  id: string;
  stage: number;
  outcome: "pass" | "fail" | "skip" | "error";
  reason: string;
  decidedBy: string;
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
      `SELECT s.id, d.name AS dataset, s.source_id, s.query, s.tools, s.answer_kind, s.answer, s.cot, s.status, s.version,
         s.created_at, s.updated_at
       FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE s.id = $1`,
      [id],
    ),
    pool.query(
      `SELECT id::text AS id, stage, outcome, reason, decided_by, attempt, prompt_version, prompt_tokens, completion_tokens,
         latency_ms, run_id, created_at
       FROM stage_verdicts WHERE sample_id = $1 ORDER BY id`,
      [id],
    ),
    pool.query(
      `SELECT id::text AS id, version, reason, author, run_id, cot_before, cot_after, answer_kind_before, answer_before,
         answer_kind_after, answer_after, created_at
       FROM sample_revisions WHERE sample_id = $1 ORDER BY id`,
      [id],
    ),
  ]);
  const row = sample.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    dataset: row.dataset,
    sourceId: row.source_id,
    query: row.query,
    tools: Array.isArray(row.tools) ? row.tools : [],
    answer: toAnswer(row.answer_kind, row.answer),
    cot: row.cot,
    status: row.status,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    verdicts: verdicts.rows.map((v) => ({
      id: v.id,
      stage: v.stage,
      outcome: v.outcome,
      reason: v.reason,
      decidedBy: v.decided_by,
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
