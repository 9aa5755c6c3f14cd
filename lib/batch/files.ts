// Batch files by hand (run mode "offline"): `studio batch export` writes the requests a run's samples wait for, one
// stage at a time, as a Batch API input file; the user runs it where the model is (`vllm run-batch -i f.jsonl -o
// out.jsonl`, or OpenAI's Batch API), and `studio batch import` reads the output back. The same walk as a pass
// (pass.ts): an import stores every sample its answers finish, and the next export asks what they lead to. Judge
// panels take part as in a batch run: each member's requests name its model, so they go in that model's files (a
// member's endpoint does not matter: the studio sends nothing), and a sample waits at the stage until every member's
// answer is imported. Each export and import says what waits, by stage, model and file (waiting.ts), and records it
// with the run for the Runs page. An exported line's custom_id names its export (the request's id and the pass,
// "req-…-p9": the one field of a line that both OpenAI's and vLLM's output files echo), so an output line of an
// export older than its request's last answer is refused, not applied as a new attempt.
import "server-only";
import { createReadStream } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import { getPool } from "@/lib/db/client";
import { InvalidRequestError } from "@/lib/errors";
import { succeedIfFinished } from "@/lib/jobs/pipeline-chunk";
import { STAGE_IDS, type StageId } from "@/lib/pipeline/stage-registry";
import { walk, withPassLock, type WalkOptions } from "./pass";
import { promptVersionOf, readResultLine, requestStage, toJsonl, type BatchAnswer, type BatchRequest } from "./requests";
import { addBatch, JUDGE_ENDPOINT, markSent, nextPass, recordAnswers, recordBatchState, recordWaiting, storedRequests, waitingRequests, type KnownRequest, type WaitingRequest } from "./store";
import { stageLabel, type WaitingRequests } from "./waiting";

/** A batch file that cannot be exported or imported: says why (the line and field for an import), nothing applied. */
export class BatchFileError extends InvalidRequestError {}

export interface ExportReport {
  /** The file's name for the run's batches (run_batches.batch_id), null when nothing was exported. */
  batchId: string | null;
  requests: number;
  /** Samples the walk finished (answers imported before, now applied). */
  finished: number;
  /** The model every request of the file names (null when nothing was exported). */
  model: string | null;
  /** Every request the run's samples wait for now, this file's included, by stage, model and file. */
  waiting: WaitingRequests[];
  /** The run has no request left: it succeeded. */
  done: boolean;
}

/**
 * Writes the requests `stage` waits for to the file `out`, as the walk (pass.ts) hands them, a chunk at a time (the
 * file is never whole in memory: a 60k run's first step is ~0.5 GB of bodies). Written under `<out>.partial` and
 * renamed when complete, so a failed export never leaves half a file; with no request for the stage, no file.
 * One model per file, as OpenAI's Batch API requires and as `vllm run-batch` serves: `model`, else the first one the
 * walk names; the stage's requests for other models are in the report's `waiting` and wait for their own export.
 */
export async function exportBatchFile(runId: number, stage: StageId, out: string, options: WalkOptions, model?: string): Promise<ExportReport> {
  await offlineRun(runId);
  return locked(runId, async () => {
    const pass = await nextPass(runId);
    const batchId = exportFile(runId, pass);
    const partial = `${out}.partial`;
    const file = await open(partial, "w");
    const waiting = waitingCounter(await waitingRequests(runId));
    let fileModel = model ?? null;
    let requests = 0;
    let finished: number;
    try {
      ({ finished } = await walk(runId, options, async (chunk) => {
        const chosen = chunk.filter((request) => {
          const picked = requestStage(request.promptVersion) === stage && (fileModel ??= request.body.model) === request.body.model;
          return waiting.add(request, picked ? batchId : undefined) && picked;
        });
        if (chosen.length === 0) return;
        await file.write(toJsonl(chosen.map((request) => ({ ...request, customId: exportedId(request.customId, pass) }))));
        await markSent(runId, chosen, batchId, pass);
        requests += chosen.length;
      }));
    } catch (error) {
      await file.close();
      await rm(partial, { force: true });
      throw error;
    }
    await file.close();
    if (requests > 0) {
      await rename(partial, out);
      await addBatch(runId, batchId, "exported", requests, fileModel!);
    } else await rm(partial, { force: true });
    const left = waiting.list();
    await recordWaiting(runId, left);
    if (left.length === 0) await succeedIfFinished(runId);
    return { batchId: requests > 0 ? batchId : null, requests, finished, model: requests > 0 ? fileModel : null, waiting: left, done: left.length === 0 };
  });
}

export interface ImportReport {
  /** Answers applied (lines of the file). */
  applied: number;
  /** Of them, errors (an error line, or a status other than 2xx): asked again by the next export, up to the retries. */
  failed: number;
  /** Samples finished with these answers. */
  finished: number;
  /** The requests the run's samples wait for now, by stage, model and file: export (or import) them next. */
  waiting: WaitingRequests[];
  done: boolean;
}

