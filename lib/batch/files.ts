// Batch files by hand (run mode "offline"): `studio batch export` writes the requests a run's samples wait for, one
// stage at a time, as a Batch API input file; the user runs it where the model is (`vllm run-batch -i f.jsonl -o
// out.jsonl`, or OpenAI's Batch API), and `studio batch import` reads the output back. The same walk as a pass
// (pass.ts): an import stores every sample its answers finish, and the next export asks what they lead to.
import "server-only";
import { getPool } from "@/lib/db/client";
import { InvalidRequestError } from "@/lib/errors";
import { succeedIfFinished } from "@/lib/jobs/pipeline-chunk";
import { stageName, type StageId } from "@/lib/pipeline/stage-registry";
import { walk, withPassLock, type WalkOptions } from "./pass";
import { readResultLine, requestStage, toJsonl, type BatchAnswer, type BatchRequest } from "./requests";
import { addBatch, markSent, nextPass, recordAnswers, recordBatchState, waitingRequests } from "./store";

/** A batch file that cannot be exported or imported: says why (the line and field for an import), nothing applied. */
export class BatchFileError extends InvalidRequestError {}

export interface ExportReport {
  /** The file's name for the run's batches (run_batches.batch_id), null when nothing was exported. */
  batchId: string | null;
  jsonl: string;
  requests: number;
  /** Samples the walk finished (answers imported before, now applied). */
  finished: number;
  /** Requests waiting at other stages, by stage id ("other": a prompt no stage names). */
  otherStages: Record<string, number>;
  /** The run has no request left: it succeeded. */
  done: boolean;
}

export async function exportBatchFile(runId: number, stage: StageId, options: WalkOptions): Promise<ExportReport> {
  await offlineRun(runId);
  return locked(runId, async () => {
    const { finished, requests } = await walkCollecting(runId, options);
    if (requests.length === 0) {
      await succeedIfFinished(runId);
      return { batchId: null, jsonl: "", requests: 0, finished, otherStages: {}, done: true };
    }
    const chosen = requests.filter((r) => requestStage(r.promptVersion) === stage);
    const otherStages: Record<string, number> = {};
    for (const r of requests) {
      const at = requestStage(r.promptVersion);
      if (at !== stage) otherStages[at ?? "other"] = (otherStages[at ?? "other"] ?? 0) + 1;
    }
    if (chosen.length === 0) return { batchId: null, jsonl: "", requests: 0, finished, otherStages, done: false };
    const batchId = `run-${runId}-pass-${await nextPass(runId)}`;
    await markSent(runId, chosen, batchId);
    await addBatch(runId, batchId, "exported", chosen.length);
    return { batchId, jsonl: toJsonl(chosen), requests: chosen.length, finished, otherStages, done: false };
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

/**
 * Reads a Batch API output file (vLLM's run-batch writes the same lines) into the run's requests: every line is
 * checked first, and one that is not a result for a request of the run waiting for an answer refuses the whole file
 * (BatchFileError naming each line and field), so nothing is half-applied. Requests the file has no line for keep
 * waiting (the next export asks them again).
 */
export async function importBatchFile(runId: number, text: string, options: WalkOptions): Promise<ImportReport> {
  await offlineRun(runId);
  return locked(runId, async () => {
    const waiting = await waitingRequests(runId);
    const { answers, problems } = readImportFile(text, runId, waiting);
    if (problems.length > 0) {
      const shown = problems.slice(0, 20).join("\n  ");
      const more = problems.length > 20 ? `\n  … and ${problems.length - 20} more` : "";
      throw new BatchFileError(`the file cannot be imported (${problems.length} ${problems.length === 1 ? "line" : "lines"} at fault, nothing was applied):\n  ${shown}${more}`);
    }
    if (answers.size === 0) throw new BatchFileError("the file has no result lines: nothing was applied");
    // Requests the file has no line for keep waiting.
    await recordAnswers(runId, null, answers);
    const failed = [...answers.values()].filter((a) => !("status" in a) || a.status < 200 || a.status >= 300).length;
    for (const batchId of new Set([...answers.keys()].map((id) => waiting.get(id)!))) {
      const lines = [...answers].filter(([id]) => waiting.get(id) === batchId).map(([, a]) => a);
      const bad = lines.filter((a) => !("status" in a) || a.status < 200 || a.status >= 300).length;
      await recordBatchState(runId, batchId, "imported", { total: 0, completed: lines.length - bad, failed: bad });
    }
    const { finished, requests } = await walkCollecting(runId, options);
    if (requests.length === 0) await succeedIfFinished(runId);
    return { applied: answers.size, failed, finished, waiting: requests.length, done: requests.length === 0 };
  });
}

/**
 * The walk (pass.ts), with the requests its samples wait for kept in memory: a file by hand holds one stage's
 * requests, and the export hands them on whole.
 */
async function walkCollecting(runId: number, options: WalkOptions): Promise<{ finished: number; requests: BatchRequest[] }> {
  const requests = new Map<string, BatchRequest>();
  const { finished } = await walk(runId, options, async (chunk) => {
    for (const request of chunk) requests.set(request.customId, request);
  });
  return { finished, requests: [...requests.values()] };
}

/** Every line read strictly, by its number: the answers by custom_id, or what is wrong with each line. */
export function readImportFile(text: string, runId: number, waiting: ReadonlyMap<string, string>): { answers: Map<string, BatchAnswer>; problems: string[] } {
  const answers = new Map<string, BatchAnswer>();
  const lineOf = new Map<string, number>();
  const problems: string[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    const read = readImportLine(raw);
    if ("problem" in read) return void problems.push(`line ${line}: ${read.problem}`);
    const { customId, answer } = read;
    if (lineOf.has(customId)) return void problems.push(`line ${line}: custom_id ${JSON.stringify(customId)} is also on line ${lineOf.get(customId)}`);
    if (!waiting.has(customId)) {
      return void problems.push(`line ${line}: custom_id ${JSON.stringify(customId)} is not a request of run ${runId} waiting for an answer (from another run, or imported already?)`);
    }
    lineOf.set(customId, line);
    answers.set(customId, answer);
  });
  return { answers, problems };
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
