// Batch runs (issue 15 §4): a run's LLM requests go through OpenAI's Batch API (half the price, no rate limit), or
// the same JSONL file through `vllm run-batch`.
//
// Design: replay with a request cache, so the pipeline's one sequential walk (lib/pipeline/run.ts) is unchanged.
// A batch run advances in passes. A pass (runBatchPass):
//   1. collects the batches in flight, if any: each finished one (completed, expired, failed, cancelled) has its
//      output and error files read line by line, per custom_id (lib/batch/requests.ts), and each request it held gets
//      its answer, or a "missing" answer (never run, a malformed line) — one attempt each. Its input, output and error
//      files are recorded when the server reports it finished, and deleted once its results are stored (they count
//      against the account's storage; each recorded gone as it goes, so a worker that dies first leaves them to the
//      next pass; a delete that fails is logged, the results are stored already). One still running → nothing else
//      happens this pass;
//   2. walks every unfinished sample with refineSample and deferring clients (deferring-client.ts): a request the
//      store has a usable answer for is answered exactly as the live client would have answered (same parsing, same
//      JudgeResult / CompletionResult, tokens summed over attempts); any other request is recorded and the sample
//      stops at it (DeferredRequest). A retryable failure (5xx, 429, unparseable, missing) is asked again in a later
//      pass until 1 + maxRetries answers, then it is an LLM failure: an `error` verdict, the sample flagged, never
//      a `fail`. A walk that ends without deferral is stored as a live one, through the live run's outcome writer
//      (those finishing together in one statement, exactly once each); a chunk's writes are done before the next
//      chunk is walked. Each chunk's requests are recorded in the store (state pending) before the next chunk is
//      walked: a pass holds one chunk's, not the run's (60,000 samples ask ~0.5 GB of bodies);
//   3. sends the recorded requests: input files of one model each (OpenAI's rule) within the Batch API's limits,
//      written from the store a page at a time to a temporary file and uploaded from disk, one batch per file. Stage 2's requests of a sample all come
//      before its stage 3's exist. A worker killed before a file's requests are recorded as being sent loses
//      nothing: the next pass's walk finds the same requests recorded, and sends them (once). Before the upload,
//      the file's requests are recorded in a batch of the studio's own name (state sending, run_batches status
//      sending), and the Batch API batch is created with that name in its metadata: a worker killed between the
//      batch's creation and the recording of its id leaves a batch being sent, and the next pass looks for it at
//      the server first (the batch list, newest first) and adopts it, or sends it when the server has none, deleting
//      first the input file the stopped pass may have uploaded for it (found in the file list by its name).
// The request store is the table batch_requests (store.ts), keyed by (run, custom_id = hash of the body), so a pass
// run again (a worker killed mid-pass or with a batch in flight) asks nothing twice: answers replay from it. One pass
// per run at a time (a PostgreSQL advisory lock on its own connection, freed if the worker dies): two workers never
// send the same requests in two batches.
// Within one sample's walk, a request body asked twice gets the same answer (the live client would ask again);
// the pipeline's requests differ (the rejected answer, the seed), so this does not change a walk.
// The worker job that drives passes is job.ts; the same walk writes and reads batch files by hand (files.ts).
// Judge panels: every member is asked through a deferring judge, its model in the request (so in a batch of its own
// model); a member with a base URL of its own in batches at that endpoint, sent and collected with the key saved for
// it (requests and batches name their endpoint: a batch id is unique at its server only). Judges are asked for
// structured outputs first, and in the next format when the server refuses one (deferring-client.ts), as the live
// client does.
import "server-only";
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, open, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type OpenAI from "openai";
import type { PoolClient } from "pg";
import { getPool } from "@/lib/db/client";
import { refineSample, type RefineOptions } from "@/lib/pipeline/run";
import { createOutcomeWriter } from "@/lib/pipeline/outcome-writer";
import { editedDuringRun } from "@/lib/pipeline/store";
import type { StageId } from "@/lib/pipeline/stage-registry";
import type { JudgePanel, PipelineSample } from "@/lib/pipeline/types";
import type { SavedPanel } from "@/lib/judges/panels";
import { isAlive } from "@/lib/process/alive";
import { toAnswer } from "@/lib/samples/export";
import { createDeferringClient, DeferredRequest, type RequestBook } from "./deferring-client";
import { BATCH_ENDPOINT, BATCH_LIMITS, fitsInFile, inputLine, linesOf, readBatchResults, type BatchRequest, type MalformedLine } from "./requests";
import {
  filesToDelete,
  inFlightBatches,
  JUDGE_ENDPOINT,
  loadRequests,
  pendingGroups,
  recordAnswers,
  recordBatchCreated,
  recordBatchOutlived,
  recordBatchProblem,
  recordBatchState,
  recordFileDeleted,
  recordMissing,
  recordPending,
  requestsToSend,
  sendingBatches,
  startSending,
  type BatchRef,
  type SendingBatch,
  type StoredRequest,
  type ToSend,
} from "./store";

