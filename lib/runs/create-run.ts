import { z } from "zod";
import { getPool } from "@/lib/db/client";
import { PIPELINE_QUEUE, getBoss, jobExpireSeconds, type ChunkJob } from "@/lib/jobs/boss";
import { addBulkProgress } from "@/lib/review/bulk-jobs";
import { memberEndpoints, PanelName, withoutKeys, withSavedKeys, type SavedPanel } from "@/lib/judges/panels";
import { JUDGE_PROMPTS } from "@/lib/llm/prompts";
import { HARD_POOL_DEFAULTS } from "@/lib/pipeline/hard-pool";
import { DEFAULT_JUDGE_MODE, JUDGE_MODE_IDS, JUDGE_MODE_MESSAGE } from "@/lib/pipeline/judge-modes";
import { OPTIONAL_STAGE_IDS, PANEL_STAGE_IDS, STAGE_NAMES, stageInfo, type StageId } from "@/lib/pipeline/stage-registry";
import { getJudgePanels } from "@/lib/settings/panels-store";
import { llmEnvValues, LlmConfigError } from "@/lib/llm/config";
import { getLlmConfig, getModelConfig, isLlmAvailable } from "@/lib/settings/store";
import { UnknownDatasetError } from "@/lib/samples/export";
import { SAMPLE_STATUSES } from "@/lib/samples/types";
import { InvalidRequestError } from "@/lib/errors";
import { enqueueBatchPass } from "@/lib/batch/job";
import { RUN_MODE_IDS, type RunMode } from "./modes";

/** Samples per queue job: small enough that a crash redoes little, large enough that 60k samples are 1,200 jobs. */
export const CHUNK_SIZE = 50;

const optionalStages = OPTIONAL_STAGE_IDS.map((id) => `${id} (${STAGE_NAMES[id]})`).join(", ") || "none";

/** The optional stages a run leaves out (every optional stage runs unless named here). */
export const SkipStagesSchema = z
  .array(z.number().refine((n): boolean => (OPTIONAL_STAGE_IDS as readonly number[]).includes(n), `skipStages: only optional stages can be left out: ${optionalStages}`))
  .optional()
  .transform((ids) => [...new Set(ids ?? [])].sort((a, b) => a - b));

const panelStages = PANEL_STAGE_IDS.map((id) => `${id} (${STAGE_NAMES[id]})`).join(", ");

/** The judge panel a run gives a stage, by stage id ({"4": "trio"}); every other stage keeps the single judge. */
export const JudgePanelsSchema = z
  .record(z.string(), PanelName)
  .superRefine((panels, ctx) => {
    for (const stage of Object.keys(panels)) {
      if (!(PANEL_STAGE_IDS as readonly number[]).includes(Number(stage)) || !/^\d+$/.test(stage)) {
        ctx.addIssue({ code: "custom", path: [stage], message: `judgePanels: only these stages can have a panel: ${panelStages}` });
      }
    }
  })
  .optional()
  .transform((panels) => panels ?? {});

/** The hard-data pool's settings (lib/pipeline/hard-pool.ts): K candidates from one teacher request, sampled above 0. */
export const HardPoolSchema = z.object({
  candidates: z
    .number({ error: "the pool's candidates must be a number" })
    .int("the pool's candidates must be a whole number")
    .min(2, "the pool needs at least 2 candidates")
    .max(16, "the pool takes at most 16 candidates")
    .default(HARD_POOL_DEFAULTS.candidates),
  temperature: z
    .number({ error: "the pool's temperature must be a number" })
    .gt(0, "the pool's temperature must be above 0 (at 0 the candidates would be the same answer)")
    .max(2, "the pool's temperature must be at most 2")
    .default(HARD_POOL_DEFAULTS.temperature),
});

/** A run mode, by its id in the registry (lib/runs/modes.ts). */
export const RunModeSchema = () => z.enum(RUN_MODE_IDS, { error: `mode must be one of ${RUN_MODE_IDS.join(", ")}` }).default("live");

/** How stages 2–4 are judged: one call per stage (the paper's, the default) or one combined call (lib/pipeline/combined.ts). */
export const JudgeModeSchema = z.enum(JUDGE_MODE_IDS, `judgeMode ${JUDGE_MODE_MESSAGE}`).default(DEFAULT_JUDGE_MODE);

