// A batch run's request store (table batch_requests): every request its passes asked for, by custom_id, with the
// batch it last went in and the last answer. Tokens are summed over attempts, as the live client sums them.
import "server-only";
import { getPool } from "@/lib/db/client";
import type { TokenUsage } from "@/lib/llm/client";
import type { RunMode } from "@/lib/runs/modes";
import { MISSING_ANSWER, type BatchAnswer, type BatchRequest } from "./requests";
import type { WaitingRequests } from "./waiting";

/** The endpoint of the LLM settings (the judge's and the teacher's), as a request or batch names it. */
export const JUDGE_ENDPOINT = "";

/** A batch at the server: its id is unique at its endpoint only (JUDGE_ENDPOINT, or a panel member's base URL). */
export interface BatchRef {
  endpoint: string;
  id: string;
}

export interface StoredRequest {
  /**
   * pending: recorded by a walk, not sent yet; sending: in a batch being created at the server (batch_id: the
   * studio's name for it); sent: in a batch (or an exported file) waiting for its answer.
   */
  state: "pending" | "sending" | "sent" | "answered";
  answer: BatchAnswer | null;
  /** Answers received so far (each one an attempt, as a live retry is). */
  attempts: number;
  tokens: TokenUsage;
}

/** The run's stored requests asked for these samples, or with these custom_ids. */
export async function loadRequests(runId: number, which: { sampleIds: number[] } | { customIds: string[] }): Promise<Map<string, StoredRequest>> {
  const { rows } = await (await getPool()).query(
    `SELECT custom_id, state, answer, attempts, prompt_tokens, cached_tokens, completion_tokens FROM batch_requests
     WHERE run_id = $1 AND ${"sampleIds" in which ? "sample_id = ANY($2::int[])" : "custom_id = ANY($2::text[])"}`,
    [runId, "sampleIds" in which ? which.sampleIds : which.customIds],
  );
  return new Map(
    rows.map((r) => [r.custom_id, { state: r.state, answer: r.answer, attempts: r.attempts, tokens: { prompt: r.prompt_tokens, cached: r.cached_tokens, completion: r.completion_tokens } }]),
  );
}

/** The batches this run's requests are waiting on. */
export async function inFlightBatches(runId: number): Promise<BatchRef[]> {
  const { rows } = await (await getPool()).query<{ endpoint: string; batch_id: string }>(
    `SELECT DISTINCT endpoint, batch_id FROM batch_requests WHERE run_id = $1 AND state = 'sent' ORDER BY 1, 2`,
    [runId],
  );
  return rows.map((r) => ({ endpoint: r.endpoint, id: r.batch_id }));
}

/**
 * Records requests a walk found no usable answer for, not sent yet (state pending), so that the walk holds one chunk
 * of them at a time: new ones, and answered ones to ask again (a retry). Idempotent: a request recorded already, or
 * in a batch (an exported file), is left as it is.
 */
export async function recordPending(runId: number, requests: readonly BatchRequest[]): Promise<void> {
  await (await getPool()).query(
    `INSERT INTO batch_requests (run_id, custom_id, sample_id, body, endpoint, state)
     SELECT $1, r->>'customId', (r->>'sampleId')::int, r->'body', COALESCE(r->>'endpoint', ''), 'pending' FROM json_array_elements($2::json) r
     ON CONFLICT (run_id, custom_id) DO UPDATE SET state = 'pending', updated_at = now() WHERE batch_requests.state = 'answered'`,
    [runId, JSON.stringify(requests)],
  );
}

/** The requests of one input file: one model's at one endpoint (OpenAI's rule: a file holds one model's requests). */
export interface FileGroup {
  endpoint: string;
  model: string;
}

/** Which requests go in an input file: the run's recorded ones of a group, not sent yet; or those of a batch being sent. */
export type ToSend = FileGroup | { batch: string };

/** The groups of the run's recorded requests not sent yet. */
export async function pendingGroups(runId: number): Promise<FileGroup[]> {
  const { rows } = await (await getPool()).query<FileGroup>(
    `SELECT DISTINCT endpoint, body->>'model' AS model FROM batch_requests WHERE run_id = $1 AND state = 'pending' ORDER BY 1, 2`,
    [runId],
  );
  return rows;
}