/** Answers applied to the store at a time while an output file is imported. */
const PAGE = 1000;

/**
 * Reads a Batch API output file (vLLM's run-batch writes the same lines) into the run's requests, line by line (an
 * output file may be GBs), twice: every line is checked first, and one that is not a result for a request of the
 * run waiting for an answer refuses the whole file (BatchFileError naming each line and field), so nothing is
 * half-applied; then the answers are applied a page at a time. Requests the file has no line for keep waiting (the
 * next export asks them again).
 */
export async function importBatchFile(runId: number, file: string, options: WalkOptions): Promise<ImportReport> {
  await offlineRun(runId);
  return locked(runId, async () => {
    const waiting = await waitingRequests(runId);
    const { lines, faults, problems } = await checkImportFile(fileLines(file), runId, waiting);
    if (faults > 0) {
      const more = faults > problems.length ? `\n  … and ${faults - problems.length} more` : "";
      throw new BatchFileError(`the file cannot be imported (${faults} ${faults === 1 ? "line" : "lines"} at fault, nothing was applied):\n  ${problems.join("\n  ")}${more}`);
    }
    if (lines === 0) throw new BatchFileError("the file has no result lines: nothing was applied");
    // Per batch (exported file) the answers came for: how many, and how many of them errors.
    const counts = new Map<string, { completed: number; failed: number }>();
    let page = new Map<string, BatchAnswer>();
    const apply = async () => {
      await recordAnswers(runId, null, page);
      page = new Map();
    };
    for await (const raw of fileLines(file)) {
      const read = readImportLine(raw);
      if (!("answer" in read)) continue; // a blank line (the check refused every other kind)
      page.set(read.customId, read.answer);
      const { batchId } = waiting.get(read.customId)!;
      const batch = counts.get(batchId) ?? { completed: 0, failed: 0 };
      batch[isError(read.answer) ? "failed" : "completed"]++;
      counts.set(batchId, batch);
      if (page.size >= PAGE) await apply();
    }
    if (page.size > 0) await apply();
    for (const [batchId, { completed, failed }] of counts) await recordBatchState(runId, { endpoint: JUDGE_ENDPOINT, id: batchId }, "imported", { total: 0, completed, failed });
    const left = waitingCounter(await waitingRequests(runId));
    const { finished } = await walk(runId, options, async (chunk) => void chunk.forEach((request) => left.add(request)));
    const now = left.list();
    await recordWaiting(runId, now);
    if (now.length === 0) await succeedIfFinished(runId);
    const failed = [...counts.values()].reduce((n, c) => n + c.failed, 0);
    return { applied: lines, failed, finished, waiting: now, done: now.length === 0 };
  });
}

/** An answer that is an error: an error line, or a status other than 2xx. */
const isError = (answer: BatchAnswer) => !("status" in answer) || answer.status < 200 || answer.status >= 300;

/** A file's lines, read as they come (never the file whole). */
function fileLines(file: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(file), crlfDelay: Infinity });
}

/**
 * Counts the requests a walk hands by stage, model and file, each once (a request two chunks ask is handed twice):
 * `exported` names the file each request exported already is in (waitingRequests).
 */
function waitingCounter(exported: ReadonlyMap<string, WaitingRequest>) {
  const counted = new Map<string, WaitingRequests>();
  const seen = new Set<string>();
  return {
    /** Counts `request`, in `file` (by default the file it was exported in, if any); false when it was counted already. */
    add(request: BatchRequest, file = exported.get(request.customId)?.batchId ?? null): boolean {
      if (seen.has(request.customId)) return false;
      seen.add(request.customId);
      const stage = requestStage(request.promptVersion);
      const key = JSON.stringify([stage, request.body.model, file]);
      const entry = counted.get(key) ?? { stage, model: request.body.model, file, requests: 0 };
      entry.requests++;
      counted.set(key, entry);
      return true;
    },
    /** By stage (in the registry's order, other prompts last), the files out before the requests not exported, then by model. */
    list(): WaitingRequests[] {
      const stageRank = (w: WaitingRequests) => (w.stage === null ? STAGE_IDS.length : STAGE_IDS.indexOf(w.stage));
      return [...counted.values()].sort(
        (a, b) => stageRank(a) - stageRank(b) || Number(a.file === null) - Number(b.file === null) || (a.file ?? "").localeCompare(b.file ?? "") || a.model.localeCompare(b.model),
      );
    },
  };
}

/** Lines at fault an import's refusal names (the others are counted). */
const SHOWN_FAULTS = 20;

/**
 * Every line read strictly, by its number: how many are results, how many are at fault, and what is wrong with the
 * first SHOWN_FAULTS of those (an answer to a request that waits for none names the request's stage and model; one of
 * an export older than the request's last answer names the file whose output it waits for).
 */
