import { z } from "zod";
import { recordAudit } from "@/lib/audit/log";
import { humanAuthor } from "@/lib/auth/current-user";
import { jsonResponse, route } from "@/lib/http/route";
import { createRun, HardPoolSchema, JudgeModeSchema, JudgePanelsSchema, RunModeSchema, SkipStagesSchema } from "@/lib/runs/create-run";
import { listRuns } from "@/lib/runs/list-runs";
import { getRunDefaults } from "@/lib/settings/store";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({
  dataset: z.string({ error: "the dataset is missing" }).trim().min(1, "choose a dataset").max(100, "the dataset name is longer than 100 characters"),
  stages: z.enum(["rules", "all"], { error: "stages must be rules or all" }).default("rules"),
  // Left out: the defaults saved on /settings.
  concurrency: z.coerce
    .number({ error: "concurrency must be a number" })
    .int("concurrency must be a whole number")
    .min(1, "concurrency must be at least 1")
    .max(1024, "concurrency must be at most 1024")
    .optional(),
  maxRegenerations: z.coerce
    .number({ error: "max regenerations must be a number" })
    .int("max regenerations must be a whole number")
    .min(0, "max regenerations must be at least 0")
    .max(20, "max regenerations must be at most 20")
    .optional(),
  /** Judge and teacher requests per minute; null = unlimited. */
  requestsPerMinute: z.coerce
    .number({ error: "the rate limit must be a number" })
    .int("the rate limit must be a whole number")
    .min(1, "the rate limit must be at least 1 request per minute")
    .max(1_000_000, "the rate limit must be at most 1,000,000 requests per minute")
    .nullable()
    .optional(),
  /** Optional stages to leave out (by stage id); every optional stage runs by default. */
  skipStages: SkipStagesSchema,
  /** The judge panel of each stage given one, by stage id ({"4": "trio"}); the others keep the single judge. */
  judgePanels: JudgePanelsSchema,
  /** The v3 flow: stage 4/5 fails go to the hard-data pool ({candidates, temperature}); null or absent: v1. */
  hardPool: HardPoolSchema.nullable().optional(),
  /** "combined": one judge call for stages 2–4; "per-stage" (the default): one per stage. */
  judgeMode: JudgeModeSchema,
  /** How the run asks its LLM: live (default), batch (the Batch API) or offline (batch files by hand). */
  mode: RunModeSchema(),
});

/** GET /api/runs — every run, newest first. */
export const GET = route({ permission: "runs.read" }, async () => ({ runs: await listRuns() }));

/**
 * POST /api/runs {dataset, stages, concurrency?, maxRegenerations?, requestsPerMinute?, skipStages?, judgePanels?, hardPool?, judgeMode?, mode?} — 201 {runId, total}; input
 * errors 400 {error}; an unknown dataset 404.
 */
export const POST = route({ permission: "runs.start", body }, async ({ user, body: input }) => {
  const defaults = await getRunDefaults();
  const run = await createRun({
    datasetName: input.dataset,
    stages: input.stages,
    concurrency: input.concurrency ?? defaults.concurrency,
    maxRegenerations: input.maxRegenerations ?? defaults.maxRegenerations,
    requestsPerMinute: input.requestsPerMinute === undefined ? defaults.requestsPerMinute : input.requestsPerMinute,
    skipStages: input.skipStages,
    judgePanels: input.judgePanels,
    hardPool: input.hardPool ?? null,
    judgeMode: input.judgeMode,
    mode: input.mode,
  });
  await recordAudit({
    actor: humanAuthor(user),
    action: "run.start",
    target: { type: "run", id: run.runId },
    summary: `Started run #${run.runId} (${input.stages}${input.hardPool ? ", v3 hard-data pool" : ""}${input.judgeMode === "combined" ? ", one judge call for stages 2–4" : ""}${input.mode === "live" ? "" : `, ${input.mode} mode`}) on ${input.dataset}: ${run.total} samples`,
    after: { dataset: input.dataset, stages: input.stages, concurrency: input.concurrency, maxRegenerations: input.maxRegenerations, skipStages: input.skipStages, judgePanels: input.judgePanels, hardPool: input.hardPool ?? null, judgeMode: input.judgeMode, mode: input.mode },
  });
  return jsonResponse(run, { status: 201 });
});