/** A page of the requests to send, in custom_id order, after `afterId` ("" for the first). */
export async function requestsToSend(runId: number, which: ToSend, afterId: string, limit: number): Promise<Pick<BatchRequest, "customId" | "body">[]> {
  const { rows } = await (await getPool()).query(
    `SELECT custom_id, body FROM batch_requests
     WHERE run_id = $1 AND ${"model" in which ? "state = 'pending' AND body->>'model' = $4 AND endpoint = $5" : "state = 'sending' AND batch_id = $4"}
       AND custom_id > $2 ORDER BY custom_id LIMIT $3`,
    [runId, afterId, limit, ...("model" in which ? [which.model, which.endpoint] : [which.batch])],
  );
  return rows.map((r) => ({ customId: r.custom_id, body: r.body }));
}

/** A batch the run is sending: its requests went in an input file, the Batch API may or may not have it yet. */
export interface SendingBatch {
  /** The studio's name for it (in the batch's metadata), until the server's id replaces it. */
  name: string;
  endpoint: string;
  createdAt: Date;
}

/**
 * Records, before anything is uploaded, that the run's pending requests of `group` after `afterId` up to `lastId`
 * (custom_id order) go in the batch `name` (state sending): the batch is the run's next (status sending), its
 * requests wait for it. In one statement: a pass that stops after it finds both.
 */
export async function startSending(runId: number, range: FileGroup & { afterId: string; lastId: string }, name: string, total: number): Promise<void> {
  await (await getPool()).query(
    `WITH batch AS (
       INSERT INTO run_batches (run_id, endpoint, batch_id, model, pass, status, total)
       SELECT $1, $7, $4, $6, COALESCE(max(pass), 0) + 1, 'sending', $5 FROM run_batches WHERE run_id = $1
     )
     UPDATE batch_requests SET state = 'sending', batch_id = $4, updated_at = now()
     WHERE run_id = $1 AND state = 'pending' AND body->>'model' = $6 AND endpoint = $7 AND custom_id > $2 AND custom_id <= $3`,
    [runId, range.afterId, range.lastId, name, total, range.model, range.endpoint],
  );
}

/** The run's batches being sent (a pass that stopped may have left one), oldest first. */
export async function sendingBatches(runId: number): Promise<SendingBatch[]> {
  const { rows } = await (await getPool()).query<{ batch_id: string; endpoint: string; created_at: Date }>(
    `SELECT batch_id, endpoint, created_at FROM run_batches WHERE run_id = $1 AND status = 'sending' ORDER BY pass`,
    [runId],
  );
  return rows.map((r) => ({ name: r.batch_id, endpoint: r.endpoint, createdAt: r.created_at }));
}

/** Records that the batch `name` exists at the server as `batchId`: its requests are sent, it is in flight. */
export async function recordBatchCreated(runId: number, name: string, batchId: string, status: string): Promise<void> {
  await (await getPool()).query(
    `WITH requests AS (
       UPDATE batch_requests SET state = 'sent', batch_id = $3, updated_at = now() WHERE run_id = $1 AND state = 'sending' AND batch_id = $2
     )
     UPDATE run_batches SET batch_id = $3, status = $4, problem = NULL, updated_at = now() WHERE run_id = $1 AND batch_id = $2`,
    [runId, name, batchId, status],
  );
}

/**
 * Records that these requests went in `batchId`, the file exported at pass `pass`: new ones, and answered ones asked
 * again (a retry). A request's answer is awaited from the first export since its last answer on (one exported again
 * before an answer came, its file lost, may be answered by either file; not by a file older than its last answer).
 */
