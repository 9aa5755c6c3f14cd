// The samples table's bulk actions — approve, discard, re-run stages, regenerate — on the rows a person selected
// or on everything a filter matches. A selection carries the version of each row as the table showed it: a row
// changed since then is not touched (someone else may have decided it) and is reported, like every other
// per-sample failure, so the summary reads "5,120 approved, 3 failed: #12 changed since you loaded it". Each action
// is a recorded bulk job (lib/review/bulk-jobs.ts): the browser follows its progress, the Samples page lists it.
import { z } from "zod";
import { getPool } from "@/lib/db/client";
import { REQUEST_KEY } from "@/lib/http/request-key";
import { stageIdSchema } from "@/lib/pipeline/stage-schema";
import { checkRunStages, createRun, RunConfigError } from "@/lib/runs/create-run";
import { readTableFilter } from "@/lib/samples/table-filter";
import { filteredSampleIds } from "@/lib/samples/table-query";
import type { BulkFailure, BulkRunRef } from "./bulk-job-view";
import { BulkRequestError, runBulkJob, type BulkBatchOutcome } from "./bulk-jobs";
import { decideMany } from "./decisions";
import { requestTasks } from "./tasks";

export { BulkRequestError, LISTED_FAILURES } from "./bulk-jobs";

/** A selection is what a person ticked; anything larger goes through "all matching" (the filter). */
export const MAX_SELECTION = 10_000;

const sampleId = z.number().int().positive().max(2_147_483_647);

export const BulkTargetSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("selection"),
    samples: z
      .array(z.object({ id: sampleId, version: z.number().int().min(1) }), { error: "samples must be a list of {id, version}" })
      .min(1, "select at least one sample")
      .max(MAX_SELECTION, `select at most ${MAX_SELECTION.toLocaleString("en")} samples, or act on the whole filter`),
  }),
  z.object({
    kind: z.literal("filter"),
    /** The table's query string (lib/samples/table-filter.ts); its sort, page and columns are ignored. */
    query: z.string().max(4_000),
  }),
]);

export const BulkActionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("approve") }),
  z.object({
    action: z.literal("discard"),
    reason: z.string({ error: "a reason is required to discard" }).trim().min(1, "a reason is required to discard").max(2_000),
    stage: stageIdSchema("stage").optional(),
  }),
  z.object({ action: z.literal("rerun"), stages: z.enum(["rules", "all"], { error: "stages must be rules or all" }) }),
  z.object({
    action: z.literal("regenerate"),
    scope: z.enum(["answer", "cot+answer"], { error: "scope must be answer or cot+answer" }).default("cot+answer"),
    instruction: z.string().trim().max(2_000).optional(),
  }),
]);

export const BulkRequestSchema = z.object({
  target: BulkTargetSchema,
  action: BulkActionSchema,
  /** The browser's name for this request: GET /api/bulk-jobs?key=… shows the job's progress while it runs. */
  key: z.string().regex(REQUEST_KEY, "key must be 32 hexadecimal digits").optional(),
});
export type BulkTarget = z.infer<typeof BulkTargetSchema>;
export type BulkAction = z.infer<typeof BulkActionSchema>;

export interface BulkResult {
  /** The recorded bulk job (GET /api/bulk-jobs lists it). */
  jobId: number;
  action: BulkAction["action"];
  /** Samples the action was asked for. */
  targeted: number;
  /** Samples it was done to (decided, queued for regeneration, or taken into a run). */
  done: number;
  failed: number;
  /** The first LISTED_FAILURES failures, in id order. */
  failures: BulkFailure[];
  /** rerun: the runs created, one per dataset. */
  runs: BulkRunRef[];
}

/**
 * Resolves the target to sample ids and does the action as a recorded bulk job (lib/review/bulk-jobs.ts), in
 * batches; per-sample failures are in the result, never thrown. `requestKey`: the browser's name for the request,
 * under which it polls the job's progress.
 */
export async function runBulkAction(target: BulkTarget, action: BulkAction, author: string, requestKey?: string): Promise<BulkResult> {
  const { ids, versions, failures } = await resolveTarget(target);
  if (action.action === "rerun") await checkRunStages(action.stages).catch(asRequestError);
  const { action: name, ...options } = action;
  const plan = {
    actor: author,
    action: name,
    options,
    target: target.kind === "filter" ? target : { kind: "selection" as const, samples: target.samples.length },
    requestKey,
    sampleIds: ids,
    failures,
  };
  const job = await runBulkJob(
    // A re-run makes one run per dataset: all its samples go in one batch.
    name === "rerun" ? { ...plan, batchSize: Math.max(ids.length, 1) } : plan,
    async (batch, bulkJobId): Promise<BulkBatchOutcome> => {
      switch (action.action) {
        case "approve":
        case "discard":
          return decideMany(batch, { author, ...action }, { expectedVersions: versions, bulkJobId });
        case "regenerate":
          return requestTasks(batch, "regenerate", { scope: action.scope, instruction: action.instruction }, author, { bulkJobId });
        case "rerun":
          return { runs: await rerun(batch, action.stages, bulkJobId) };
      }
    },
  );
  return { jobId: job.id, action: name, targeted: job.total, done: job.done, failed: job.failed, failures: job.failures, runs: job.runs };
}

/** The ids to act on; a selected row whose version moved on (or that is gone) is a failure instead. */
async function resolveTarget(target: BulkTarget): Promise<{ ids: number[]; versions?: Map<number, number>; failures: BulkFailure[] }> {
  if (target.kind === "filter") {
    const { filter, issues } = readTableFilter(new URLSearchParams(target.query));
    if (issues.length) throw new BulkRequestError(`filter: ${issues.map((i) => i.message).join("; ")}`);
    return { ids: await filteredSampleIds(filter), failures: [] };
  }
  const loaded = new Map(target.samples.map((s) => [s.id, s.version]));
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number; version: number; status: string }>(
    `SELECT id, version, status FROM samples WHERE id = ANY($1::int[])`,
    [[...loaded.keys()]],
  );
  const current = new Map(rows.map((r) => [r.id, r]));
  const ids: number[] = [];
  const failures: BulkFailure[] = [];
  for (const [id, version] of loaded) {
    const now = current.get(id);
    if (!now) failures.push({ sampleId: id, message: "no such sample (deleted?)" });
    else if (now.version !== version) failures.push({ sampleId: id, message: `changed since you loaded it (now ${now.status})` });
    else ids.push(id);
  }
  // Decisions check the versions again under the row lock (a change in between is still caught).
  return { ids: ids.sort((a, b) => a - b), versions: loaded, failures };
}

function asRequestError(error: unknown): never {
  throw error instanceof RunConfigError ? new BulkRequestError(error.message) : error;
}

/** A pipeline run per dataset over the samples (a run belongs to one dataset). */
async function rerun(ids: number[], stages: "rules" | "all", bulkJobId: number): Promise<BulkRunRef[]> {
  const pool = await getPool();
  const { rows } = await pool.query<{ dataset: string; ids: number[] }>(
    `SELECT d.name AS dataset, array_agg(s.id ORDER BY s.id) AS ids
     FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE s.id = ANY($1::int[]) GROUP BY d.name ORDER BY d.name`,
    [ids],
  );
  const runs: BulkRunRef[] = [];
  for (const group of rows) {
    const run = await createRun({ datasetName: group.dataset, stages, sampleIds: group.ids, bulkJobId }).catch(asRequestError);
    runs.push({ runId: run.runId, dataset: group.dataset, total: run.total });
  }
  return runs;
}
