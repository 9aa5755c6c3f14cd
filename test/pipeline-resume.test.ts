// A worker killed with `kill -9` mid-run loses nothing: after a restart the run resumes, no verdict is duplicated
// or lost, and no sample is half-updated.
import { createReadStream } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBfclEntriesTheFakePasses, writeXlamSet } from "@/bench/generate-xlam";
import { getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { createRun } from "@/lib/runs/create-run";
import { getRunProgress } from "@/lib/runs/queries";
import { importSamples } from "@/lib/samples/import";
import { useFakeLlm } from "./fake-llm";
import { assertNoHalfWrittenSample, startWorker, waitFor } from "./run-helpers";
import { duplicatesStage } from "@/lib/pipeline/stages/duplicates";
import { testDir } from "./temp-dir";

// The set is made of BFCL's evaluation queries, repeated: stage 0 (duplicates & contamination) would discard it all.
// Only entries the fake judge passes: every sample goes through all five stages unless a fault stops it.
const BFCL_SET = [duplicatesStage.id];

const SAMPLES = 150;
const llm = useFakeLlm({ latencyMs: 20 });

afterAll(() => stopBoss());

describe("a worker killed with kill -9 mid-run", () => {
  it("resumes after a restart with nothing lost, duplicated or half-written", async () => {
    const dir = await testDir("studio-resume-");
    const file = path.join(dir, "set.json");
    await writeXlamSet(await loadBfclEntriesTheFakePasses(path.resolve("fixtures/bfcl")), SAMPLES, file);
    const dataset = `resume-${process.pid}`;
    const imported = await importSamples({ datasetName: dataset, fileName: "set.json", input: createReadStream(file) });
    expect(imported.inserted).toBe(SAMPLES);

    process.env.STUDIO_LLM_BASE_URL = llm.url;
    process.env.STUDIO_JOB_EXPIRE_SECONDS = "3"; // the jobs of a dead worker come back quickly in this test
    const { runId, total } = await createRun({ datasetName: dataset, stages: "all", concurrency: 8, skipStages: BFCL_SET });
    expect(total).toBe(SAMPLES);

    const first = startWorker(llm.url);
    const progress = () => getRunProgress(runId).then((p) => p!);
    if (process.env.DEBUG_WORKER) setInterval(() => void progress().then((p) => console.log(p.status, p.finished)), 1000).unref();
    const before = await waitFor("some samples to finish", progress, (p) => p.finished >= 20);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atKill = await progress();
    expect(atKill.finished, "the kill must land mid-run").toBeLessThan(SAMPLES);
    expect(atKill.finished).toBeGreaterThanOrEqual(before.finished);
    await assertNoHalfWrittenSample(runId);

    const second = startWorker(llm.url);
    try {
      const end = await waitFor("the run to finish", progress, (p) => p.status !== "running");
      expect(end).toMatchObject({ status: "succeeded", finished: SAMPLES, results: { passed: SAMPLES } });
    } finally {
      second.kill("SIGTERM");
      await new Promise((r) => second.once("exit", r));
    }
    const rows = await assertNoHalfWrittenSample(runId);
    expect(rows.every((r) => r.finished)).toBe(true);

    const pool = await getPool();
    const duplicated = await pool.query(
      `SELECT sample_id, stage, attempt, decided_by, count(*)::int AS n FROM stage_verdicts WHERE run_id = $1
       GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`,
      [runId],
    );
    expect(duplicated.rows).toEqual([]);
    // Every sample went through all five stages once per attempt: stage 1 once, stage 5 on its last attempt.
    const stage1 = await pool.query(`SELECT count(*)::int AS n FROM stage_verdicts WHERE run_id = $1 AND stage = 1`, [runId]);
    expect(stage1.rows[0].n).toBe(SAMPLES);
  }, 240_000);
});
