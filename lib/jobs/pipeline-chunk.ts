// The queue job: refine a chunk of a run's samples, at most `concurrency` at a time in this process, and write
// each outcome as it completes (those completing together in one statement, outcome-writer.ts). Safe to run twice
// (a retried job skips finished samples; each outcome is written once).
import "server-only";
import pLimit, { type LimitFunction } from "p-limit";
import pThrottle from "p-throttle";
import { getPool } from "@/lib/db/client";
import { retryThroughOutage } from "@/lib/db/outage";
import { createLlmClient, type LlmClient } from "@/lib/llm/client";
import { panelWithClients } from "@/lib/judges/panel-clients";
import type { SavedPanel } from "@/lib/judges/panels";
import { clientConfigFor, modelFor, type LlmConfig, type ModelConfig } from "@/lib/llm/config";
import { prepareStages } from "@/lib/pipeline/prepare";
import { refineSample, type RefineOptions } from "@/lib/pipeline/run";
import type { StageId } from "@/lib/pipeline/stage-registry";
import { STAGES } from "@/lib/pipeline/stages";
import { createOutcomeWriter, type OutcomeWriter } from "@/lib/pipeline/outcome-writer";
import { editedDuringRun } from "@/lib/pipeline/store";
import { getJudgePanels } from "@/lib/settings/panels-store";
import { getLlmConfig } from "@/lib/settings/store";
import { toAnswer } from "@/lib/samples/export";
import type { HardPoolOptions } from "@/lib/pipeline/hard-pool";
import type { JudgeMode } from "@/lib/pipeline/judge-modes";
import type { JudgePanel, PipelineSample } from "@/lib/pipeline/types";
import type { ChunkJob } from "./boss";

export interface RunRow {
  id: number;
  dataset_id: number;
  status: string;
  stages: "rules" | "all";
  concurrency: number;
  requests_per_minute: number | null;
  max_regenerations: number;
  skipped_stages: StageId[] | null;
  /** Stage id → the judge panel the run gave it, as it was when the run started (no keys). */
  judge_panels: Record<string, SavedPanel> | null;
  /** The v3 flow's pool settings; null: v1. */
  hard_pool: HardPoolOptions | null;
  judge_mode: JudgeMode;
}

interface RunWorkspace {
  limit: LimitFunction;
  options: RefineOptions;
  writer: OutcomeWriter;
  status: { value: string; checkedAt: number };
}

/**
 * One workspace per run per process: the concurrency limit and the rate limit are shared by all its chunks. Held
 * as a promise, so chunks of a new run arriving together share one workspace.
 */
const workspaces = new Map<number, Promise<RunWorkspace>>();
const STATUS_TTL_MS = 1000;

export async function processChunk(job: ChunkJob): Promise<void> {
  const pool = await getPool();
  const run = (await pool.query<RunRow>("SELECT * FROM pipeline_runs WHERE id = $1", [job.runId])).rows[0];
  if (!run || run.status !== "running") return;
  const workspace = await workspaceFor(run);
  const { rows } = await pool.query(
    `SELECT s.id, s.query, s.tools, s.answer_kind, s.answer, s.cot, s.follow_up, s.version AS current_version,
       COALESCE(m.sample_version, s.version) AS version FROM pipeline_run_samples m
     JOIN samples s ON s.id = m.sample_id
     WHERE m.run_id = $1 AND m.sample_id = ANY($2::int[]) AND m.finished_at IS NULL ORDER BY s.id`,
    [run.id, job.sampleIds],
  );
  await Promise.all(
    rows.map(async (row) => {
      // The concurrency limit is the LLM's: a sample's write does not hold its place.
      const outcome = await workspace.limit(async () => {
        if (!(await retryThroughOutage(() => stillRunning(run.id, workspace)))) return null;
        const sample: PipelineSample = {
          id: row.id, query: row.query, tools: row.tools, answer: toAnswer(row.answer_kind, row.answer), cot: row.cot,
          ...(row.follow_up ? { followUp: row.follow_up } : {}),
        };
        // Edited since the run took it in: no judge calls; the write keeps the edit and records a conflict.
        return row.current_version === row.version ? await refineSample(sample, workspace.options) : editedDuringRun(sample);
      });
      if (outcome) await workspace.writer.store(row.id, row.version, outcome);
    }),
  );
  await retryThroughOutage(() => succeedIfFinished(run.id));
}

