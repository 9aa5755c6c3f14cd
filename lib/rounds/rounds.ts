// Self-refinement rounds (issue 14): a policy model answers every query of a source dataset from the query and the
// tools alone; its answers become a dataset of their own, "<source> · round k", each compared with the source's
// reference answer (./agreement.ts) and then refined by one ordinary pipeline run over that dataset. What passes is
// the round's refined set, exported like any dataset's.
//
// Generation is queue work (pg-boss, ROUND_QUEUE), one job per chunk of source samples; each answer is written once
// (a retried job skips what is written), and the chunk that writes the last answer starts the pipeline run.
import "server-only";
import pLimit from "p-limit";
import { recordAudit } from "@/lib/audit/log";
import { getPool } from "@/lib/db/client";
import { ConflictError, InvalidRequestError, NotFoundError, UnprocessableError } from "@/lib/errors";
import { getBoss, jobExpireSeconds, ROUND_QUEUE, type RoundChunkJob } from "@/lib/jobs/boss";
import { createLlmClient } from "@/lib/llm/client";
import { OPTIONAL_STAGE_IDS } from "@/lib/pipeline/stage-registry";
import { checkRunStages, createRun } from "@/lib/runs/create-run";
import { getRunProgress } from "@/lib/runs/queries";
import { UnknownDatasetError, toAnswer } from "@/lib/samples/export";
import { contentHash, identityJson } from "@/lib/samples/hash";
import type { Answer, Tool } from "@/lib/samples/types";
import { policyClientConfig } from "@/lib/settings/policy-settings";
import { getLlmConfig, getPolicySettings } from "@/lib/settings/store";
import { answerAgrees } from "./agreement";
import { StartRoundBody, type StartRound } from "./api";
import { askPolicy } from "./policy";

/** Source samples per generation job. */
export const ROUND_CHUNK = 50;

/** A round's dataset name: "<source> · round k". */
export function roundDatasetName(source: string, k: number): string {
  return `${source} · round ${k}`;
}

/**
 * Creates the round (its dataset, its settings) and queues its generation, in one transaction. Refused before
 * anything is written: an unknown source (404), a source that is itself a round or has no single-turn sample (422),
 * no model named or saved (400), no LLM to refine with (400), a dataset of the round's name already there (409).
 */