export async function markSent(runId: number, requests: readonly BatchRequest[], batchId: string, pass: number): Promise<void> {
  await (await getPool()).query(
    `INSERT INTO batch_requests (run_id, custom_id, sample_id, body, endpoint, state, batch_id, awaited_since_pass)
     SELECT $1, r->>'customId', (r->>'sampleId')::int, r->'body', COALESCE(r->>'endpoint', ''), 'sent', $3, $4 FROM json_array_elements($2::json) r
     ON CONFLICT (run_id, custom_id) DO UPDATE SET state = 'sent', batch_id = $3, updated_at = now(),
       awaited_since_pass = CASE WHEN batch_requests.state = 'sent' THEN batch_requests.awaited_since_pass ELSE $4 END`,
    [runId, JSON.stringify(requests), batchId, pass],
  );
}

/**
 * Applies answers to the requests waiting for them, in one statement, each as one more attempt: those in `batch`,
 * or (null) in any of the run's batches. A request answered already (a file read again after a crash) is left as it
 * is.
 */
export async function recordAnswers(runId: number, batch: BatchRef | null, answers: ReadonlyMap<string, BatchAnswer>): Promise<void> {
  const updates = [...answers].map(([customId, answer]) => ({ customId, answer, ...usageOf(answer) }));
  await (await getPool()).query(
    `UPDATE batch_requests b SET state = 'answered', answer = u->'answer', attempts = b.attempts + 1,
       prompt_tokens = b.prompt_tokens + (u->>'prompt')::int, cached_tokens = b.cached_tokens + (u->>'cached')::int,
       completion_tokens = b.completion_tokens + (u->>'completion')::int, updated_at = now()
     FROM json_array_elements($3::json) u
     WHERE b.run_id = $1 AND ($2::text IS NULL OR (b.batch_id = $2 AND b.endpoint = $4)) AND b.state = 'sent' AND b.custom_id = u->>'customId'`,
    [runId, batch?.id ?? null, JSON.stringify(updates), batch?.endpoint ?? null],
  );
}

/** A finished batch's requests its files have no answer for (expired, cancelled, a malformed line): MISSING_ANSWER, one attempt. */
export async function recordMissing(runId: number, batch: BatchRef): Promise<void> {
  await (await getPool()).query(
    `UPDATE batch_requests SET state = 'answered', answer = $3::jsonb, attempts = attempts + 1, updated_at = now()
     WHERE run_id = $1 AND batch_id = $2 AND endpoint = $4 AND state = 'sent'`,
    [runId, batch.id, JSON.stringify(MISSING_ANSWER), batch.endpoint],
  );
}

/** The answer's usage, as the live client reads it (lib/llm/client.ts readCompletion). */
function usageOf(answer: BatchAnswer): TokenUsage {
  type Usage = { prompt_tokens?: unknown; completion_tokens?: unknown; prompt_tokens_details?: { cached_tokens?: unknown } };
  const usage = "status" in answer && typeof answer.body === "object" && answer.body !== null ? (answer.body as { usage?: Usage }).usage : undefined;
  const count = (n: unknown) => (typeof n === "number" && Number.isFinite(n) ? n : 0);
  return { prompt: count(usage?.prompt_tokens), cached: count(usage?.prompt_tokens_details?.cached_tokens), completion: count(usage?.completion_tokens) };
}

/** A request waiting for an answer: the batch (or exported file) it last went in; offline, the pass of the first export since its last answer. */
export interface WaitingRequest {
  batchId: string;
  awaitedSincePass: number | null;
}

/** The requests waiting for an answer, by custom_id. */
export async function waitingRequests(runId: number): Promise<Map<string, WaitingRequest>> {
  const { rows } = await (await getPool()).query(`SELECT custom_id, batch_id, awaited_since_pass FROM batch_requests WHERE run_id = $1 AND state = 'sent'`, [runId]);
  return new Map(rows.map((r) => [r.custom_id, { batchId: r.batch_id, awaitedSincePass: r.awaited_since_pass }]));
}

/** A request as stored: its state, the batch (or exported file) it last went in, its body. */
export interface KnownRequest {
  state: StoredRequest["state"];
  batchId: string | null;
  body: BatchRequest["body"];
}

