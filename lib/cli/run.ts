import { cliActor, recordAudit } from "@/lib/audit/log";
import { parseArgs } from "node:util";
import { z } from "zod";
import { startWorker } from "@/lib/jobs/worker";
import { getRunProgress, type RunProgress } from "@/lib/runs/queries";
import { RUN_FLOWS, type RunFlow } from "@/lib/pipeline/hard-pool";
import { DEFAULT_JUDGE_MODE, JUDGE_MODE_IDS, JUDGE_MODE_MESSAGE } from "@/lib/pipeline/judge-modes";
import { OPTIONAL_STAGE_IDS, PANEL_STAGE_IDS } from "@/lib/pipeline/stage-registry";
import { createRun, RunConfigError, RunModeSchema } from "@/lib/runs/create-run";
import { RUN_MODE_IDS } from "@/lib/runs/modes";
import { UnknownDatasetError } from "@/lib/samples/export";
import { SAMPLE_STATUSES } from "@/lib/samples/types";
import { CliError, printSummary, progressBar } from "./output";

const skipOption = OPTIONAL_STAGE_IDS.length ? ` [--skip-stage ${OPTIONAL_STAGE_IDS.join(",")}]` : "";

const panelOption = ` [--panel <stage>=<panel name>, stage ${PANEL_STAGE_IDS.join("|")}, repeatable]`;

const judgeOption = ` [--judge ${JUDGE_MODE_IDS.join("|")}]`;

const flowOption = ` [--flow ${Object.keys(RUN_FLOWS).join("|")} [--candidates K] [--temperature T]]`;

const modeOption = ` [--mode ${RUN_MODE_IDS.join("|")}]`;

export const usage = `run --dataset <name> [--stages rules|all] [--concurrency N] [--rpm N] [--max-regenerations N] [--status <list>]${skipOption}${panelOption}${judgeOption}${flowOption}${modeOption} [--detach]`;

const Args = z.object({
  dataset: z.string().trim().min(1, "--dataset <name> is required"),
  stages: z.enum(["rules", "all"], "--stages must be rules or all"),
  concurrency: z.coerce.number().int().min(1).max(1024),
  rpm: z.coerce.number().int().min(1).optional(),
  "max-regenerations": z.coerce.number().int().min(0).max(20),
  status: z.string().transform((s) => s.split(",").map((x) => x.trim())).pipe(z.array(z.enum(SAMPLE_STATUSES))),
  "skip-stage": z
    .string()
    .default("")
    // Checked by createRun against the registry's optional stages.
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean).map(Number)),
  // "4=trio": the judge panel (saved in Settings) that judges stage 4; checked by createRun.
  panel: z
    .array(z.string().regex(/^\d+=.+$/, "--panel takes <stage>=<panel name>, e.g. --panel 4=trio"))
    .default([])
    .transform((pairs) => Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]))),
  judge: z.enum(JUDGE_MODE_IDS, `--judge ${JUDGE_MODE_MESSAGE}`),
  flow: z.enum(Object.keys(RUN_FLOWS) as [RunFlow, ...RunFlow[]], `--flow must be one of ${Object.keys(RUN_FLOWS).join(", ")}`),
  // The pool's settings, checked by createRun (HardPoolSchema).
  candidates: z.coerce.number("--candidates must be a number").optional(),
  temperature: z.coerce.number("--temperature must be a number").optional(),
  mode: RunModeSchema(),
  detach: z.boolean(),
});

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: "string" },
      stages: { type: "string", default: "all" },
      concurrency: { type: "string", default: "16" },
      rpm: { type: "string" },
      "max-regenerations": { type: "string", default: "3" },
      status: { type: "string", default: "pending" },
      "skip-stage": { type: "string" },
      panel: { type: "string", multiple: true },
      judge: { type: "string", default: DEFAULT_JUDGE_MODE },
      flow: { type: "string", default: "v1" },
      candidates: { type: "string" },
      temperature: { type: "string" },
      mode: { type: "string" },
      detach: { type: "boolean", default: false },
    },
  });
  const args = Args.parse(values);
  if (args.flow !== "v3" && (args.candidates !== undefined || args.temperature !== undefined)) {
    throw new CliError("--candidates and --temperature are the hard-data pool's: add --flow v3");
  }
  const hardPool = args.flow === "v3" ? { candidates: args.candidates, temperature: args.temperature } : null;
  const started = performance.now();
  let created;
  try {
    created = await createRun({
      datasetName: args.dataset,
      stages: args.stages,
      statuses: args.status,
      concurrency: args.concurrency,
      requestsPerMinute: args.rpm ?? null,
      maxRegenerations: args["max-regenerations"],
      skipStages: args["skip-stage"],
      judgePanels: args.panel,
      hardPool,
      judgeMode: args.judge,
      mode: args.mode,
    });
  } catch (error) {
    if (error instanceof UnknownDatasetError || error instanceof RunConfigError) throw new CliError(error.message);
    throw error;
  }
  await recordAudit({
    actor: cliActor(),
    action: "run.start",
    target: { type: "run", id: created.runId },
    summary: `Started run #${created.runId} (${args.stages}${hardPool ? ", v3 hard-data pool" : ""}${args.judge === "combined" ? ", one judge call for stages 2–4" : ""}${args.mode === "live" ? "" : `, ${args.mode} mode`}) on ${args.dataset}: ${created.total} samples`,
    after: {
      dataset: args.dataset,
      stages: args.stages,
      concurrency: args.concurrency,
      maxRegenerations: args["max-regenerations"],
      skipStages: args["skip-stage"],
      judgePanels: args.panel,
      hardPool,
      judgeMode: args.judge,
      mode: args.mode,
    },
  });
  if (args.detach || args.mode === "offline") {
    printSummary({ command: "run", runId: created.runId, total: created.total, detached: true });
    return 0;
  }
  // Embedded or not, `run` works in this process too; other `npm run worker` processes may share the work.
  const worker = await startWorker();
  const bar = progressBar(`run ${created.runId}`, created.total, "samples");
  let progress: RunProgress;
  for (;;) {
    progress = (await getRunProgress(created.runId))!;
    bar.update(progress.finished);
    if (progress.status !== "running") break;
    await new Promise((r) => setTimeout(r, 500));
  }
  bar.stop();
  await worker.stop();
  printSummary({ command: "run", ...summarize(progress), seconds: Math.round(performance.now() - started) / 1000 });
  if (progress.status !== "succeeded") throw new CliError(`run ${progress.id} ended ${progress.status}`);
  return 0;
}

export function summarize(p: RunProgress) {
  return {
    runId: p.id,
    dataset: p.dataset,
    stages: p.stages,
    skippedStages: p.skippedStages,
    judgeMode: p.judgeMode,
    status: p.status,
    total: p.total,
    finished: p.finished,
    results: p.results,
    saved: (p.results.passed ?? 0) + (p.results.text ?? 0),
    discarded: p.results.discarded ?? 0,
    flagged: p.results.flagged ?? 0,
    regenerated: p.regenerated,
    ...(p.pool ? { pool: p.pool } : {}),
    verdicts: p.stages_,
    tokens: p.tokens,
  };
}
