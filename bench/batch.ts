// A batch-mode run (issue 15 §4) against the fake's Batch API with its completion delay: the wall time, the passes
// (batches one after another: stage 2's answers before stage 3's requests), and that every sample finished exactly
// once (one result each, no verdict stored twice). And the memory of a run's first pass (the largest: every sample
// asks), in a process of its own (bench/batch-pass.ts).
import { spawn } from "node:child_process";
import { getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { PIPELINE_NODE_FLAGS } from "@/lib/process/node-flags";
import { controlRun } from "@/lib/runs/control";
import { createRun } from "@/lib/runs/create-run";
import { cpuPerSample } from "./cpu";
import { BFCL_SET, fullRun, importBenchSet, passingSet, withFakeLlm } from "./pipeline";
import type { Report } from "./stats";

export async function batchBench(benchFile: string, report: Report) {
  const count = Number(process.env.BENCH_BATCH_SAMPLES) || 3_000;
  const delayMs = Number(process.env.BENCH_BATCH_DELAY_MS) || 5_000;
  process.env.STUDIO_BATCH_POLL_SECONDS ??= "1";
  const file = await passingSet(benchFile, count);

  const pass = await withFakeLlm(0, (url) => firstPass(file, count, url));
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  report(
    `batch run's first pass, ${count} samples`,
    `peak RSS ${mb(pass.peakRssKb)} (VmHWM of the pass's process; ${mb(pass.startRssKb)} before the pass), ${pass.sent} requests sent, ${pass.state}`,
  );

  const run = await withFakeLlm(0, (url, llmPid) => fullRun(file, count, 64, url, { run: { mode: "batch" }, llmPid }), ["--batch-delay", String(delayMs)]);
  const pool = await getPool();
  const { rows } = await pool.query<{ passes: number; requests: number; finished: number; twice: number; failure: string | null }>(
    `SELECT (SELECT failure FROM pipeline_runs WHERE id = $1), (SELECT count(*)::int FROM run_batches WHERE run_id = $1) AS passes,
       (SELECT coalesce(sum(total), 0)::int FROM run_batches WHERE run_id = $1) AS requests,
       (SELECT count(*)::int FROM pipeline_run_samples WHERE run_id = $1 AND finished_at IS NOT NULL AND result IS NOT NULL) AS finished,
       (SELECT count(*)::int FROM (SELECT 1 FROM stage_verdicts WHERE run_id = $1 GROUP BY sample_id, stage, turn, attempt, decided_by HAVING count(*) > 1) d) AS twice`,
    [run.runId],
  );
  const { passes, requests, finished, twice, failure } = rows[0];
  const waited = (passes * delayMs) / 1000;
  report(
    `batch run, ${count} samples, fake batch delay ${delayMs / 1000} s`,
    `${run.seconds.toFixed(1)} s wall (${passes} passes × ${delayMs / 1000} s = ${waited.toFixed(0)} s of it the fake's delay), ${requests} requests ` +
      `(${(requests / count).toFixed(2)}/sample), ${finished} of ${count} finished exactly once (${twice} verdicts stored twice), ${run.status}${failure ? `: ${failure}` : ""}`,
  );
  // The studio's share is the passes' (walks, request store, outcome writes); the fake's, answering the batches.
  report("batch run, where the CPU went", cpuPerSample(run.cpu, count));
  await stopBoss();
}

/** A batch run's first pass over `count` samples, run in a process of its own; the run is cancelled after it. */
async function firstPass(file: string, count: number, url: string): Promise<{ state: string; sent: number; startRssKb: number; peakRssKb: number }> {
  const dataset = await importBenchSet(file, count);
  process.env.STUDIO_LLM_BASE_URL = url;
  process.env.STUDIO_LLM_MODEL ??= "fake-judge";
  // Its pass job waits in the queue: no worker runs in this process now, and the run is cancelled before one does.
  const { runId } = await createRun({ datasetName: dataset, stages: "all", mode: "batch", skipStages: BFCL_SET });
  try {
    const child = spawn(process.execPath, [...PIPELINE_NODE_FLAGS, "--import", "tsx", "--conditions=react-server", "bench/batch-pass.ts", String(runId)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    if (code !== 0) throw new Error(`bench/batch-pass.ts exited with ${code}`);
    return JSON.parse(out);
  } finally {
    await controlRun(runId, "cancel");
  }
}