export const RunOptionsSchema = z.object({
  datasetName: z.string().trim().min(1),
  stages: z.enum(["rules", "all"]).default("all"),
  /** Which samples to run: by default those waiting for the pipeline. */
  statuses: z.array(z.enum(SAMPLE_STATUSES)).min(1).default(["pending"]),
  /** Or exactly these samples of the dataset, whatever their status (a selection or filter of the samples table). */
  sampleIds: z.array(z.number().int().positive().max(2_147_483_647)).min(1).optional(),
  concurrency: z.number().int().min(1).max(1024).default(16),
  requestsPerMinute: z.number().int().min(1).nullable().default(null),
  maxRegenerations: z.number().int().min(0).max(20).default(3),
  /** The bulk job (a table's "re-run stages") the run is part of: its samples count as done with the run's creation. */
  bulkJobId: z.number().int().positive().optional(),
  skipStages: SkipStagesSchema,
  judgePanels: JudgePanelsSchema,
  /** The v3 flow: a stage 4/5 fail goes to the hard-data pool; null: the paper's v1 (regenerate up to maxRegenerations). */
  hardPool: HardPoolSchema.nullable().default(null),
  judgeMode: JudgeModeSchema,
  /** How the run asks its LLM (lib/runs/modes.ts); live by default. */
  mode: RunModeSchema(),
});
export type RunOptions = z.input<typeof RunOptionsSchema>;

export class RunConfigError extends InvalidRequestError {}

/**
 * Creates a run over the dataset's samples in the chosen statuses (or the given ids of the dataset; ids of other
 * datasets are left out) and enqueues its chunks, in one transaction
 * (the queue's insert joins it), so a run never exists without its jobs.
 */
export async function createRun(input: RunOptions): Promise<{ runId: number; total: number }> {
  const options = RunOptionsSchema.parse(input);
  await checkRunStages(options.stages, options.mode);
  checkRunMode(options.mode, options.stages);
  checkJudgeMode(options);
  const judgePanels = await checkJudgePanels(options.stages, options.judgePanels);
  if (options.mode === "batch") await checkBatchPanels(judgePanels);
  if (options.hardPool && options.stages !== "all") throw new RunConfigError("hardPool: a rules-only run asks no teacher; the hard-data pool needs a full run");
  await getBoss(); // the queue must exist before the transaction inserts into it
  const pool = await getPool();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const dataset = await client.query<{ id: number }>("SELECT id FROM datasets WHERE name = $1", [options.datasetName]);
    if (!dataset.rows[0]) throw new UnknownDatasetError(options.datasetName);
    const run = await client.query<{ id: number }>(
      `INSERT INTO pipeline_runs (dataset_id, stages, filter, concurrency, requests_per_minute, max_regenerations, skipped_stages, judge_panels, hard_pool, judge_mode, mode)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        dataset.rows[0].id,
        options.stages,
        runFilter(options),
        options.concurrency,
        options.requestsPerMinute,
        options.maxRegenerations,
        options.skipStages,
        judgePanels,
        options.hardPool,
        options.judgeMode,
        options.mode,
      ],
    );
    const runId = run.rows[0].id;
    const members = await client.query<{ sample_id: number }>(
      `INSERT INTO pipeline_run_samples (run_id, sample_id, sample_version)
       SELECT $1, id, version FROM samples
       WHERE dataset_id = $2 AND CASE WHEN $4::int[] IS NULL THEN status = ANY($3::"SampleStatus"[]) ELSE id = ANY($4::int[]) END
       ORDER BY id
       RETURNING sample_id`,
      [runId, dataset.rows[0].id, options.statuses, options.sampleIds ?? null],
    );
    const ids = members.rows.map((r) => r.sample_id).sort((a, b) => a - b);
    await client.query(
      `UPDATE pipeline_runs SET total = $2, status = CASE WHEN $2 = 0 THEN 'succeeded'::"RunStatus" ELSE status END,
         finished_at = CASE WHEN $2 = 0 THEN now() END WHERE id = $1`,
      [runId, ids.length],
    );
    await enqueueRunWork(runId, options.mode, ids, { executeSql: (text, values) => client.query(text, values) });
    await addBulkProgress(client, options.bulkJobId, ids.length);
    await client.query("COMMIT");
    // Until autovacuum analyzes the table (a minute or more), the planner would take the new run for empty: its
    // statements by run id (the outcome writes, the chunks' reads) then read every mark of the run each time.
    if (ids.length > 0) await client.query("ANALYZE pipeline_run_samples (run_id)");
    return { runId, total: ids.length };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * A batch mode needs a full run (a rules-only run asks no LLM). Mode offline takes judge panels as a live run does:
 * each member's requests go in the files of its model (lib/batch/files.ts), whatever its endpoint.
 */
function checkRunMode(mode: RunMode, stages: "rules" | "all"): void {
  if (mode !== "live" && stages !== "all") throw new RunConfigError(`mode: a rules-only run asks no LLM; mode ${mode} needs a full run`);
}

/**
 * A batch run sends a panel member's batches to its base URL with the key saved for it: refused when its panels ask
 * one base URL with two keys, or a base URL no longer allowed (lib/judges/panels.ts memberEndpoints).
 */
async function checkBatchPanels(panels: Record<string, SavedPanel>): Promise<void> {
  if (Object.keys(panels).length === 0) return;
  const saved = await getJudgePanels();
  try {
    memberEndpoints(Object.values(panels).map((panel) => withSavedKeys(panel, saved)), await getLlmConfig(), llmEnvValues().allowedHosts);
  } catch (error) {
    throw new RunConfigError(`judgePanels: ${(error as Error).message}`);
  }
}

type Db = { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> };

/**
 * Queues what works on the run's unfinished samples: live, their chunks; batch, its next pass; offline, nothing (the
 * person exports and imports batch files).
 */
export async function enqueueRunWork(runId: number, mode: RunMode, sampleIds: number[], db?: Db): Promise<void> {
  if (sampleIds.length === 0) return;
  if (mode === "live") await enqueueChunks(runId, sampleIds, db);
  else if (mode === "batch") await enqueueBatchPass(runId, { db: db as never });
}

/**
 * Refuses a full run without an LLM (RunConfigError), before anything is written. A run in mode offline sends
 * nothing: its batch files carry model names, all it needs of the LLM settings.
 */
export async function checkRunStages(stages: "rules" | "all", mode: RunMode = "live"): Promise<void> {
  if (stages !== "all") return;
  if (mode === "offline") {
    await getModelConfig().catch((error: unknown) => {
      if (!(error instanceof LlmConfigError)) throw error;
      throw new RunConfigError(`a run in mode offline needs the model names its batch files carry: set STUDIO_LLM_MODEL or the judge model on the Settings page (no base URL needed)`);
    });
  } else if (!(await isLlmAvailable())) {
    const batch = mode === "batch" ? " (mode batch sends its batches to that endpoint; mode offline needs only a model name)" : "";
    throw new RunConfigError(`a full run needs an LLM: set it on the Settings page or with STUDIO_LLM_BASE_URL (and STUDIO_LLM_MODEL), or run the rules only${batch}`);
  }
}

/**
 * The combined judge asks one judge once for stages 2–4: a panel (several judges voting on one stage) cannot take
 * part in that call, so a run is either combined or has panels (RunConfigError); a rules-only run asks no judge.
 */
function checkJudgeMode(options: z.output<typeof RunOptionsSchema>): void {
  if (options.judgeMode !== "combined") return;
  if (options.stages !== "all") throw new RunConfigError("judgeMode: a rules-only run asks no judge; one judge call for stages 2–4 needs a full run");
  const panels = Object.keys(options.judgePanels);
  if (panels.length > 0) {
    throw new RunConfigError(
      `judgeMode: one judge call for stages 2–4 cannot have judge panels (stage ${panels.join(", ")}): a panel's members vote on one stage each; choose per-stage judging for panels`,
    );
  }
}