/** The run succeeds once every sample of it is finished (a paused or cancelled run stays so). */
export async function succeedIfFinished(runId: number): Promise<void> {
  await (await getPool()).query(
    `UPDATE pipeline_runs SET status = 'succeeded', finished_at = now() WHERE id = $1 AND status = 'running'
       AND NOT EXISTS (SELECT 1 FROM pipeline_run_samples WHERE run_id = $1 AND finished_at IS NULL)`,
    [runId],
  );
}

function workspaceFor(run: RunRow): Promise<RunWorkspace> {
  let workspace = workspaces.get(run.id);
  if (!workspace) {
    workspace = buildWorkspace(run);
    workspaces.set(run.id, workspace);
    // A config that cannot be read now (database down, settings incomplete) is read again by the retried job.
    workspace.catch(() => workspaces.delete(run.id));
  }
  return workspace;
}

/**
 * The run's LLM clients, from the config in force when this process takes up the run (saved settings over the
 * environment, see lib/settings/store.ts): settings saved later apply to runs started later. And what its
 * dataset-wide stages need, read once here for all the run's chunks in this process.
 */
async function buildWorkspace(run: RunRow): Promise<RunWorkspace> {
  const full = run.stages === "all";
  const config = full ? await getLlmConfig() : null;
  const throttle = run.requests_per_minute ? pThrottle({ limit: run.requests_per_minute, interval: 60_000 }) : null;
  const client = (role: "judge" | "teacher") => (config ? rateLimited(createLlmClient(clientConfigFor(config, role)), throttle) : null);
  const panels = config ? await runPanels(run, config, throttle) : new Map<number, JudgePanel>();
  return {
    limit: pLimit(run.concurrency),
    options: {
      ...(await runRefineOptions(run, config)),
      judge: client("judge"),
      teacher: client("teacher"),
      panelFor: (stage) => panels.get(stage) ?? null,
    },
    writer: createOutcomeWriter(run.id),
    status: { value: run.status, checkedAt: Date.now() },
  };
}

/** The run's pipeline options other than its LLM clients (a batch run's passes use these too). */
export async function runRefineOptions(run: RunRow, config: ModelConfig | null): Promise<Omit<RefineOptions, "judge" | "teacher" | "panelFor">> {
  const skipStages = run.skipped_stages ?? [];
  const prepared = await prepareStages(
    STAGES.filter((stage) => !skipStages.includes(stage.id)),
    run.dataset_id,
  );
  return {
    stages: run.stages,
    skipStages,
    prepared,
    modelFor: (stage) => (config ? modelFor(config, stage) : "rules"),
    maxRegenerations: run.max_regenerations,
    hardPool: run.hard_pool,
    judgeMode: run.judge_mode,
  };
}

/**
 * The judge panels the run gave its stages, as the run recorded them: one client per member (its own base URL with
 * the key saved for it now, or the judge's base URL and key), each under the run's rate limit.
 */
async function runPanels(run: RunRow, config: LlmConfig, throttle: ReturnType<typeof pThrottle> | null): Promise<Map<number, JudgePanel>> {
  const wanted = Object.entries(run.judge_panels ?? {});
  if (wanted.length === 0) return new Map();
  const saved = await getJudgePanels();
  return new Map(wanted.map(([stage, recorded]) => [Number(stage), panelWithClients(recorded, saved, config, (client) => rateLimited(client, throttle))]));
}

/** Every LLM request of a run waits for a slot under its requests-per-minute limit (per worker process). */
function rateLimited(client: LlmClient, throttle: ReturnType<typeof pThrottle> | null): LlmClient {
  if (!throttle) return client;
  const slot = throttle(async () => undefined);
  return {
    judge: async (req) => (await slot(), client.judge(req)),
    complete: async (req) => (await slot(), client.complete(req)),
    responseFormat: (model) => client.responseFormat(model),
  };
}

/** Pause and cancel take effect between samples; the status is re-read at most once a second. */
async function stillRunning(runId: number, workspace: RunWorkspace): Promise<boolean> {
  if (Date.now() - workspace.status.checkedAt > STATUS_TTL_MS) {
    const pool = await getPool();
    const { rows } = await pool.query<{ status: string }>("SELECT status FROM pipeline_runs WHERE id = $1", [runId]);
    workspace.status = { value: rows[0]?.status ?? "cancelled", checkedAt: Date.now() };
    if (workspace.status.value !== "running") workspaces.delete(runId);
  }
  return workspace.status.value === "running";
}