/** What a walk over the run's unfinished samples needs (no transport: the pass or the batch file supplies it). */
export interface WalkOptions {
  /** The run's pipeline options, without clients: the walk makes deferring ones. */
  refine: Omit<RefineOptions, "judge" | "teacher" | "panelFor">;
  judgeModel: string;
  teacherModel: string;
  /** Answers per request at most: 1 + maxRetries (the live client's setting). */
  maxRetries: number;
  /** Samples walked at a time: their stored answers are in memory together, not the whole run's. Default 500. */
  chunkSize?: number;
  /**
   * The run's judge panels by stage id, as the run recorded them: a member is asked in batches of its model at its
   * base URL, or at the judge's endpoint when it has none.
   */
  panels?: Record<string, SavedPanel>;
}

export interface BatchPassOptions extends WalkOptions {
  /** Talks to the Files and Batch API at the judge's endpoint (OpenAI, or the fake). */
  openai: OpenAI;
  /** The same at each base URL of the run's panel members, with the key saved for it (lib/judges/panels.ts memberEndpoints). */
  memberApis?: ReadonlyMap<string, OpenAI>;
  /** Requests and bytes per input file: the Batch API's (BATCH_LIMITS) unless a test makes them small. */
  limits?: typeof BATCH_LIMITS;
}

export interface PassReport {
  /**
   * waiting: a batch is still running; submitted: a new batch went out; done: no sample waits for an answer;
   * busy: another pass of this run is under way (nothing done).
   */
  state: "waiting" | "submitted" | "done" | "busy";
  batchId?: string;
  /** Samples whose outcome this pass stored. */
  finished: number;
  /** Requests in the batches this pass sent (one per input file). */
  sent: number;
  /** Lines of the collected batch's files that could not be read (their requests count as missing). */
  malformed: MalformedLine[];
}

const FINISHED = ["completed", "expired", "failed", "cancelled"];

/** The first key of a batch run's pass lock ("BTCH"); the run's id is the second. */
const LOCK_SPACE = 0x42544348;

