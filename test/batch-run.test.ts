// A batch-mode run driven by worker processes against the fake's Batch API (issue 15 §4): pass → batch in flight →
// poll → apply → next pass until every sample is finished exactly once; a worker kill -9'd while a batch is in flight
// (a new worker collects the same batch), between recording its requests and sending them (a new worker sends
// them), after the server created its batch (a new worker finds it by its metadata), or after a batch's results were
// stored but before its files were deleted (a new worker deletes them); pause, resume and cancel (the batch in flight
// cancelled at the server, its files deleted once it ends; a cancel that could not reach the server tried again).
import type { ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { getRunBatchView } from "@/lib/batch/store";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { controlRun } from "@/lib/runs/control";
import { createRun } from "@/lib/runs/create-run";
import { getRunProgress } from "@/lib/runs/queries";
import { BATCH_PATH_SAMPLES as SAMPLES } from "./batch-samples";
import { useFakeLlm } from "./fake-llm";
import { seedDataset, type SeedSample } from "./seed";
import { startWorker, waitFor } from "./run-helpers";

const WORKER_ENV = { STUDIO_BATCH_POLL_SECONDS: "0.2", STUDIO_JOB_EXPIRE_SECONDS: "3", STUDIO_LLM_MAX_RETRIES: "2" };
// The pass jobs this process queues (createRun, resume) expire and are retried as the workers' own do.
const QUEUE_ENV = { STUDIO_BATCH_POLL_SECONDS: WORKER_ENV.STUDIO_BATCH_POLL_SECONDS, STUDIO_JOB_EXPIRE_SECONDS: WORKER_ENV.STUDIO_JOB_EXPIRE_SECONDS };
const llm = useFakeLlm({ prefixCache: null }, { env: QUEUE_ENV, resetAfterEach: { batchFaults: [], batchDelayMs: 0 } });
const workers: ChildProcess[] = [];

afterEach(async () => {
  for (const worker of workers.splice(0)) await kill(worker, "SIGTERM");
});
afterAll(async () => {
  await stopBoss();
  await closeDb();
});

function worker(llmUrl = llm.url): ChildProcess {
  const child = startWorker(llmUrl, WORKER_ENV);
  workers.push(child);
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill(signal);
  await exited;
}


/** A server that takes every request and never answers: a worker's first upload to it hangs. */
async function silentServer(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server: Server = createServer(() => void requests++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function startBatchRun(samples: SeedSample[]): Promise<number> {
  const { name } = await seedDataset(samples, "batch-run");
  // Stage 0 left out: the seeded queries are not what it is about.
  const { runId } = await createRun({ datasetName: name, stages: "all", mode: "batch", skipStages: [0], maxRegenerations: 2 });
  return runId;
}

const progress = (runId: number) => getRunProgress(runId).then((p) => p!);

async function batches(runId: number) {
  const { rows } = await (await getPool()).query(`SELECT batch_id, pass, status, total, completed, failed FROM run_batches WHERE run_id = $1 ORDER BY pass`, [runId]);
  return rows;
}

/** Verdicts stored twice for the same sample, stage, attempt and judge: none in an exactly-once run. */
async function duplicatedVerdicts(runId: number) {
  const { rows } = await (await getPool()).query(
    `SELECT sample_id, stage, turn, attempt, decided_by, count(*)::int AS n FROM stage_verdicts WHERE run_id = $1 GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1`,
    [runId],
  );
  return rows;
}

describe("a batch-mode run", () => {
  it("is refused, naming the option, where it cannot work: a rules-only run, an unknown mode; a panel in mode offline only as in a live run", async () => {
    const { name } = await seedDataset([{}], "batch-run");
    await expect(createRun({ datasetName: name, stages: "rules", mode: "batch" })).rejects.toThrow("mode: a rules-only run asks no LLM; mode batch needs a full run");
    // Mode offline takes judge panels (each member's requests in files of its model): only an unknown panel is refused.
    await expect(createRun({ datasetName: name, stages: "all", mode: "offline", judgePanels: { 4: "trio" } })).rejects.toThrow('judgePanels.4: there is no judge panel "trio" (define it on the Settings page)');
    await expect(createRun({ datasetName: name, stages: "all", mode: "nightly" as never })).rejects.toThrow("mode must be one of live, batch, offline");
    const runs = await (await getPool()).query(`SELECT count(*)::int AS n FROM pipeline_runs r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = $1`, [name]);
    expect(runs.rows[0].n).toBe(0);
  });

  it("is driven pass by pass by a worker until every sample is finished exactly once, stage by stage", async () => {
    const runId = await startBatchRun(SAMPLES);
    worker();
    const end = await waitFor("the batch run to finish", () => progress(runId), (p) => p.status !== "running");
    expect(end).toMatchObject({ status: "succeeded", finished: SAMPLES.length, results: { passed: 3, discarded: 2, flagged: 1 } });
    const sent = await batches(runId);
    // Stage 2's answers come before stage 3's requests exist: several batches, one after another, all collected.
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.map((b) => b.pass)).toEqual(sent.map((_, i) => i + 1));
    expect(sent.every((b) => b.status === "completed" && b.completed + b.failed === b.total)).toBe(true);
    expect(await duplicatedVerdicts(runId)).toEqual([]);
    // Every file the run uploaded, and every result file, is deleted at the server once applied.
    expect((await new OpenAI({ baseURL: llm.url, apiKey: "x" }).files.list()).data).toEqual([]);
    // The 500 that lasts: an error verdict after 1 + 2 attempts, the sample flagged, never a fail.
    const flagged = await (await getPool()).query(
      `SELECT v.outcome, v.reason FROM stage_verdicts v JOIN pipeline_run_samples m ON m.sample_id = v.sample_id AND m.run_id = v.run_id
       WHERE v.run_id = $1 AND m.result = 'flagged' AND v.decided_by LIKE 'llm:%'`,
      [runId],
    );
    expect(flagged.rows.at(-1)).toMatchObject({ outcome: "error", reason: expect.stringMatching(/after 3 attempts/) });
  }, 180_000);

  it("survives a worker kill -9'd while a batch is in flight: a new worker collects that batch, nothing is sent or stored twice", async () => {
    llm.setOptions({ batchDelayMs: 4_000 });
    const runId = await startBatchRun(SAMPLES);
    const first = worker();
    const [inFlight] = await waitFor("the first batch in flight", () => batches(runId), (rows) => rows.length === 1 && rows[0].status === "in_progress");
    await kill(first, "SIGKILL");
    llm.setOptions({ batchDelayMs: 300 });
    worker();
    const end = await waitFor("the batch run to finish", () => progress(runId), (p) => p.status !== "running");
    expect(end).toMatchObject({ status: "succeeded", finished: SAMPLES.length });
    const sent = await batches(runId);
    expect(sent[0]).toMatchObject({ batch_id: inFlight.batch_id, pass: 1, status: "completed" });
    const pool = await getPool();
    // Every request went out in exactly one batch and got one answer, but for the scripted 500s (asked again).
    const asked = await pool.query(`SELECT body::text AS body, attempts, batch_id FROM batch_requests WHERE run_id = $1`, [runId]);
    expect(asked.rows.filter((r) => r.attempts > 1 && !r.body.includes("[[fake:500"))).toEqual([]);
    expect(new Set(asked.rows.map((r) => r.batch_id)).size).toBeLessThanOrEqual(sent.length);
    expect(await duplicatedVerdicts(runId)).toEqual([]);
    const unfinished = await pool.query(`SELECT count(*)::int AS n FROM pipeline_run_samples WHERE run_id = $1 AND finished_at IS NULL`, [runId]);
    expect(unfinished.rows[0].n).toBe(0);
  }, 180_000);

  it("survives a worker kill -9'd between recording its requests and sending them: a new worker sends them, each once", async () => {
    const silent = await silentServer();
    try {
      const runId = await startBatchRun(SAMPLES);
      // The first worker walks, records its requests, and hangs on the upload (nothing answers it): then it is killed.
      const first = worker(silent.url);
      await waitFor("the first upload", async () => silent.requests(), (n) => n > 0);
      const pool = await getPool();
      const recorded = await pool.query(`SELECT state, batch_id, count(*)::int AS n FROM batch_requests WHERE run_id = $1 GROUP BY 1, 2`, [runId]);
      // They wait in a batch being sent, under the studio's name for it (the server never got it).
      expect(recorded.rows).toEqual([{ state: "sending", batch_id: expect.stringMatching(`^run-${runId}-`), n: expect.any(Number) }]);
      await kill(first, "SIGKILL");
      worker();
      const end = await waitFor("the batch run to finish", () => progress(runId), (p) => p.status !== "running");
      expect(end).toMatchObject({ status: "succeeded", finished: SAMPLES.length });
      // The first batch holds what the killed worker recorded; every request got one answer, but the scripted 500s.
      expect((await batches(runId))[0]).toMatchObject({ pass: 1, total: recorded.rows[0].n, status: "completed" });
      const asked = await pool.query(`SELECT body::text AS body, attempts FROM batch_requests WHERE run_id = $1`, [runId]);
      expect(asked.rows.filter((r) => r.attempts !== 1 && !r.body.includes("[[fake:500"))).toEqual([]);
      expect(await duplicatedVerdicts(runId)).toEqual([]);
    } finally {
      await silent.close();
    }
  }, 180_000);

  it("survives a worker kill -9'd after the server created its batch but before it heard back: the batch is adopted, never sent twice", async () => {
    llm.setOptions({ batchFaults: [{ createUnanswered: true }], batchDelayMs: 300 });
    const runId = await startBatchRun(SAMPLES);
    const first = worker();
    const openai = new OpenAI({ baseURL: llm.url, apiKey: "x" });
    const [created] = await waitFor("the first batch at the server", async () => (await openai.batches.list()).data, (list) => list.length > 0);
    expect(await batches(runId)).toEqual([expect.objectContaining({ pass: 1, status: "sending" })]);
    await kill(first, "SIGKILL");
    worker();
    const end = await waitFor("the batch run to finish", () => progress(runId), (p) => p.status !== "running");
    expect(end).toMatchObject({ status: "succeeded", finished: SAMPLES.length });
    const sent = await batches(runId);
    expect(sent[0]).toMatchObject({ batch_id: created.id, pass: 1, status: "completed" });
    // The server got each of the run's batches once.
    const atServer = [];
    for await (const batch of openai.batches.list({ limit: 100 })) atServer.push(batch.id);
    expect(atServer.sort()).toEqual(sent.map((b) => b.batch_id).sort());
    const asked = await (await getPool()).query(`SELECT body::text AS body, attempts FROM batch_requests WHERE run_id = $1`, [runId]);
    expect(asked.rows.filter((r) => r.attempts > 1 && !r.body.includes("[[fake:500"))).toEqual([]);
    expect(await duplicatedVerdicts(runId)).toEqual([]);
  }, 180_000);

  it("survives a worker kill -9'd after storing a batch's results, before deleting its files: a new worker deletes them", async () => {
    llm.setOptions({ batchFaults: [{ deletesUnanswered: true }] });
    const runId = await startBatchRun(SAMPLES.slice(0, 2));
    const first = worker();
    await waitFor("the first file delete", async () => llm.batchApiCalls.filter((c) => c.method === "DELETE").length, (n) => n > 0);
    await kill(first, "SIGKILL");
    // The first batch's answers are stored; its files are all that is left of it at the server.
    const pool = await getPool();
    const unanswered = await pool.query(`SELECT count(*)::int AS n FROM batch_requests WHERE run_id = $1 AND state <> 'answered'`, [runId]);
    expect(unanswered.rows[0].n).toBe(0);
    const openai = new OpenAI({ baseURL: llm.url, apiKey: "x" });
    const [batch] = (await openai.batches.list()).data;
    expect((await openai.files.list()).data.map((f) => f.id).sort()).toEqual([batch.input_file_id, batch.output_file_id, batch.error_file_id].filter(Boolean).sort());
    llm.setOptions({ batchFaults: [] });
    worker();
    const end = await waitFor("the batch run to finish", () => progress(runId), (p) => p.status !== "running");
    expect(end).toMatchObject({ status: "succeeded", finished: 2 });
    expect((await openai.files.list()).data).toEqual([]);
    expect(await duplicatedVerdicts(runId)).toEqual([]);
  }, 180_000);

  it("a cancel that cannot reach the server is tried again: the Runs page says what is left, and once the server answers the batch is cancelled and its files deleted", async () => {
    llm.setOptions({ batchDelayMs: 15_000 });
    const runId = await startBatchRun(SAMPLES.slice(0, 2));
    const first = worker();
    const [inFlight] = await waitFor("the batch in flight", () => batches(runId), (rows) => rows[0]?.status === "in_progress");
    await kill(first, "SIGTERM"); // between two polls: its next pass is queued, and the cancel drops it
    // Where the run is cancelled, the server cannot be reached.
    const baseURL = process.env.STUDIO_LLM_BASE_URL;
    process.env.STUDIO_LLM_BASE_URL = "http://127.0.0.1:9/v1";
    try {
      await controlRun(runId, "cancel");
    } finally {
      process.env.STUDIO_LLM_BASE_URL = baseURL;
    }
    const openai = new OpenAI({ baseURL: llm.url, apiKey: "x" });
    expect((await openai.batches.retrieve(inFlight.batch_id)).status).toBe("in_progress");
    expect((await getRunBatchView(runId))!.inFlight).toEqual([
      expect.objectContaining({ batchId: inFlight.batch_id, status: "in_progress", problem: expect.stringMatching(/^could not be cancelled: Connection error/) }),
    ]);
    // A worker that reaches the server cancels the batch, and deletes its files once it has ended.
    worker();
    await waitFor("the batch cancelled at the server", () => openai.batches.retrieve(inFlight.batch_id), (b) => b.status === "cancelled", 30_000);
    await waitFor("no file left at the server", async () => (await openai.files.list()).data, (files) => files.length === 0, 30_000);
    const view = (await getRunBatchView(runId))!;
    expect(view).toMatchObject({ inFlight: [], filesToDelete: 0, latest: { batchId: inFlight.batch_id, status: "cancelled", problem: null } });
    expect(await progress(runId)).toMatchObject({ status: "cancelled", finished: 0 });
  }, 180_000);

  it("cancel also cancels a batch the server created for a worker killed before it heard back", async () => {
    llm.setOptions({ batchFaults: [{ createUnanswered: true }], batchDelayMs: 5_000 });
    const runId = await startBatchRun(SAMPLES.slice(0, 2));
    const first = worker();
    const openai = new OpenAI({ baseURL: llm.url, apiKey: "x" });
    const [created] = await waitFor("the batch at the server", async () => (await openai.batches.list()).data, (list) => list.length > 0);
    await kill(first, "SIGKILL");
    await controlRun(runId, "cancel");
    expect((await openai.batches.retrieve(created.id)).status).toMatch(/^cancell(ing|ed)$/);
    expect(await batches(runId)).toEqual([expect.objectContaining({ batch_id: created.id, pass: 1, status: expect.stringMatching(/^cancell(ing|ed)$/) })]);
  }, 180_000);

  it("pauses between passes (the batch in flight is collected on resume) and cancel cancels the batch at the server", async () => {
    llm.setOptions({ batchDelayMs: 2_000 });
    const paused = await startBatchRun(SAMPLES.slice(0, 2));
    worker();
    await waitFor("the first batch in flight", () => batches(paused), (rows) => rows[0]?.status === "in_progress");
    await controlRun(paused, "pause");
    await new Promise((r) => setTimeout(r, 3_000));
    // The batch finished at the server meanwhile; nobody collected it.
    expect(await batches(paused)).toEqual([expect.objectContaining({ pass: 1, status: "in_progress" })]);
    expect((await progress(paused)).finished).toBe(0);
    await controlRun(paused, "resume");
    llm.setOptions({ batchDelayMs: 200 });
    const end = await waitFor("the resumed run to finish", () => progress(paused), (p) => p.status !== "running");
    expect(end).toMatchObject({ status: "succeeded", finished: 2, results: { passed: 1, discarded: 1 } });
    expect((await batches(paused))[0]).toMatchObject({ pass: 1, status: "completed" });

    llm.setOptions({ batchDelayMs: 5_000 });
    const cancelled = await startBatchRun(SAMPLES.slice(0, 2));
    const [inFlight] = await waitFor("the batch in flight", () => batches(cancelled), (rows) => rows[0]?.status === "in_progress");
    await controlRun(cancelled, "cancel");
    const openai = new OpenAI({ baseURL: llm.url, apiKey: "x" });
    expect((await openai.batches.retrieve(inFlight.batch_id)).status).toMatch(/^cancell(ing|ed)$/);
    expect(await batches(cancelled)).toEqual([expect.objectContaining({ pass: 1, status: expect.stringMatching(/^cancell(ing|ed)$/) })]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await progress(cancelled)).toMatchObject({ status: "cancelled", finished: 0 });
    expect(await batches(cancelled)).toHaveLength(1);
    // Once the server has cancelled it, its files (input, and the error file of the requests it never ran) are deleted.
    await waitFor("the cancelled batch's end", () => batches(cancelled), (rows) => rows[0].status === "cancelled", 30_000);
    await waitFor("no file left at the server", async () => (await openai.files.list()).data, (files) => files.length === 0, 30_000);
    expect(await progress(cancelled)).toMatchObject({ status: "cancelled", finished: 0 });
  }, 180_000);
});