export async function startRound(input: StartRound & { author: string }): Promise<{ id: number; number: number; dataset: string; answers: number }> {
  const options = StartRoundBody.parse(input);
  const model = options.model ?? (await getPolicySettings()).model;
  if (!model) throw new InvalidRequestError("model: name the policy model, or save one on the Settings page", { fields: { model: "is needed" } });
  await checkRunStages("all");
  await getBoss(); // the queue must exist before the transaction inserts into it
  const pool = await getPool();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // The source's row lock numbers its rounds one at a time.
    const source = await client.query<{ id: number; name: string }>(`SELECT id, name FROM datasets WHERE name = $1 FOR UPDATE`, [options.source]);
    if (!source.rows[0]) throw new UnknownDatasetError(options.source);
    const { id: sourceId, name: sourceName } = source.rows[0];
    const isRound = await client.query(`SELECT 1 FROM rounds WHERE dataset_id = $1`, [sourceId]);
    if (isRound.rowCount) throw new UnprocessableError(`source: "${sourceName}" is itself a round; start from the dataset whose queries and reference answers the rounds share`);
    const previous = await client.query<{ id: number; number: number }>(`SELECT id, number FROM rounds WHERE source_dataset_id = $1 ORDER BY number DESC LIMIT 1`, [sourceId]);
    const number = (previous.rows[0]?.number ?? 0) + 1;
    const name = roundDatasetName(sourceName, number);
    const dataset = await client.query<{ id: number }>(`INSERT INTO datasets (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id`, [name]);
    if (!dataset.rows[0]) throw new ConflictError(`a dataset named "${name}" already exists: rename or delete it first`);
    const ids = (await client.query<{ id: number }>(`SELECT id FROM samples WHERE dataset_id = $1 AND turns = 1 ORDER BY id`, [sourceId])).rows.map((r) => r.id);
    if (ids.length === 0) throw new UnprocessableError(`source: "${sourceName}" has no single-turn sample to answer`);
    const round = await client.query<{ id: number }>(
      `INSERT INTO rounds (dataset_id, source_dataset_id, previous_round_id, number, model, samples_per_query, temperature, max_regenerations, concurrency, queries, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [dataset.rows[0].id, sourceId, previous.rows[0]?.id ?? null, number, model, options.samplesPerQuery, options.temperature, options.maxRegenerations, options.concurrency, ids.length, input.author],
    );
    const id = round.rows[0].id;
    const jobs = [];
    for (let i = 0; i < ids.length; i += ROUND_CHUNK) {
      const data: RoundChunkJob = { roundId: id, sourceSampleIds: ids.slice(i, i + ROUND_CHUNK) };
      jobs.push({ name: ROUND_QUEUE, data, expireInSeconds: jobExpireSeconds() });
    }
    await (await getBoss()).insert(jobs, { db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) } as never });
    await client.query("COMMIT");
    return { id, number, dataset: name, answers: ids.length * options.samplesPerQuery };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The audit entry of a started round (the web and the CLI write the same one). */
export async function auditRoundStart(actor: string, source: string, started: Awaited<ReturnType<typeof startRound>>, options: StartRound): Promise<void> {
  await recordAudit({
    actor,
    action: "round.start",
    target: { type: "round", id: started.id },
    summary: `Started round ${started.number} of ${source} (${started.dataset}): ${started.answers} answers`,
    after: { source, model: options.model ?? null, samplesPerQuery: options.samplesPerQuery ?? 1, temperature: options.temperature ?? 0, maxRegenerations: options.maxRegenerations ?? 0 },
  });
}

interface RoundRow {
  id: number;
  dataset_id: number;
  model: string;
  samples_per_query: number;
  temperature: number;
  max_regenerations: number;
  concurrency: number;
  status: string;
}

interface SourceRow {
  id: number;
  source_id: string | null;
  query: string;
  tools: Tool[];
  answer_kind: Answer["kind"] | null;
  answer: unknown;
}

/** The queue job: the policy model's answers to a chunk of source samples, each written with its agreement. */
export async function generateRoundChunk(job: RoundChunkJob): Promise<void> {
  const pool = await getPool();
  const round = (await pool.query<RoundRow>(`SELECT * FROM rounds WHERE id = $1`, [job.roundId])).rows[0];
  if (!round || round.status !== "generating") return;
  const policy = createLlmClient(policyClientConfig(await getPolicySettings(), await getLlmConfig(), round.model));
  const done = await pool.query<{ source_sample_id: number; sample_number: number }>(
    `SELECT source_sample_id, sample_number FROM round_samples WHERE round_id = $1 AND source_sample_id = ANY($2::int[])`,
    [round.id, job.sourceSampleIds],
  );
  const written = new Set(done.rows.map((r) => `${r.source_sample_id}:${r.sample_number}`));
  const sources = await pool.query<SourceRow>(`SELECT id, source_id, query, tools, answer_kind, answer FROM samples WHERE id = ANY($1::int[]) ORDER BY id`, [job.sourceSampleIds]);
  const limit = pLimit(round.concurrency);
  const tokens = { prompt: 0, completion: 0 };
  const work = sources.rows.flatMap((source) =>
    Array.from({ length: round.samples_per_query }, (_, i) => i + 1)
      .filter((n) => !written.has(`${source.id}:${n}`))
      .map((n) =>
        limit(async () => {
          const result = await askPolicy(policy, source.query, source.tools, { temperature: round.temperature, sample: n });
          tokens.prompt += result.tokens.prompt;
          tokens.completion += result.tokens.completion;
          if (!result.ok) return writeFailure(round.id, source.id, n, result.message);
          return writeAnswer(round, source, n, result.cot, result.answer);
        }),
      ),
  );
  await Promise.all(work);
  await pool.query(`UPDATE rounds SET prompt_tokens = prompt_tokens + $2, completion_tokens = completion_tokens + $3 WHERE id = $1`, [round.id, tokens.prompt, tokens.completion]);
  await finishGeneration(round.id);
}

/** One answer as a sample of the round's dataset, linked to the source sample; written once (a retry writes nothing). */
async function writeAnswer(round: RoundRow, source: SourceRow, n: number, cot: string, answer: Answer): Promise<void> {
  const reference = toAnswer(source.answer_kind, source.answer);
  const agreement = answerAgrees(reference, answer, source.tools);
  const stored = answer.kind === "calls" ? answer.calls : answer.text;
  const sample = { query: source.query, tools: source.tools, answer };
  // The N answers of one query may be the same words: the source sample and the answer's number keep them apart.
  const hash = contentHash(sample, `${identityJson(sample)}#round-answer:${source.id}:${n}`);
  const pool = await getPool();
  await pool.query(
    `WITH s AS (
       INSERT INTO samples (dataset_id, source_id, query, tools, answer_kind, answer, cot, content_hash, tool_names)
       VALUES ($1, $2, $3, $4::json, $5, $6::json, $7, $8, studio_tool_names($4::json))
       ON CONFLICT (dataset_id, content_hash) DO NOTHING RETURNING id
     )
     INSERT INTO round_samples (round_id, source_sample_id, sample_number, sample_id, agrees, agreement_reason)
     SELECT $9, $10, $11, id, $12, $13 FROM s
     ON CONFLICT (round_id, source_sample_id, sample_number) DO NOTHING`,
    [
      round.dataset_id,
      source.source_id,
      source.query,
      JSON.stringify(source.tools),
      answer.kind,
      JSON.stringify(stored),
      cot,
      hash,
      round.id,
      source.id,
      n,
      agreement?.agrees ?? null,
      agreement && !agreement.agrees ? agreement.reason : null,
    ],
  );
}

/** The policy model gave no usable answer (after its retries): counted, with why, and it disagrees. */
async function writeFailure(roundId: number, sourceId: number, n: number, message: string): Promise<void> {
  const pool = await getPool();
  await pool.query(
    `INSERT INTO round_samples (round_id, source_sample_id, sample_number, agrees, error) VALUES ($1, $2, $3, false, $4)
     ON CONFLICT (round_id, source_sample_id, sample_number) DO NOTHING`,
    [roundId, sourceId, n, message.slice(0, 500)],
  );
}

/**
 * After each chunk: when every answer is written, the round moves on to refining — one pipeline run over its
 * dataset's samples, the optional stages left out (the round's queries are the source's by design: stage 0 would
 * find them all duplicates of it). Each chunk's answers are committed before it asks, so the last one sees them all.
 */
async function finishGeneration(roundId: number): Promise<void> {
  const pool = await getPool();
  const moved = await pool.query<RoundRow & { name: string }>(
    `UPDATE rounds r SET status = 'refining', generated_at = now() FROM datasets d
     WHERE r.id = $1 AND d.id = r.dataset_id AND r.status = 'generating'
       AND (SELECT count(*) FROM round_samples WHERE round_id = $1) >= r.queries * r.samples_per_query
     RETURNING r.*, d.name`,
    [roundId],
  );
  const round = moved.rows[0];
  if (!round) return;
  try {
    const { runId } = await createRun({
      datasetName: round.name,
      stages: "all",
      statuses: ["pending"],
      concurrency: round.concurrency,
      maxRegenerations: round.max_regenerations,
      skipStages: [...OPTIONAL_STAGE_IDS],
    });
    await pool.query(`UPDATE rounds SET run_id = $2 WHERE id = $1`, [roundId, runId]);
  } catch (error) {
    await pool.query(`UPDATE rounds SET status = 'failed', failure = $2 WHERE id = $1`, [roundId, `the pipeline run could not start: ${(error as Error).message}`]);
  }
}

export type RoundStatus = "generating" | "refining" | "paused" | "succeeded" | "failed" | "cancelled";

/** What the Rounds page and `studio round list` show of a round. */
export interface RoundSummary {
  id: number;
  number: number;
  dataset: string;
  datasetId: number;
  source: string;
  previousRoundId: number | null;
  model: string;
  samplesPerQuery: number;
  temperature: number;
  maxRegenerations: number;
  status: RoundStatus;
  failure: string | null;
  runId: number | null;
  queries: number;
  /** Answers asked for (queries × samples per query), written so far, and those the model gave none for. */
  answers: number;
  generated: number;
  generationFailed: number;
  /** Answers compared with a reference, and those that agree: agreement = agreeing / compared. */
  compared: number;
  agreeing: number;
  agreement: number | null;
  /** Per stage, the run's samples by outcome: {"4": {"pass": 80, "fail": 20}}. */
  stages: Record<string, Record<string, number>>;
  /** Answers the run has finished, and the refined set (passed, text, approved). */
  refined: number;
  refinedFinished: number;
  /** Source queries with an answer in the refined set now but not in the previous round's, and the other way round. */
  rescued: number | null;
  lost: number | null;
  /** Refined answers that disagree with the reference: the ones worth a person's look. */
  disagreeingRefined: number;
  tokens: { prompt: number; completion: number };
  createdBy: string;
  createdAt: Date;
  generatedAt: Date | null;
  finishedAt: Date | null;
}

const REFINED = `s.status IN ('passed', 'text', 'approved')`;

const SUMMARY_SQL = `
SELECT r.*, d.name AS dataset, src.name AS source, pr.status AS run_status, pr.finished_at AS run_finished_at,
  (SELECT count(*)::int FROM round_samples rs WHERE rs.round_id = r.id) AS generated,
  (SELECT count(*)::int FROM round_samples rs WHERE rs.round_id = r.id AND rs.sample_id IS NULL) AS generation_failed,
  (SELECT count(*)::int FROM round_samples rs WHERE rs.round_id = r.id AND rs.agrees IS NOT NULL) AS compared,
  (SELECT count(*)::int FROM round_samples rs WHERE rs.round_id = r.id AND rs.agrees) AS agreeing,
  (SELECT count(*)::int FROM samples s WHERE s.dataset_id = r.dataset_id AND ${REFINED}) AS refined,
  (SELECT count(*)::int FROM pipeline_run_samples ps WHERE ps.run_id = r.run_id AND ps.result IS NOT NULL) AS refined_finished,
  (SELECT count(*)::int FROM round_samples rs JOIN samples s ON s.id = rs.sample_id WHERE rs.round_id = r.id AND rs.agrees = false AND ${REFINED}) AS disagreeing_refined
FROM rounds r JOIN datasets d ON d.id = r.dataset_id JOIN datasets src ON src.id = r.source_dataset_id
LEFT JOIN pipeline_runs pr ON pr.id = r.run_id`;

// Source queries with at least one answer in a round's refined set.
const REFINED_QUERIES = `SELECT DISTINCT rs.source_sample_id FROM round_samples rs JOIN samples s ON s.id = rs.sample_id WHERE rs.round_id = $ROUND AND ${REFINED}`;
const CHANGE_SQL = `
WITH cur AS (${REFINED_QUERIES.replace("$ROUND", "$1")}), prev AS (${REFINED_QUERIES.replace("$ROUND", "$2")})
SELECT (SELECT count(*)::int FROM cur WHERE source_sample_id NOT IN (SELECT source_sample_id FROM prev)) AS rescued,
       (SELECT count(*)::int FROM prev WHERE source_sample_id NOT IN (SELECT source_sample_id FROM cur)) AS lost`;

type SummaryRow = Record<string, unknown> & RoundRow & {
  number: number;
  dataset: string;
  source: string;
  previous_round_id: number | null;
  failure: string | null;
  run_id: number | null;
  run_status: string | null;
  run_finished_at: Date | null;
  queries: number;
  generated: number;
  generation_failed: number;
  compared: number;
  agreeing: number;
  refined: number;
  refined_finished: number;
  disagreeing_refined: number;
  prompt_tokens: string;
  completion_tokens: string;
  created_by: string;
  created_at: Date;
  generated_at: Date | null;
};

async function summarize(row: SummaryRow): Promise<RoundSummary> {
  const pool = await getPool();
  const [change, stages] = await Promise.all([
    row.previous_round_id === null ? null : pool.query<{ rescued: number; lost: number }>(CHANGE_SQL, [row.id, row.previous_round_id]).then((r) => r.rows[0]),
    row.run_id === null ? {} : stageOutcomes(row.run_id),
  ]);
  const status: RoundStatus = row.status !== "refining" ? (row.status as RoundStatus) : row.run_status === null || row.run_status === "running" ? "refining" : (row.run_status as RoundStatus);
  return {
    id: row.id,
    number: row.number,
    dataset: row.dataset,
    datasetId: row.dataset_id,
    source: row.source,
    previousRoundId: row.previous_round_id,
    model: row.model,
    samplesPerQuery: row.samples_per_query,
    temperature: row.temperature,
    maxRegenerations: row.max_regenerations,
    status,
    failure: row.failure,
    runId: row.run_id,
    queries: row.queries,
    answers: row.queries * row.samples_per_query,
    generated: row.generated,
    generationFailed: row.generation_failed,
    compared: row.compared,
    agreeing: row.agreeing,
    agreement: row.compared > 0 ? row.agreeing / row.compared : null,
    stages,
    refined: row.refined,
    refinedFinished: row.refined_finished,
    rescued: change?.rescued ?? null,
    lost: change?.lost ?? null,
    disagreeingRefined: row.disagreeing_refined,
    tokens: { prompt: Number(row.prompt_tokens), completion: Number(row.completion_tokens) },
    createdBy: row.created_by,
    createdAt: row.created_at,
    generatedAt: row.generated_at,
    finishedAt: status === "succeeded" || status === "cancelled" || status === "failed" ? row.run_finished_at : null,
  };
}

/** Each stage's samples by outcome in the round's run (the Runs page's figures). */
async function stageOutcomes(runId: number): Promise<Record<string, Record<string, number>>> {
  return (await getRunProgress(runId))?.stages_ ?? {};
}

/** Every round, newest first (of one source when named). */
export async function listRounds(source?: string): Promise<RoundSummary[]> {
  const pool = await getPool();
  const { rows } = await pool.query<SummaryRow>(`${SUMMARY_SQL} ${source ? "WHERE src.name = $1" : ""} ORDER BY r.id DESC`, source ? [source] : []);
  return Promise.all(rows.map(summarize));
}

export async function getRound(id: number): Promise<RoundSummary> {
  const pool = await getPool();
  const { rows } = await pool.query<SummaryRow>(`${SUMMARY_SQL} WHERE r.id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError(`round ${id} does not exist`);
  return summarize(rows[0]);
}

/** A round answer the pipeline passed although it disagrees with the reference. */
export interface DisagreeingAnswer {
  sampleId: number;
  sourceSampleId: number;
  sampleNumber: number;
  query: string;
  status: string;
  reason: string | null;
}

/** The refined answers that disagree with the reference (the first `limit`, by sample). */
export async function disagreeingRefined(roundId: number, limit = 200): Promise<DisagreeingAnswer[]> {
  const pool = await getPool();
  const { rows } = await pool.query<DisagreeingAnswer>(
    `SELECT s.id AS "sampleId", rs.source_sample_id AS "sourceSampleId", rs.sample_number AS "sampleNumber", s.query, s.status::text AS status,
       rs.agreement_reason AS reason
     FROM round_samples rs JOIN samples s ON s.id = rs.sample_id
     WHERE rs.round_id = $1 AND rs.agrees = false AND ${REFINED} ORDER BY s.id LIMIT $2`,
    [roundId, limit],
  );
  return rows;
}

/** What the review page shows of a round's answer: the round, and the reference answer it is compared with. */
export interface RoundAnswerView {
  roundId: number;
  roundNumber: number;
  model: string;
  sourceSampleId: number;
  sampleNumber: number;
  reference: Answer | null;
  agrees: boolean | null;
  reason: string | null;
}

/** The round answer a sample is (null for a sample of any other dataset). */
export async function roundAnswerOf(sampleId: number): Promise<RoundAnswerView | null> {
  const pool = await getPool();
  const { rows } = await pool.query<{
    round_id: number;
    number: number;
    model: string;
    source_sample_id: number;
    sample_number: number;
    answer_kind: Answer["kind"] | null;
    answer: unknown;
    agrees: boolean | null;
    agreement_reason: string | null;
  }>(
    `SELECT rs.round_id, r.number, r.model, rs.source_sample_id, rs.sample_number, src.answer_kind, src.answer, rs.agrees, rs.agreement_reason
     FROM round_samples rs JOIN rounds r ON r.id = rs.round_id JOIN samples src ON src.id = rs.source_sample_id WHERE rs.sample_id = $1`,
    [sampleId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    roundId: row.round_id,
    roundNumber: row.number,
    model: row.model,
    sourceSampleId: row.source_sample_id,
    sampleNumber: row.sample_number,
    reference: toAnswer(row.answer_kind, row.answer),
    agrees: row.agrees,
    reason: row.agreement_reason,
  };
}