/** Runs `work` holding the run's pass lock, or returns null at once when another process holds it. */
export async function withPassLock<T>(runId: number, work: () => Promise<T>): Promise<T | null> {
  const client: PoolClient = await (await getPool()).connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock($1, $2) AS locked`, [LOCK_SPACE, runId]);
    if (!rows[0].locked) return null;
    try {
      return await work();
    } finally {
      await client.query(`SELECT pg_advisory_unlock($1, $2)`, [LOCK_SPACE, runId]);
    }
  } finally {
    client.release();
  }
}

export async function runBatchPass(runId: number, options: BatchPassOptions): Promise<PassReport> {
  return (await withPassLock(runId, () => pass(runId, options))) ?? { state: "busy", finished: 0, sent: 0, malformed: [] };
}

/** The Files and Batch API at an endpoint of the run (JUDGE_ENDPOINT, or a panel member's base URL). */
export type BatchApiAt = (endpoint: string) => OpenAI;

export function batchApiAt({ openai, memberApis }: Pick<BatchPassOptions, "openai" | "memberApis">): BatchApiAt {
  return (endpoint) => {
    if (endpoint === JUDGE_ENDPOINT) return openai;
    const api = memberApis?.get(endpoint);
    if (!api) throw new Error(`no panel member of the run asks ${endpoint} now: its batches cannot be sent or collected`);
    return api;
  };
}

async function pass(runId: number, options: BatchPassOptions): Promise<PassReport> {
  const apiAt = batchApiAt(options);
  await finishSending(runId, apiAt);
  const malformed: MalformedLine[] = [];
  let running: BatchRef | undefined;
  for (const ref of await inFlightBatches(runId)) {
    const openai = apiAt(ref.endpoint);
    const batch = await openai.batches.retrieve(ref.id);
    if (!sentByRun(runId, batch)) throw new Error(`batch ${ref.id}${atEndpoint(ref)} is not one this run sent (its metadata names run ${batch.metadata?.run ?? "none"}): was the endpoint changed since? It is left alone`);
    await recordBatchState(runId, ref, batch.status, batch.request_counts, filesLeft(batch));
    if (!FINISHED.includes(batch.status)) {
      running ??= ref;
      continue;
    }
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (fileId) malformed.push(...(await readBatchResults(linesOf(await openai.files.content(fileId)), (answers) => recordAnswers(runId, ref, answers))));
    }
    // Its results are stored: the requests it has no answer for are missing.
    await recordMissing(runId, ref);
  }
  await deleteFinishedFiles(runId, apiAt);
  if (running) return { state: "waiting", batchId: running.id, finished: 0, sent: 0, malformed };

  const { finished, waiting } = await walk(runId, options, (requests) => recordPending(runId, requests));
  if (waiting === 0) return { state: "done", finished, sent: 0, malformed };
  return { state: "submitted", finished, ...(await sendPending(runId, apiAt, options.limits ?? BATCH_LIMITS)), malformed };
}

/**
 * Whether the server's batch is one the run sent (its metadata names the run): a batch id is unique at its server
 * only, and the server at an endpoint's settings may have changed since the batch was sent. Another's batch is never
 * read, cancelled or deleted.
 */
const sentByRun = (runId: number, batch: OpenAI.Batch) => batch.metadata?.run === String(runId);

const atEndpoint = (ref: BatchRef) => (ref.endpoint ? ` at ${ref.endpoint}` : "");

/** The files a batch leaves at the server once it has finished (none before: its output and error files come then). */
const filesLeft = (batch: OpenAI.Batch) =>
  FINISHED.includes(batch.status) ? [batch.input_file_id, batch.output_file_id, batch.error_file_id].filter((id): id is string => Boolean(id)) : [];

/**
 * A batch of a cancelled run: cancelled at the server while it runs; once it has ended, closed with nothing of it
 * applied (the run is over), its files recorded for deletion; left alone when the server at its endpoint did not get
 * it from the run (the settings changed since), and not looked at again. Returns whether it still runs.
 */
async function cancelBatch(runId: number, apiAt: BatchApiAt, ref: BatchRef): Promise<boolean> {
  const openai = apiAt(ref.endpoint);
  let batch = await openai.batches.retrieve(ref.id);
  if (!sentByRun(runId, batch)) {
    await recordMissing(runId, ref);
    return false;
  }
  if (!FINISHED.includes(batch.status) && batch.status !== "cancelling") batch = await openai.batches.cancel(ref.id);
  await recordBatchState(runId, ref, batch.status, batch.request_counts, filesLeft(batch));
  if (!FINISHED.includes(batch.status)) return true;
  await recordMissing(runId, ref);
  return false;
}

/**
 * A cancelled run's batches at the server: each one being sent adopted if the server has it, else its upload deleted
 * and it is recorded as never sent (cancelled); each running one cancelled, each ended one closed (cancelBatch). A
 * batch the server could not be asked about records why (the Runs page shows it) and is left to the next look.
 * Returns what went wrong, and how many batches are left to look at (still running, or not reached).
 */
export async function cancelRunBatches(runId: number, apiAt: BatchApiAt): Promise<{ left: number; problems: string[] }> {
  const problems: string[] = [];
  let left = 0;
  const notReached = async (ref: BatchRef, what: string, error: unknown) => {
    const problem = `${what}: ${errorText(error)}`;
    await recordBatchProblem(runId, ref, problem);
    problems.push(`batch ${ref.id}${atEndpoint(ref)} ${problem}`);
    left++;
  };
  try {
    for (const batch of await adoptCreatedBatches(runId, apiAt)) await recordBatchState(runId, { endpoint: batch.endpoint, id: batch.name }, "cancelled", undefined);
  } catch (error) {
    for (const batch of await sendingBatches(runId)) await notReached({ endpoint: batch.endpoint, id: batch.name }, "could not be looked for at the server", error);
  }
  for (const ref of await inFlightBatches(runId)) {
    try {
      if (await cancelBatch(runId, apiAt, ref)) left++;
    } catch (error) {
      if (await outlived(runId, ref, error)) continue;
      await notReached(ref, "could not be cancelled", error);
    }
  }
  return { left, problems };
}

/**
 * A cancelled run's batch the server still cannot be reached about, given up on once its completion window (and a
 * margin for the clocks) has passed since it was sent: the server has ended it by then (expired), so nothing of it
 * runs or is billed any more, and the run's batches stop being looked at. Returns whether it was.
 */
async function outlived(runId: number, ref: BatchRef, error: unknown): Promise<boolean> {
  const reason = errorText(error).replace(/\.$/, "");
  const problem = `Given up after the cancel: the server could not be reached (${reason}), and the batch's ${COMPLETION_WINDOW_HOURS} h window has passed, so the server has ended it.`;
  if (!(await recordBatchOutlived(runId, ref, problem, COMPLETION_WINDOW_HOURS + CLOCK_SKEW_SECONDS / 3600))) return false;
  await recordMissing(runId, ref);
  return true;
}

