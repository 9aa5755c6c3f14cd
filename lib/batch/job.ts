// The worker job of a batch run (run mode "batch"): one pg-boss job per pass, each queueing the next one a poll
// interval later, until no sample waits for an answer. Pause stops the chain (the batch in flight goes on at the
// server and is collected on resume); cancel also cancels the batches in flight (at each endpoint of the run), and
// passes go on looking at them until they end, to delete their files. A worker killed mid-pass: its job
// expires and runs again on another worker, which takes the run on from the store alone (pass.ts).
import "server-only";
import OpenAI from "openai";
import type PgBoss from "pg-boss";
import { getPool } from "@/lib/db/client";
import { BATCH_QUEUE, getBoss, jobExpireSeconds, type BatchPassJob } from "@/lib/jobs/boss";
import { runRefineOptions, succeedIfFinished, type RunRow } from "@/lib/jobs/pipeline-chunk";
import { memberEndpoints, withSavedKeys } from "@/lib/judges/panels";
import { llmEnvValues, type LlmConfig, type ModelConfig } from "@/lib/llm/config";
import { getJudgePanels } from "@/lib/settings/panels-store";
import { getLlmConfig } from "@/lib/settings/store";
import { batchApiAt, cancelRunBatches, collectCancelled, errorText, runBatchPass, type BatchPassOptions, type WalkOptions } from "./pass";
import { inFlightBatches, sendingBatches } from "./store";

/** Seconds between two looks at a batch in flight (OpenAI's take minutes to hours). */
export const batchPollSeconds = () => Number(process.env.STUDIO_BATCH_POLL_SECONDS) || 60;

/** A pass that throws (the server unreachable…) is tried again this many times, a poll interval apart, then the run fails. */
const PASS_RETRIES = 10;

/** Queues the run's next pass, after `delaySeconds` (through `db` when it must join a transaction). */
export async function enqueueBatchPass(runId: number, { delaySeconds = 0, db }: { delaySeconds?: number; db?: PgBoss.Db } = {}): Promise<void> {
  const boss = await getBoss();
  const data: BatchPassJob = { runId };
  await boss.send(BATCH_QUEUE, data, {
    singletonKey: `run-${runId}`,
    expireInSeconds: jobExpireSeconds(),
    retryLimit: PASS_RETRIES,
    retryDelay: Math.ceil(batchPollSeconds()), // whole seconds (pg-boss)
    ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
    ...(db ? { db } : {}),
  });
}

/** The pass options of a run, built once per process (dataset-wide stages read the dataset once). */
const passOptions = new Map<number, Promise<BatchPassOptions>>();

export async function processBatchPass(job: PgBoss.JobWithMetadata<BatchPassJob>): Promise<void> {
  const { runId } = job.data;
  const run = (await (await getPool()).query<RunRow & { mode: string }>("SELECT * FROM pipeline_runs WHERE id = $1", [runId])).rows[0];
  if (!run || run.status !== "running" || run.mode !== "batch") {
    passOptions.delete(runId);
    if (run?.mode === "batch" && run.status === "cancelled") await collectCancelledBatches(run);
    return;
  }
  let options = passOptions.get(runId);
  if (!options) {
    options = (async () => {
      const config = await getLlmConfig();
      return { ...(await walkOptions(run, config)), ...(await runBatchApis(run, config)) };
    })();
    passOptions.set(runId, options);
  }
  try {
    const report = await runBatchPass(runId, await options);
    if (report.state === "done") {
      await succeedIfFinished(runId);
      passOptions.delete(runId);
      return;
    }
  } catch (error) {
    passOptions.delete(runId);
    if (job.retryCount >= job.retryLimit) await failRun(runId, `batch pass failed ${job.retryCount + 1} times: ${errorText(error)}`);
    throw error;
  }
  await enqueueBatchPass(runId, { delaySeconds: batchPollSeconds() });
}

/**
 * A cancelled run's batches are looked at a poll interval apart until none is left: each cancelled at the server,
 * ended, its files deleted. A server that cannot be reached is tried again at each look, until it answers or the
 * batch's completion window has passed (the server has ended it by then).
 */
async function collectCancelledBatches(run: RunRow): Promise<void> {
  const running = await collectCancelled(run.id, batchApiAt(await runBatchApis(run, await getLlmConfig())));
  if (running > 0) await enqueueBatchPass(run.id, { delaySeconds: batchPollSeconds() });
}

/** What a walk over the run's samples needs, from the run and the LLM settings in force. */
export async function walkOptions(run: RunRow, config: ModelConfig): Promise<WalkOptions> {
  return {
    refine: await runRefineOptions(run, config),
    judgeModel: config.model,
    teacherModel: config.teacherModel,
    maxRetries: config.maxRetries,
    panels: run.judge_panels ?? {},
  };
}

/** The Files and Batch API at an endpoint (the judge's, or a panel member's), with its key. */
export function batchApi(config: Pick<LlmConfig, "baseURL" | "apiKey" | "timeoutMs">): OpenAI {
  return new OpenAI({ baseURL: config.baseURL, apiKey: config.apiKey || "not-needed", maxRetries: 2, timeout: config.timeoutMs, fetchOptions: { redirect: "manual" } });
}

/**
 * The Files and Batch API at each endpoint of the run: the judge's, and each base URL of the run's panel members with
 * the key saved for it now (a key goes only to the base URL it was saved for).
 */
async function runBatchApis(run: Pick<RunRow, "judge_panels">, config: LlmConfig): Promise<Pick<BatchPassOptions, "openai" | "memberApis">> {
  const saved = await getJudgePanels();
  const panels = Object.values(run.judge_panels ?? {}).map((panel) => withSavedKeys(panel, saved));
  const members = memberEndpoints(panels, config, llmEnvValues().allowedHosts);
  return { openai: batchApi(config), memberApis: new Map([...members].map(([baseURL, member]) => [baseURL, batchApi({ ...member, timeoutMs: config.timeoutMs })])) };
}

/**
 * Cancels the batches a cancelled run has in flight at the server (their requests are not run, or not billed), and
 * any it was sending that the server has (cancelRunBatches), and queues a look at them (collectCancelledBatches): it
 * deletes the files of those ended, and tries again what the server could not be asked now. A server that cannot be
 * reached does not stop the cancel: the run is cancelled, the Runs page says what is left at the server.
 */
export async function cancelInFlightBatches(runId: number): Promise<string[]> {
  if ((await sendingBatches(runId)).length === 0 && (await inFlightBatches(runId)).length === 0) return [];
  await enqueueBatchPass(runId, { delaySeconds: batchPollSeconds() });
  const run = (await (await getPool()).query<Pick<RunRow, "judge_panels">>("SELECT judge_panels FROM pipeline_runs WHERE id = $1", [runId])).rows[0];
  return (await cancelRunBatches(runId, batchApiAt(await runBatchApis(run, await getLlmConfig())))).problems;
}

async function failRun(runId: number, failure: string): Promise<void> {
  await (await getPool()).query(`UPDATE pipeline_runs SET status = 'failed', failure = $2, finished_at = now() WHERE id = $1 AND status = 'running'`, [runId, failure]);
}