/**
 * The panels a run gives its stages, by their saved names: each must be saved on the Settings page, in a full run,
 * and every member's prompt version must exist for the stage (RunConfigError naming the stage otherwise). The run
 * records each panel as it is now, without keys: what judged, whatever happens to the panel later.
 */
async function checkJudgePanels(stages: "rules" | "all", wanted: Record<string, string>): Promise<Record<string, SavedPanel>> {
  const entries = Object.entries(wanted);
  if (entries.length === 0) return {};
  if (stages !== "all") throw new RunConfigError("judgePanels: a rules-only run asks no judge; judge panels need a full run");
  const saved = await getJudgePanels();
  const out: Record<string, SavedPanel> = {};
  for (const [stage, name] of entries) {
    const panel = saved.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (!panel) throw new RunConfigError(`judgePanels.${stage}: there is no judge panel "${name}" (define it on the Settings page)`);
    const promptId = stageInfo(Number(stage) as StageId).judges[0].replace(/\.v\d+$/, "");
    for (const member of panel.members) {
      if (member.promptVersion === undefined) continue;
      const version = `${promptId}.v${member.promptVersion}`;
      if (!JUDGE_PROMPTS.has(version)) {
        throw new RunConfigError(`judgePanels.${stage}: panel "${panel.name}" asks ${member.model} with ${version}, which does not exist`);
      }
    }
    out[stage] = withoutKeys(panel);
  }
  return out;
}

/** What the run was asked to cover, as pipeline_runs.filter records it (a selection by its size, not its ids). */
function runFilter(options: z.output<typeof RunOptionsSchema>) {
  return options.sampleIds ? { selected: new Set(options.sampleIds).size } : { statuses: options.statuses };
}

/** Queues the given samples of a run as chunk jobs (through `db` when it must join a transaction). */
export async function enqueueChunks(runId: number, sampleIds: number[], db?: Db) {
  const boss = await getBoss();
  const jobs = [];
  for (let i = 0; i < sampleIds.length; i += CHUNK_SIZE) {
    const data: ChunkJob = { runId, sampleIds: sampleIds.slice(i, i + CHUNK_SIZE) };
    jobs.push({ name: PIPELINE_QUEUE, data, expireInSeconds: jobExpireSeconds() });
  }
  if (jobs.length === 0) return;
  if (db) await boss.insert(jobs, { db: db as never });
  else await boss.insert(jobs);
}