/**
 * A look at a cancelled run's batches under its pass lock (a pass under way when the run was cancelled may have sent
 * one): cancelRunBatches, then the files of those ended deleted. Returns how many are left to look at (1 when another
 * pass holds the run: look again later).
 */
export async function collectCancelled(runId: number, apiAt: BatchApiAt): Promise<number> {
  const left = await withPassLock(runId, async () => {
    const { left } = await cancelRunBatches(runId, apiAt);
    await deleteFinishedFiles(runId, apiAt);
    return left;
  });
  return left ?? 1;
}

/** Requests read from the store at a time while an input file is written. */
const PAGE = 500;

/** The metadata key naming the studio's batch a Batch API batch is (a pass that stopped finds it by it). */
const BATCH_NAME_KEY = "studio_batch";

/**
 * Sends the run's recorded requests: input files of one model at one endpoint each (OpenAI's rule: one model a file)
 * within `limits`, each written from the store a page at a time to a temporary file, its requests recorded as being
 * sent in a batch of the studio's own name (before anything is uploaded), uploaded from disk (streamed) to its
 * endpoint, and created there as one Batch API batch carrying that name in its metadata.
 */
async function sendPending(runId: number, apiAt: BatchApiAt, limits: typeof BATCH_LIMITS): Promise<{ sent: number; batchId: string }> {
  let sent = 0;
  let batchId = "";
  await withTempDir(async (dir) => {
    for (const group of await pendingGroups(runId)) {
      for (let afterId = ""; ; ) {
        const name = `run-${runId}-${randomBytes(8).toString("hex")}`;
        const written = await writeInputFile(runId, inputFile(dir, name), group, afterId, limits);
        if (written.requests === 0) break;
        await startSending(runId, { ...group, afterId, lastId: written.lastId }, name, written.requests);
        batchId = await createBatch(runId, apiAt(group.endpoint), name, inputFile(dir, name));
        sent += written.requests;
        afterId = written.lastId;
      }
    }
  });
  return { sent, batchId };
}

/**
 * The batches a stopped pass left being sent: each is adopted when the server has it (found by the name in its
 * metadata: created, but the pass stopped before it knew), else sent now. So a batch is never created twice.
 */
