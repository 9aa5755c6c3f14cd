// Batch files by hand (run mode "offline"): `studio batch export` writes the requests a run's samples wait for, one
// stage at a time, as a Batch API input file; the user runs it where the model is (`vllm run-batch -i f.jsonl -o
// out.jsonl`, or OpenAI's Batch API), and `studio batch import` reads the output back. The same walk as a pass
// (pass.ts): an import stores every sample its answers finish, and the next export asks what they lead to.
import "server-only";
import { createReadStream } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import { getPool } from "@/lib/db/client";
import { InvalidRequestError } from "@/lib/errors";
import { succeedIfFinished } from "@/lib/jobs/pipeline-chunk";
import { stageName, type StageId } from "@/lib/pipeline/stage-registry";
import { walk, withPassLock, type WalkOptions } from "./pass";
import { readResultLine, requestStage, toJsonl, type BatchAnswer, type BatchRequest } from "./requests";
import { addBatch, JUDGE_ENDPOINT, markSent, nextPass, recordAnswers, recordBatchState, waitingRequests } from "./store";

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
  /** Requests of the stage waiting for other models, by model: each model's go in a file of their own. */
  otherModels: Record<string, number>;
  /** Requests waiting at other stages, by stage id ("other": a prompt no stage names). */
  otherStages: Record<string, number>;
  /** The run has no request left: it succeeded. */
  done: boolean;
}

/**
 * Writes the requests `stage` waits for to the file `out`, as the walk (pass.ts) hands them, a chunk at a time (the
 * file is never whole in memory: a 60k run's first step is ~0.5 GB of bodies). Written under `<out>.partial` and
 * renamed when complete, so a failed export never leaves half a file; with no request for the stage, no file.
 * One model per file, as OpenAI's Batch API requires and as `vllm run-batch` serves: `model`, else the first one the
 * walk names; the stage's requests for other models are counted in the report and wait for their own export.
 */
export async function exportBatchFile(runId: number, stage: StageId, out: string, options: WalkOptions, model?: string): Promise<ExportReport> {
  await offlineRun(runId);
  return locked(runId, async () => {
    const batchId = `run-${runId}-pass-${await nextPass(runId)}`;
    const partial = `${out}.partial`;
    const file = await open(partial, "w");
    // The custom_ids handed so far (a request two chunks ask is handed twice, and goes in the file once).
    const seen = new Set<string>();
    const otherStages: Record<string, number> = {};
    const otherModels: Record<string, number> = {};
    let fileModel = model ?? null;
    let requests = 0;
    let finished: number;
    try {
      ({ finished } = await walk(runId, options, async (chunk) => {
        const chosen: BatchRequest[] = [];
        for (const request of chunk) {
          if (seen.has(request.customId)) continue;
          seen.add(request.customId);
          const at = requestStage(request.promptVersion);
          if (at !== stage) otherStages[at ?? "other"] = (otherStages[at ?? "other"] ?? 0) + 1;
          else if ((fileModel ??= request.body.model) === request.body.model) chosen.push(request);
          else otherModels[request.body.model] = (otherModels[request.body.model] ?? 0) + 1;
        }
        if (chosen.length === 0) return;
        await file.write(toJsonl(chosen));
        await markSent(runId, chosen, batchId);
        requests += chosen.length;
      }));
    } catch (error) {
      await file.close();
      await rm(partial, { force: true });
      throw error;
    }
    await file.close();
    if (requests === 0) {
      await rm(partial, { force: true });
      if (seen.size === 0) await succeedIfFinished(runId);
      return { batchId: null, requests: 0, finished, model: null, otherModels, otherStages: seen.size === 0 ? {} : otherStages, done: seen.size === 0 };
    }
    await rename(partial, out);
    await addBatch(runId, batchId, "exported", requests);
    return { batchId, requests, finished, model: fileModel, otherModels, otherStages, done: false };
  });
}