async function checkImportFile(
  lines: AsyncIterable<string>,
  runId: number,
  waiting: ReadonlyMap<string, WaitingRequest>,
): Promise<{ lines: number; faults: number; problems: string[] }> {
  const lineOf = new Map<string, number>();
  const shown: { line: number; problem?: string; notWaiting?: string }[] = [];
  let faults = 0;
  let line = 0;
  const fault = (found: { problem: string } | { notWaiting: string }) => {
    if (faults++ < SHOWN_FAULTS) shown.push({ line, ...found });
  };
  for await (const raw of lines) {
    line++;
    if (raw.trim() === "") continue;
    const read = readImportLine(raw);
    if ("problem" in read) fault(read);
    else if (lineOf.has(read.customId)) fault({ problem: `custom_id ${JSON.stringify(read.customId)} is also on line ${lineOf.get(read.customId)}` });
    else if (!waiting.has(read.customId)) fault({ notWaiting: read.customId });
    else if (isOlder(read.exportPass, waiting.get(read.customId)!)) fault({ problem: olderProblem(runId, read.customId, read.exportPass!, waiting.get(read.customId)!) });
    else lineOf.set(read.customId, line);
  }
  const stored = await storedRequests(runId, shown.flatMap((s) => s.notWaiting ?? []));
  const problems = shown.map((s) => `line ${s.line}: ${s.notWaiting ? notWaitingProblem(runId, s.notWaiting, stored.get(s.notWaiting)) : s.problem}`);
  return { lines: lineOf.size, faults, problems };
}

/** Why an answer to `customId` cannot be imported: the run never asked it, or it waits for no answer (which, and why). */
function notWaitingProblem(runId: number, customId: string, stored: KnownRequest | undefined): string {
  const id = `custom_id ${JSON.stringify(customId)}`;
  if (!stored) return `${id} is not a request of run ${runId} waiting for an answer (from another run?)`;
  const request = `the request of model ${stored.body.model} at ${stageLabel(requestStage(promptVersionOf(stored.body)))}`;
  if (stored.state === "answered") return `${id}: ${request} was answered already${stored.batchId ? ` (file ${stored.batchId})` : ""}: was this file imported before?`;
  return `${id}: ${request} was not exported: export it first`;
}

/** Whether an answer from the export at `exportPass` (null: a file exported before exports were named) is older than the request's last answer. */
const isOlder = (exportPass: number | null, request: WaitingRequest) => exportPass !== null && request.awaitedSincePass !== null && exportPass < request.awaitedSincePass;

/** Why an output line of an export older than its request's last answer cannot be imported. */
function olderProblem(runId: number, customId: string, exportPass: number, request: WaitingRequest): string {
  return (
    `custom_id ${JSON.stringify(exportedId(customId, exportPass))} answers file ${exportFile(runId, exportPass)}, older than the request's last answer: ` +
    `the request waits for the output of file ${request.batchId} (was this output imported before?)`
  );
}

/** The name of the file exported at `pass` (its batch id in run_batches). */
const exportFile = (runId: number, pass: number) => `run-${runId}-pass-${pass}`;

/** The custom_id a request is exported under at `pass`: its id and the export's. */
const exportedId = (customId: string, pass: number) => `${customId}-p${pass}`;

/** The request and export an output line's custom_id names (a file exported before exports were named: no export). */
function readExportedId(id: string): { customId: string; exportPass: number | null } {
  const named = /^(req-[0-9a-f]+)-p(\d+)$/.exec(id);
  return named ? { customId: named[1], exportPass: Number(named[2]) } : { customId: id, exportPass: null };
}

/** A result line, its custom_id read as export wrote it, and for an answer a chat completion's body (a file from elsewhere may hold anything). */
function readImportLine(raw: string): { customId: string; exportPass: number | null; answer: BatchAnswer } | { problem: string } {
  const read = readResultLine(raw);
  if ("problem" in read) return read;
  if ("status" in read.answer && read.answer.status >= 200 && read.answer.status < 300) {
    const body = read.answer.body as Record<string, unknown>;
    if (!Array.isArray(body.choices)) return { problem: "response.body.choices: must be a list (the body of a chat completion)" };
  }
  return { ...read, ...readExportedId(read.customId) };
}

/** Export and import act on a running run in mode offline (BatchFileError otherwise). */
async function offlineRun(runId: number): Promise<void> {
  const { rows } = await (await getPool()).query<{ mode: string; status: string }>(`SELECT mode, status FROM pipeline_runs WHERE id = $1`, [runId]);
  const run = rows[0];
  if (!run) throw new BatchFileError(`run ${runId} does not exist`);
  if (run.mode !== "offline") throw new BatchFileError(`run ${runId} is a ${run.mode} run: batch files are for runs started with --mode offline`);
  if (run.status !== "running") throw new BatchFileError(`run ${runId} is ${run.status}: nothing to export or import`);
}

async function locked<T>(runId: number, work: () => Promise<T>): Promise<T> {
  const result = await withPassLock(runId, work);
  if (result === null) throw new BatchFileError(`another export or import of run ${runId} is under way: try again when it is done`);
  return result;
}