/** The run's stored requests with these custom_ids (a few: their bodies are read). */
export async function storedRequests(runId: number, customIds: string[]): Promise<Map<string, KnownRequest>> {
  if (customIds.length === 0) return new Map();
  const { rows } = await (await getPool()).query(`SELECT custom_id, state, batch_id, body FROM batch_requests WHERE run_id = $1 AND custom_id = ANY($2::text[])`, [runId, customIds]);
  return new Map(rows.map((r) => [r.custom_id, { state: r.state, batchId: r.batch_id, body: r.body }]));
}

/** The pass number the run's next batch gets. */
export async function nextPass(runId: number): Promise<number> {
  const { rows } = await (await getPool()).query(`SELECT COALESCE(max(pass), 0) + 1 AS pass FROM run_batches WHERE run_id = $1`, [runId]);
  return rows[0].pass;
}

/** Records a file the run just exported, of `model`'s requests: the next pass number. */
export async function addBatch(runId: number, batchId: string, status: string, total: number, model: string): Promise<void> {
  await (await getPool()).query(
    `INSERT INTO run_batches (run_id, batch_id, model, pass, status, total)
     SELECT $1, $2, $5, COALESCE(max(pass), 0) + 1, $3, $4 FROM run_batches WHERE run_id = $1`,
    [runId, batchId, status, total, model],
  );
}

/**
 * The batch's state and counts as the server last reported them (the server answered: no problem now), and, once it
 * has finished, the files it left there: they are deleted once its results are stored (filesToDelete).
 */
export async function recordBatchState(
  runId: number,
  batch: BatchRef,
  status: string,
  counts: { total: number; completed: number; failed: number } | undefined,
  filesLeft: string[] = [],
): Promise<void> {
  await (await getPool()).query(
    `UPDATE run_batches SET status = $3, total = COALESCE($4, total), completed = COALESCE($5, completed), failed = COALESCE($6, failed),
       files_to_delete = $8, problem = NULL, updated_at = now()
     WHERE run_id = $1 AND batch_id = $2 AND endpoint = $7`,
    [runId, batch.id, status, counts?.total || null, counts?.completed ?? null, counts?.failed ?? null, batch.endpoint, filesLeft],
  );
}

/**
 * Records a batch the server could not be reached about as ended (expired), with why, once `hours` have passed since
 * it was sent: by then the server has ended it. Returns whether it was (false: not that long ago).
 */
export async function recordBatchOutlived(runId: number, batch: BatchRef, problem: string, hours: number): Promise<boolean> {
  const { rowCount } = await (await getPool()).query(
    `UPDATE run_batches SET status = 'expired', problem = $4, updated_at = now()
     WHERE run_id = $1 AND batch_id = $2 AND endpoint = $3 AND created_at < now() - make_interval(hours => $5)`,
    [runId, batch.id, batch.endpoint, problem, hours],
  );
  return rowCount === 1;
}

/** Records why the server could not be asked about the batch (the Runs page shows it until the server answers). */
export async function recordBatchProblem(runId: number, batch: BatchRef, problem: string): Promise<void> {
  await (await getPool()).query(`UPDATE run_batches SET problem = $4, updated_at = now() WHERE run_id = $1 AND batch_id = $2 AND endpoint = $3`, [
    runId,
    batch.id,
    batch.endpoint,
    problem,
  ]);
}

/** The files left at the server by the run's finished batches whose results are stored (no request waits on them). */
export async function filesToDelete(runId: number): Promise<{ batch: BatchRef; files: string[] }[]> {
  const { rows } = await (await getPool()).query<{ endpoint: string; batch_id: string; files_to_delete: string[] }>(
    `SELECT endpoint, batch_id, files_to_delete FROM run_batches b
     WHERE run_id = $1 AND files_to_delete <> '{}'
       AND NOT EXISTS (SELECT 1 FROM batch_requests r WHERE r.run_id = b.run_id AND r.state = 'sent' AND r.batch_id = b.batch_id AND r.endpoint = b.endpoint)`,
    [runId],
  );
  return rows.map((r) => ({ batch: { endpoint: r.endpoint, id: r.batch_id }, files: r.files_to_delete }));
}