export interface ImportReport {
  /** Answers applied (lines of the file). */
  applied: number;
  /** Of them, errors (an error line, or a status other than 2xx): asked again by the next export, up to the retries. */
  failed: number;
  /** Samples finished with these answers. */
  finished: number;
  /** Requests the run's samples wait for now (export them next). */
  waiting: number;
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
    const { lines, problems } = await checkImportFile(fileLines(file), runId, waiting);
    if (problems.length > 0) {
      const shown = problems.slice(0, 20).join("\n  ");
      const more = problems.length > 20 ? `\n  … and ${problems.length - 20} more` : "";
      throw new BatchFileError(`the file cannot be imported (${problems.length} ${problems.length === 1 ? "line" : "lines"} at fault, nothing was applied):\n  ${shown}${more}`);
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
      const read = readResultLine(raw);
      if (!("answer" in read)) continue; // a blank line (the check refused every other kind)
      page.set(read.customId, read.answer);
      const batch = counts.get(waiting.get(read.customId)!) ?? { completed: 0, failed: 0 };
      batch[isError(read.answer) ? "failed" : "completed"]++;
      counts.set(waiting.get(read.customId)!, batch);
      if (page.size >= PAGE) await apply();
    }
    if (page.size > 0) await apply();
    for (const [batchId, { completed, failed }] of counts) await recordBatchState(runId, { endpoint: JUDGE_ENDPOINT, id: batchId }, "imported", { total: 0, completed, failed });
    const { finished, requests } = await walkCounting(runId, options);
    if (requests === 0) await succeedIfFinished(runId);
    const failed = [...counts.values()].reduce((n, c) => n + c.failed, 0);
    return { applied: lines, failed, finished, waiting: requests, done: requests === 0 };
  });
}

/** An answer that is an error: an error line, or a status other than 2xx. */
const isError = (answer: BatchAnswer) => !("status" in answer) || answer.status < 200 || answer.status >= 300;

/** A file's lines, read as they come (never the file whole). */
function fileLines(file: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(file), crlfDelay: Infinity });
}

/** The walk (pass.ts), counting the requests its samples wait for (each once). */
async function walkCounting(runId: number, options: WalkOptions): Promise<{ finished: number; requests: number }> {
  const requests = new Set<string>();
  const { finished } = await walk(runId, options, async (chunk) => {
    for (const request of chunk) requests.add(request.customId);
  });
  return { finished, requests: requests.size };
}

/** Every line read strictly, by its number: how many are results, and what is wrong with each line that is not. */
export async function checkImportFile(lines: AsyncIterable<string>, runId: number, waiting: ReadonlyMap<string, string>): Promise<{ lines: number; problems: string[] }> {
  const lineOf = new Map<string, number>();
  const problems: string[] = [];
  let line = 0;
  for await (const raw of lines) {
    line++;
    if (raw.trim() === "") continue;
    const read = readImportLine(raw);
    if ("problem" in read) {
      problems.push(`line ${line}: ${read.problem}`);
      continue;
    }
    const { customId } = read;
    if (lineOf.has(customId)) problems.push(`line ${line}: custom_id ${JSON.stringify(customId)} is also on line ${lineOf.get(customId)}`);
    else if (!waiting.has(customId)) {
      problems.push(`line ${line}: custom_id ${JSON.stringify(customId)} is not a request of run ${runId} waiting for an answer (from another run, or imported already?)`);
    } else lineOf.set(customId, line);
  }
  return { lines: lineOf.size, problems };
}

/** A result line, and for an answer a chat completion's body (a file from elsewhere may hold anything). */
function readImportLine(raw: string): { customId: string; answer: BatchAnswer } | { problem: string } {
  const read = readResultLine(raw);
  if ("answer" in read && "status" in read.answer && read.answer.status >= 200 && read.answer.status < 300) {
    const body = read.answer.body as Record<string, unknown>;
    if (!Array.isArray(body.choices)) return { problem: "response.body.choices: must be a list (the body of a chat completion)" };
  }
  return read;
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

/** "stage 2 (Query & Tool Identification)". */
export function stageLabel(stage: StageId): string {
  return `stage ${stage} (${stageName(stage)})`;
}