async function finishSending(runId: number, apiAt: BatchApiAt): Promise<void> {
  for (const batch of await adoptCreatedBatches(runId, apiAt)) {
    await withTempDir(async (dir) => {
      const file = inputFile(dir, batch.name);
      await writeInputFile(runId, file, { batch: batch.name }, "", { requests: Infinity, bytes: Infinity });
      await createBatch(runId, apiAt(batch.endpoint), batch.name, file);
    });
  }
}

/**
 * Records the server's batch of each of the run's batches being sent that the server has; returns the others, their
 * input files deleted at the server if uploaded (no batch will read them: they are sent again, or the run cancelled).
 */
export async function adoptCreatedBatches(runId: number, apiAt: BatchApiAt): Promise<SendingBatch[]> {
  const notFound: SendingBatch[] = [];
  for (const batch of await sendingBatches(runId)) {
    const found = await findBatch(apiAt(batch.endpoint), batch);
    if (found) await recordBatchCreated(runId, batch.name, found.id, found.status);
    else notFound.push(batch);
  }
  for (const endpoint of new Set(notFound.map((b) => b.endpoint))) {
    const openai = apiAt(endpoint);
    for (const fileId of await uploadedInputFiles(runId, openai, notFound.filter((b) => b.endpoint === endpoint))) await deleteFile(runId, openai, fileId);
  }
  return notFound;
}

/** The name of the input file of the studio's batch `name`, as uploaded: a batch never created is found by it. */
const inputFileName = (name: string) => `${name}.jsonl`;

/** Where the input file of the batch `name` is written (the SDK uploads it under its base name). */
const inputFile = (dir: string, name: string) => path.join(dir, inputFileName(name));

/**
 * The ids of the input files uploaded for these batches (found by their names; read back, newest first, to the
 * oldest batch's record less the clock margin). Collected before any is deleted: a list is not paged while it shrinks.
 */
async function uploadedInputFiles(runId: number, openai: OpenAI, batches: SendingBatch[]): Promise<string[]> {
  const names = new Set(batches.map((b) => inputFileName(b.name)));
  const since = Math.min(...batches.map((b) => b.createdAt.getTime() / 1000)) - CLOCK_SKEW_SECONDS;
  const ids: string[] = [];
  try {
    for await (const file of openai.files.list({ purpose: "batch", order: "desc", limit: 100 })) {
      if (file.created_at < since) break;
      if (names.has(file.filename)) ids.push(file.id);
    }
  } catch (error) {
    console.warn(`batch run ${runId}: the input files of batches never created could not be looked for (they stay at the server until they expire): ${errorText(error)}`);
  }
  return ids;
}

/**
 * Deletes a file at the server. A file that cannot be deleted is logged and left (it expires, or is deleted by
 * hand): the results it held are stored already, so the run goes on.
 */
async function deleteFile(runId: number, openai: OpenAI, fileId: string): Promise<void> {
  await openai.files.delete(fileId).catch((error: unknown) => {
    console.warn(`batch run ${runId}: file ${fileId} could not be deleted at the server (it stays until it expires or is deleted by hand): ${errorText(error)}`);
  });
}

/**
 * Deletes the files the run's finished batches left at the server, once their results are stored, each recorded gone
 * as it goes: a worker that dies meanwhile leaves the others to the next pass (or the next look at a cancelled run).
 */
