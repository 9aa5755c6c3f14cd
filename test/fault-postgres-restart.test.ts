// PostgreSQL restarted in the middle of a pipeline run: the worker process and this one reconnect by themselves,
// the run finishes, and every sample is written exactly once — nothing lost, duplicated or half-written. Runs on
// a PostgreSQL server of its own (on a free port, stopped afterwards), since it stops it.
import { createReadStream } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBfclEntriesTheFakePasses, writeXlamSet } from "@/bench/generate-xlam";
import { closeDb, getPool } from "@/lib/db/client";
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { stopBoss } from "@/lib/jobs/boss";
import { createRun } from "@/lib/runs/create-run";
import { getRunProgress } from "@/lib/runs/queries";
import { importSamples } from "@/lib/samples/import";
import { useFakeLlm } from "./fake-llm";
import { assertNoHalfWrittenSample, freePort, startWorker, waitFor } from "./run-helpers";
import { duplicatesStage } from "@/lib/pipeline/stages/duplicates";
import { testDir } from "./temp-dir";

// The set is made of BFCL's evaluation queries, repeated: stage 0 (duplicates & contamination) would discard it all.
// Only entries the fake judge passes: every sample goes through all five stages unless a fault stops it.
const BFCL_SET = [duplicatesStage.id];

const SAMPLES = 120;
const server = { dataDir: ".data/fault-postgres", port: 0 };
const llm = useFakeLlm({ latencyMs: 15 });

beforeAll(async () => {
  // A server left by an interrupted run of this file may still hold the data folder.
  await stopEmbeddedPostgres(server);
  server.port = await freePort();
  process.env.DATABASE_URL = await ensureEmbeddedPostgres(server);
  // A fresh schema each run: the server is this file's alone.
  const pool = await getPool();
  await pool.query(`DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE; CREATE SCHEMA public`);
  await closeDb();
  await migrate(process.env.DATABASE_URL);
});
afterAll(async () => {
  await stopBoss();
  await closeDb();
  await stopEmbeddedPostgres(server);
});

describe("PostgreSQL restarted mid-run", () => {
  it("the run resumes by itself and every sample is written exactly once", async () => {
    const dir = await testDir("studio-fault-");
    const file = path.join(dir, "set.json");
    await writeXlamSet(await loadBfclEntriesTheFakePasses(path.resolve("fixtures/bfcl")), SAMPLES, file);
    const imported = await importSamples({ datasetName: "fault", fileName: "set.json", input: createReadStream(file) });
    expect(imported.inserted).toBe(SAMPLES);
    process.env.STUDIO_LLM_BASE_URL = llm.url;
    const { runId } = await createRun({ datasetName: "fault", stages: "all", concurrency: 4, skipStages: BFCL_SET });
    await stopBoss();

    const worker = startWorker(llm.url, { STUDIO_JOB_EXPIRE_SECONDS: "5" });
    const exited = new Promise<number | null>((resolve) => worker.once("exit", resolve));
    const progress = () => getRunProgress(runId).then((p) => p!);
    try {
      await waitFor("some samples to finish", progress, (p) => p.finished >= 15);
      await stopEmbeddedPostgres(server);
      await new Promise((r) => setTimeout(r, 1_500));
      await ensureEmbeddedPostgres(server);
      const afterRestart = await waitFor("the database to answer again", progress, () => true);
      expect(afterRestart.finished, "the restart must land mid-run").toBeLessThan(SAMPLES);

      const end = await waitFor("the run to finish", progress, (p) => p.status !== "running", 180_000);
      expect(end).toMatchObject({ status: "succeeded", finished: SAMPLES, results: { passed: SAMPLES } });
      expect(worker.exitCode, "the worker survived the restart").toBeNull();
    } finally {
      worker.kill("SIGTERM");
      await exited;
    }
    const rows = await assertNoHalfWrittenSample(runId);
    expect(rows.every((r) => r.finished)).toBe(true);
    const pool = await getPool();
    const duplicated = await pool.query(
      `SELECT sample_id, stage, attempt, decided_by FROM stage_verdicts WHERE run_id = $1 GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`,
      [runId],
    );
    expect(duplicated.rows).toEqual([]);
  }, 300_000);
});
