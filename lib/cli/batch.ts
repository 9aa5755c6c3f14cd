// `studio batch export|import`: a run in mode offline, its requests as Batch API files run elsewhere (lib/batch/files.ts).
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { BatchFileError, exportBatchFile, importBatchFile } from "@/lib/batch/files";
import { walkOptions } from "@/lib/batch/job";
import type { WalkOptions } from "@/lib/batch/pass";
import { stageLabel, waitingLines, type WaitingRequests } from "@/lib/batch/waiting";
import { getPool } from "@/lib/db/client";
import { LlmConfigError } from "@/lib/llm/config";
import type { RunRow } from "@/lib/jobs/pipeline-chunk";
import { STAGE_IDS, STAGE_ID_MESSAGE, isStageId, type StageId } from "@/lib/pipeline/stage-registry";
import { getModelConfig } from "@/lib/settings/store";
import { CliError, printSummary } from "./output";

export const usage = `batch export --run N --stage ${STAGE_IDS.join("|")} --out <file> [--model M] | batch import --run N <file>   (a run started with --mode offline; run the file with vllm run-batch or OpenAI's Batch API; one model per file)`;

const RunId = z.coerce.number({ error: "--run N is required (the run's id)" }).int("--run must be a whole number").positive("--run must be a run's id");

const ExportArgs = z.object({
  run: RunId,
  stage: z.coerce.number({ error: "--stage is required" }).refine(isStageId, `--stage ${STAGE_ID_MESSAGE}`),
  out: z.string({ error: "--out <file> is required" }).min(1, "--out <file> is required"),
  model: z.string().min(1, "--model needs a model's name").optional(),
});

const ImportArgs = z.object({ run: RunId, file: z.string({ error: "which file? batch import --run N <file>" }).min(1) });

export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { run: { type: "string" }, stage: { type: "string" }, out: { type: "string" }, model: { type: "string" } },
  });
  try {
    if (action === "export") {
      const args = ExportArgs.parse(values);
      const stage = args.stage as StageId;
      const report = await exportBatchFile(args.run, stage, args.out, await optionsFor(args.run), args.model);
      printSummary({ command: "batch export", runId: args.run, stage, ...report, out: report.requests > 0 ? args.out : null });
      if (report.done) process.stderr.write(`run ${args.run} has no request left: it is finished\n`);
      else if (report.requests === 0) {
        throw new CliError(`no request of ${stageLabel(stage)}${args.model ? ` for model ${args.model}` : ""} waits, nothing was written; ${waitingMessage(args.run, report.waiting)}`);
      } else process.stderr.write(`${report.requests} requests of ${stageLabel(stage)} for model ${report.model} written to ${args.out}\n${waitingMessage(args.run, report.waiting)}\n`);
      return 0;
    }
    if (action === "import") {
      const args = ImportArgs.parse({ run: values.run, file: positionals[0] });
      await access(args.file, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
        throw new CliError(`cannot read ${args.file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
      });
      const report = await importBatchFile(args.run, args.file, await optionsFor(args.run));
      printSummary({ command: "batch import", runId: args.run, file: args.file, ...report });
      const applied = `${report.applied} answers applied (${report.failed} of them errors, asked again by the next export), ${report.finished} samples finished`;
      process.stderr.write(`${applied}; ${report.done ? `run ${args.run} has no request left: it is finished` : waitingMessage(args.run, report.waiting)}\n`);
      return 0;
    }
  } catch (error) {
    if (error instanceof BatchFileError) throw new CliError(`${action === "import" ? `${positionals[0] ?? "the file"}: ` : ""}${error.message}`);
    throw error;
  }
  throw new CliError(`usage: ${usage}`);
}

/** "waiting:" and a line for each model at each stage, in a file out or to export, and what a stage waits for. */
function waitingMessage(runId: number, waiting: readonly WaitingRequests[]): string {
  return `waiting:\n  ${waitingLines(runId, waiting).join("\n  ")}`;
}

/** The run's walk options, from the run and the models in force (named in the file's requests; no endpoint needed). */
async function optionsFor(runId: number): Promise<WalkOptions> {
  const run = (await (await getPool()).query<RunRow>("SELECT * FROM pipeline_runs WHERE id = $1", [runId])).rows[0];
  if (!run) throw new CliError(`run ${runId} does not exist`);
  const models = await getModelConfig().catch((error: unknown) => {
    if (error instanceof LlmConfigError) throw new CliError(`the batch file's requests name their models: ${error.message} (no base URL needed)`);
    throw error;
  });
  return walkOptions(run, models);
}