/** Records that the batch's file `fileId` is gone from the server (deleted, or given up on). */
export async function recordFileDeleted(runId: number, batch: BatchRef, fileId: string): Promise<void> {
  await (await getPool()).query(
    `UPDATE run_batches SET files_to_delete = array_remove(files_to_delete, $4) WHERE run_id = $1 AND batch_id = $2 AND endpoint = $3`,
    [runId, batch.id, batch.endpoint, fileId],
  );
}

export interface RunBatchState {
  batchId: string;
  /** Where it was sent: JUDGE_ENDPOINT, or a panel member's base URL. */
  endpoint: string;
  /** The model its requests ask; null for a file exported by hand. */
  model: string | null;
  /** 1 for the run's first batch. */
  pass: number;
  status: string;
  total: number;
  completed: number;
  failed: number;
  /** Why the server could not be asked about it last time (a cancel not delivered yet); null when it answered. */
  problem: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Records what an offline run's samples wait for, as an export or import found it (the Runs page shows it). */
export async function recordWaiting(runId: number, waiting: readonly WaitingRequests[]): Promise<void> {
  await (await getPool()).query(`UPDATE pipeline_runs SET offline_waiting = $2 WHERE id = $1`, [runId, JSON.stringify(waiting)]);
}

/** What the Runs page shows of a batch run: its mode, its latest batch, the requests waiting for an answer. */
export interface RunBatchView {
  mode: Exclude<RunMode, "live">;
  /** null: no batch sent (or file exported) yet. */
  latest: RunBatchState | null;
  /** Requests in a batch (or an exported file) with no answer yet. */
  waiting: number;
  /** The run's batches went to more than one endpoint (a panel member at a base URL of its own). */
  severalEndpoints: boolean;
  /** Its batches at the server now (a step asks each model in a batch of its own, all at once), oldest first. */
  inFlight: RunBatchState[];
  /** Mode offline, while the run runs: what the samples wait for as the last export or import found it; null before the first export. */
  waitingFor: WaitingRequests[] | null;
  /** Files its finished batches left at the server, not deleted yet. */
  filesToDelete: number;
}

/** The Batch API's statuses of a batch not ended yet, and the studio's own for one being sent. */
const IN_FLIGHT = ["sending", "validating", "in_progress", "finalizing", "cancelling"];

/** The batch side of a run; null for a live run (or no such run). */
export async function getRunBatchView(runId: number): Promise<RunBatchView | null> {
  const pool = await getPool();
  const { rows } = await pool.query(
    `SELECT r.mode, CASE WHEN r.status = 'running' THEN r.offline_waiting END AS offline_waiting,
       (SELECT count(*)::int FROM batch_requests WHERE run_id = r.id AND state IN ('sending', 'sent')) AS waiting,
       (SELECT count(DISTINCT endpoint) > 1 FROM run_batches WHERE run_id = r.id) AS several_endpoints,
       (SELECT COALESCE(sum(cardinality(files_to_delete)), 0)::int FROM run_batches WHERE run_id = r.id) AS files_to_delete
     FROM pipeline_runs r WHERE r.id = $1`,
    [runId],
  );
  const r = rows[0];
  if (!r || r.mode === "live") return null;
  // The latest batch, and every one still at the server.
  const batches = await pool.query(
    `SELECT * FROM run_batches WHERE run_id = $1 AND (status = ANY($2::text[]) OR pass = (SELECT max(pass) FROM run_batches WHERE run_id = $1)) ORDER BY pass`,
    [runId, IN_FLIGHT],
  );
  const states: RunBatchState[] = batches.rows.map((b) => ({
    batchId: b.batch_id,
    endpoint: b.endpoint,
    model: b.model,
    pass: b.pass,
    status: b.status,
    total: b.total,
    completed: b.completed,
    failed: b.failed,
    problem: b.problem,
    createdAt: b.created_at,
    updatedAt: b.updated_at,
  }));
  return {
    mode: r.mode,
    latest: states.at(-1) ?? null,
    waiting: r.waiting,
    severalEndpoints: r.several_endpoints,
    inFlight: states.filter((b) => IN_FLIGHT.includes(b.status)),
    waitingFor: r.offline_waiting,
    filesToDelete: r.files_to_delete,
  };
}
