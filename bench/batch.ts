// A batch-mode run (issue 15 §4) against the fake's Batch API with its completion delay: the wall time, the passes
// (batches one after another: stage 2's answers before stage 3's requests), and that every sample finished exactly
// once (one result each, no verdict stored twice).
import { getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { fullRun, passingSet, withFakeLlm } from "./pipeline";

type Report = (name: string, value: string | number) => void;

export async function batchBench(benchFile: string, report: Report) {
  const count = Number(process.env.BENCH_BATCH_SAMPLES) || 3_000;
  const delayMs = Number(process.env.BENCH_BATCH_DELAY_MS) || 5_000;
  process.env.STUDIO_BATCH_POLL_SECONDS ??= "1";
  const file = await passingSet(benchFile, count);
  const run = await withFakeLlm(0, (url) => fullRun(file, count, 64, url, { run: { mode: "batch" } }), ["--batch-delay", String(delayMs)]);
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
  await stopBoss();
}
