// The judge answering 429, 500 or garbage through a long bad spell: a pipeline run (in a real worker process) still
// finishes every sample exactly once; what the judge could not decide is stored as `error` verdicts and `flagged`
// samples whose reason names the fault, never as `fail`/`discarded`. When the spell ends, a re-run of the flagged
// samples passes them.
//
// In production such a spell lasts minutes and each request backs off for seconds (0.5 s doubling to 8 s, and
// Retry-After). Here it is compressed into seconds: the fake fails half of all requests, Retry-After is 0, and the
// worker retries each request twice, 5 ms apart. The outcome per sample is the same: a request that fails all its
// attempts is an `error`.
import { createReadStream } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useOwnDatabase } from "@/test/own-database";
import { loadBfclEntriesTheFakePasses, writeXlamSet } from "@/bench/generate-xlam";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { createRun } from "@/lib/runs/create-run";
import { runAttention } from "@/lib/runs/list-runs";
import { getRunProgress } from "@/lib/runs/queries";
import { importSamples } from "@/lib/samples/import";
import { useFakeLlm } from "./fake-llm";
import { startWorker, waitFor } from "./run-helpers";
import { duplicatesStage } from "@/lib/pipeline/stages/duplicates";
import { testDir } from "./temp-dir";

// The set is made of BFCL's evaluation queries, repeated: stage 0 (duplicates & contamination) would discard it all.
// Only entries the fake judge passes: every sample goes through all five stages unless a fault stops it.
const BFCL_SET = [duplicatesStage.id];

// Its own database: another test file's workers (talking to another fake LLM) must not take this run's chunks.
const database = await useOwnDatabase("fault_judge");

const SAMPLES = 60;
const FAULTS = ["429", "500", "garbage"];
const workerEnv = { STUDIO_LLM_MAX_RETRIES: "2", STUDIO_LLM_BACKOFF_MS: "5" };
// In the environment too: createRun refuses a full run without an LLM configured.
const llm = useFakeLlm({ latencyMs: 5, retryAfterSeconds: 0, logLimit: 100_000 }, { env: true });

afterAll(async () => {
  await stopBoss();
  await closeDb();
  await database.drop();
});

/** Runs `createRun`'s run to its end in a worker process of its own. */
async function runToEnd(runId: number) {
  const worker = startWorker(llm.url, workerEnv);
  const exited = new Promise((r) => worker.once("exit", r));
  try {
    return await waitFor("the run to finish", () => getRunProgress(runId).then((p) => p!), (p) => p.status !== "running", 120_000);
  } finally {
    worker.kill("SIGTERM");
    await exited;
  }
}

async function assertEachSampleWrittenOnce(runId: number, total: number) {
  const pool = await getPool();
  const marks = await pool.query(`SELECT count(*)::int AS n, count(finished_at)::int AS finished FROM pipeline_run_samples WHERE run_id = $1`, [runId]);
  expect(marks.rows[0]).toEqual({ n: total, finished: total });
  const duplicated = await pool.query(
    `SELECT sample_id, stage, attempt, decided_by FROM stage_verdicts WHERE run_id = $1 GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`,
    [runId],
  );
  expect(duplicated.rows).toEqual([]);
}

describe("the judge answering 429, 500 and garbage through a long spell", () => {
  it("flags what it could not judge, with the reason, discards nothing for it, and a re-run after the spell passes them", async () => {
    const dir = await testDir("studio-judge-outage-");
    const file = path.join(dir, "set.json");
    await writeXlamSet(await loadBfclEntriesTheFakePasses(path.resolve("fixtures/bfcl")), SAMPLES, file);
    const imported = await importSamples({ datasetName: "judge-outage", fileName: "set.json", input: createReadStream(file) });
    expect(imported.inserted).toBe(SAMPLES);

    // The spell: half of all requests (judge and teacher alike) fail, evenly 429, 500 or garbage.
    llm.setOptions({ failureRate: 0.5, failureKinds: FAULTS, seed: 5 });
    const bad = await createRun({ datasetName: "judge-outage", stages: "all", concurrency: 8, skipStages: BFCL_SET });
    const end = await runToEnd(bad.runId);

    const served = new Set(llm.requests.map((r) => r.outcome));
    for (const outcome of ["http 429", "http 500", "garbage"]) expect(served, `the fake served ${outcome}`).toContain(outcome);
    expect(end.status).toBe("succeeded");
    expect(end.finished).toBe(SAMPLES);
    expect(Object.keys(end.results).sort(), "only passed or flagged: an unanswered judge never discards").toEqual(["flagged", "passed"]);
    const flaggedCount = end.results.flagged;
    expect(flaggedCount).toBeGreaterThan(0);
    expect(end.stages_["2"]?.error ?? 0).toBeGreaterThan(0);
    await assertEachSampleWrittenOnce(bad.runId, SAMPLES);

    const pool = await getPool();
    const flagged = (
      await pool.query<{ id: number; status_reason: string; status_stage: number | null; status_code: string; outcomes: string[]; error_kinds: string[] }>(
        `SELECT s.id, s.status_reason, s.status_stage, s.status_code,
           array(SELECT DISTINCT v.outcome::text FROM stage_verdicts v WHERE v.sample_id = s.id) AS outcomes,
           array(SELECT v.evidence->>'failure' FROM stage_verdicts v WHERE v.sample_id = s.id AND v.outcome = 'error') AS error_kinds
         FROM samples s JOIN pipeline_run_samples m ON m.sample_id = s.id AND m.run_id = $1 WHERE m.result = 'flagged' ORDER BY s.id`,
        [bad.runId],
      )
    ).rows;
    expect(flagged).toHaveLength(flaggedCount);
    const kind = "(rate_limited|server_error|unparseable)";
    for (const sample of flagged) {
      expect(sample.outcomes, `sample ${sample.id}: no verdict says fail`).not.toContain("fail");
      if (sample.status_code === "generation-failed") {
        // The teacher is the same server: a CoT it could not write flags the sample too.
        expect(sample.status_reason).toMatch(new RegExp(`^CoT generation failed: ${kind} after 3 attempt\\(s\\): `));
      } else {
        expect(sample.status_reason).toMatch(new RegExp(`^Stage [2-4]: The judge gave no usable answer \\(${kind}, 3 attempts\\): `));
        expect(sample.status_code).toBe("llm");
        expect(sample.error_kinds).toHaveLength(1);
        expect(sample.error_kinds[0]).toMatch(new RegExp(`^${kind}$`));
      }
    }
    // What the Runs page lists for this run: each flagged sample with its reason.
    const attention = await runAttention(bad.runId, 1_000);
    expect(attention.map((a) => [a.id, a.result, a.reason])).toEqual(flagged.map((s) => [s.id, "flagged", s.status_reason.slice(0, 500)]));

    // The spell ends: a run over the flagged samples passes every one, and nothing else is touched.
    llm.setOptions({ failureRate: 0 });
    const again = await createRun({ datasetName: "judge-outage", stages: "all", statuses: ["flagged"], concurrency: 8, skipStages: BFCL_SET });
    expect(again.total).toBe(flaggedCount);
    const after = await runToEnd(again.runId);
    expect(after).toMatchObject({ status: "succeeded", finished: flaggedCount, results: { passed: flaggedCount } });
    await assertEachSampleWrittenOnce(again.runId, flaggedCount);
    const statuses = await pool.query(`SELECT status, count(*)::int AS n FROM samples GROUP BY status`);
    expect(statuses.rows).toEqual([{ status: "passed", n: SAMPLES }]);
  }, 180_000);
});