async function deleteFinishedFiles(runId: number, apiAt: BatchApiAt): Promise<void> {
  for (const { batch, files } of await filesToDelete(runId)) {
    const openai = apiAt(batch.endpoint);
    for (const fileId of files) {
      await deleteFile(runId, openai, fileId);
      await recordFileDeleted(runId, batch, fileId);
    }
  }
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Clocks of the studio's database and the Batch API's server may differ this much (seconds). */
const CLOCK_SKEW_SECONDS = 3600;

/** The time a batch has to finish (OpenAI's only window: a batch not done by then expires). */
const COMPLETION_WINDOW_HOURS = 24;

/**
 * The server's batch carrying `batch`'s name in its metadata, or null. The list is newest first: it is read back to
 * the batches created before the studio's record of it (less a margin for the clocks), not the account's history.
 */
async function findBatch(openai: OpenAI, batch: SendingBatch): Promise<OpenAI.Batch | null> {
  const since = batch.createdAt.getTime() / 1000 - CLOCK_SKEW_SECONDS;
  for await (const found of openai.batches.list({ limit: 100 })) {
    if (found.metadata?.[BATCH_NAME_KEY] === batch.name) return found;
    if (found.created_at < since) return null;
  }
  return null;
}

/** Uploads `file` and creates the batch `name` from it; records it created. Returns the server's batch id. */
async function createBatch(runId: number, openai: OpenAI, name: string, file: string): Promise<string> {
  const uploaded = await openai.files.create({ file: createReadStream(file), purpose: "batch" });
  const metadata = { run: String(runId), [BATCH_NAME_KEY]: name };
  const batch = await openai.batches.create({ input_file_id: uploaded.id, endpoint: BATCH_ENDPOINT, completion_window: `${COMPLETION_WINDOW_HOURS}h`, metadata });
  await recordBatchCreated(runId, name, batch.id, batch.status);
  return batch.id;
}

/** Input files' folders: named after the worker's process, so that one whose process is gone is known as left behind. */
const TEMP_DIR_PREFIX = "studio-batch-";

/**
 * Runs `work` with a temporary directory for input files, removed after it. The folders that passes of killed workers
 * left are removed first: an input file can be hundreds of MB.
 */
async function withTempDir(work: (dir: string) => Promise<void>): Promise<void> {
  await removeLeftTempDirs();
  const dir = await mkdtemp(path.join(tmpdir(), `${TEMP_DIR_PREFIX}${process.pid}-`));
  try {
    await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Removes the input files' folders whose worker process is gone; and those named before folders carried it
 * (`studio-batch-` and six characters) once a day old, when their pass has long ended.
 */
async function removeLeftTempDirs(): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith(TEMP_DIR_PREFIX)) continue;
    const dir = path.join(tmpdir(), name);
    const rest = name.slice(TEMP_DIR_PREFIX.length);
    const pid = Number(/^(\d+)-/.exec(rest)?.[1]);
    const left = pid > 0 ? !isAlive(pid) : /^\w{6}$/.test(rest) && (await stat(dir).then((s) => Date.now() - s.mtimeMs > DAY_MS, () => false));
    // Best effort: a folder this user may not remove (another's) must not stop the pass.
    if (left) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

const DAY_MS = 24 * 3600 * 1000;

/** Writes the requests to send after `afterId` (custom_id order) to `file`, as many as fit in the limits. */
async function writeInputFile(runId: number, file: string, which: ToSend, afterId: string, limits: typeof BATCH_LIMITS): Promise<{ requests: number; lastId: string }> {
  const out = await open(file, "w");
  const written = { requests: 0, bytes: 0, lastId: afterId };
  try {
    for (let full = false; !full; ) {
      const page = await requestsToSend(runId, which, written.lastId, PAGE);
      if (page.length === 0) break;
      const lines: string[] = [];
      for (const request of page) {
        const line = inputLine(request);
        const bytes = Buffer.byteLength(line);
        full = !fitsInFile(written, bytes, limits);
        if (full) break;
        lines.push(line);
        written.requests++;
        written.bytes += bytes;
        written.lastId = request.customId;
      }
      await out.write(lines.join(""));
    }
  } finally {
    await out.close();
  }
  return { requests: written.requests, lastId: written.lastId };
}

/**
 * Walks every unfinished sample with deferring clients, a chunk at a time: stores each one that gets to its end
 * (exactly once, those finishing together in one statement: all of a chunk's written before the next is walked),
 * and hands `record` each chunk's requests the others wait for before walking the next chunk (a request two chunks
 * ask is handed twice). Returns the samples finished and the samples waiting. Call it holding the pass lock.
 */
export async function walk(runId: number, options: WalkOptions, record: (requests: BatchRequest[]) => Promise<void>): Promise<{ finished: number; waiting: number }> {
  // The response formats the judges' servers refused (per endpoint and model), learnt as the walk goes (for every chunk).
  const formats = new Map<string, number>();
  const writer = createOutcomeWriter(runId);
  let finished = 0;
  let waitingSamples = 0;
  for (let after = 0; ; ) {
    const chunk = await unfinishedSamples(runId, after, options.chunkSize ?? 500);
    if (chunk.length === 0) break;
    after = chunk[chunk.length - 1].id;
    const book: RequestBook = { stored: await loadRequests(runId, { sampleIds: chunk.map((s) => s.id) }), pending: new Map(), formats };
    const judge = createDeferringClient({ model: options.judgeModel, maxRetries: options.maxRetries }, book);
    const teacher = createDeferringClient({ model: options.teacherModel, maxRetries: options.maxRetries }, book);
    // A member with a base URL of its own is asked there (its requests go in that endpoint's batches).
    const memberJudge = (baseURL?: string) => (baseURL ? createDeferringClient({ model: options.judgeModel, maxRetries: options.maxRetries, endpoint: baseURL }, book) : judge);
    const panelFor = (stage: StageId): JudgePanel | null => {
      const panel = options.panels?.[stage];
      return panel ? { name: panel.name, rule: panel.rule, members: panel.members.map((m) => ({ judge: memberJudge(m.baseURL), model: m.model, promptVersion: m.promptVersion })) } : null;
    };
    // Each write's failure is caught as it happens (a rejection awaited only later would end the process), the
    // first one thrown once the chunk's writes are done.
    const writes: Promise<void>[] = [];
    const failures: unknown[] = [];
    let todo = chunk;
    for (;;) {
      const waiting: typeof chunk = [];
      for (const entry of todo) {
        const { id, version, edited, sample } = entry;
        book.sampleId = id;
        try {
          // Edited since the run took it in: no request for it (as in a live run).
          const outcome = edited ? editedDuringRun(sample) : await refineSample(sample, { ...options.refine, judge, teacher, panelFor });
          writes.push(writer.store(id, version, outcome).then(() => undefined, (error: unknown) => void failures.push(error)));
          finished++;
        } catch (err) {
          if (!(err instanceof DeferredRequest)) throw err;
          waiting.push(entry);
        }
      }
      // A request stored under another sample (two samples asking the same body): load it and walk these again.
      const unknown = [...book.pending.keys()].filter((id) => !book.stored.has(id));
      const elsewhere = unknown.length > 0 ? await loadRequests(runId, { customIds: unknown }) : new Map<string, StoredRequest>();
      if (elsewhere.size === 0) {
        waitingSamples += waiting.length;
        break;
      }
      book.stored = new Map([...book.stored, ...elsewhere]);
      book.pending.clear();
      todo = waiting;
    }
    await Promise.all(writes);
    if (failures.length > 0) throw failures[0];
    if (book.pending.size > 0) await record([...book.pending.values()]);
  }
  return { finished, waiting: waitingSamples };
}

/** The run's samples without an outcome yet (after `afterId`, `limit` of them), at the version the run took them in. */
async function unfinishedSamples(runId: number, afterId: number, limit: number): Promise<{ id: number; version: number; edited: boolean; sample: PipelineSample }[]> {
  const { rows } = await (await getPool()).query(
    `SELECT s.id, s.query, s.tools, s.answer_kind, s.answer, s.cot, s.follow_up, s.version AS current_version,
       COALESCE(m.sample_version, s.version) AS version
     FROM pipeline_run_samples m JOIN samples s ON s.id = m.sample_id
     WHERE m.run_id = $1 AND m.finished_at IS NULL AND m.sample_id > $2 ORDER BY m.sample_id LIMIT $3`,
    [runId, afterId, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    edited: row.current_version !== row.version,
    sample: { id: row.id, query: row.query, tools: row.tools, answer: toAnswer(row.answer_kind, row.answer), cot: row.cot, ...(row.follow_up ? { followUp: row.follow_up } : {}) },
  }));
}
