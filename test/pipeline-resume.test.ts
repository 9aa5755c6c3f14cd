// A worker killed with `kill -9` mid-run loses nothing: after a restart the run resumes, no verdict is duplicated
// or lost, and no sample is half-updated.
import { spawn, type ChildProcess } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBfclEntries, writeXlamSet } from "@/bench/generate-xlam";
import { getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { startFakeLlm, type FakeLlm } from "@/lib/llm/fake-server";
import { createRun } from "@/lib/runs/create-run";
import { getRunProgress } from "@/lib/runs/queries";
import { importSamples } from "@/lib/samples/import";

const SAMPLES = 150;
let llm: FakeLlm;

beforeAll(async () => {
  llm = await startFakeLlm({ latencyMs: 20 });
});
afterAll(async () => {
  await stopBoss();
  await llm.close();
});

function startWorker(): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "lib/jobs/worker-main.ts"], {
    env: {
      ...process.env,
      STUDIO_LLM_BASE_URL: llm.url,
      STUDIO_LLM_MODEL: "fake-judge",
      STUDIO_JOB_MAINTENANCE_SECONDS: "1",
    },
    stdio: ["ignore", "ignore", process.env.DEBUG_WORKER ? "inherit" : "ignore"],
  });
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every sample is either untouched (not finished in the run) or completely written (finished, verdicts, status). */
async function assertNoHalfWrittenSample(runId: number) {
  const pool = await getPool();
  const { rows } = await pool.query(
    `SELECT m.sample_id, m.finished_at IS NOT NULL AS finished, s.status, s.version,
       (SELECT count(*)::int FROM stage_verdicts v WHERE v.sample_id = s.id AND v.run_id = $1) AS verdicts,
       (SELECT count(*)::int FROM sample_revisions r WHERE r.sample_id = s.id AND r.run_id = $1) AS revisions
     FROM pipeline_run_samples m JOIN samples s ON s.id = m.sample_id WHERE m.run_id = $1`,
    [runId],
  );
  for (const r of rows) {
    if (r.finished) {
      // One write: the version moved once per revision (the generated CoT, and each regeneration).
      expect(r, `sample ${r.sample_id}`).toMatchObject({ status: "passed", version: 1 + r.revisions });
      expect(r.verdicts, `sample ${r.sample_id}`).toBeGreaterThanOrEqual(5);
      expect(r.revisions, `sample ${r.sample_id}`).toBeGreaterThanOrEqual(1);
    } else {
      expect(r, `sample ${r.sample_id}`).toMatchObject({ status: "pending", version: 1, verdicts: 0, revisions: 0 });
    }
  }
  return rows;
}

describe("a worker killed with kill -9 mid-run", () => {
  it("resumes after a restart with nothing lost, duplicated or half-written", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "studio-resume-"));
    const file = path.join(dir, "set.json");
    await writeXlamSet(await loadBfclEntries(path.resolve("fixtures/bfcl/")), SAMPLES, file);
    const dataset = `resume-${process.pid}`;
    const imported = await importSamples({ datasetName: dataset, fileName: "set.json", input: createReadStream(file) });
    expect(imported.inserted).toBe(SAMPLES);

    process.env.STUDIO_LLM_BASE_URL = llm.url;
    process.env.STUDIO_JOB_EXPIRE_SECONDS = "3"; // the jobs of a dead worker come back quickly in this test
    const { runId, total } = await createRun({ datasetName: dataset, stages: "all", concurrency: 8 });
    expect(total).toBe(SAMPLES);

    const first = startWorker();
    const progress = () => getRunProgress(runId).then((p) => p!);
    if (process.env.DEBUG_WORKER) setInterval(() => void progress().then((p) => console.log(p.status, p.finished)), 1000).unref();
    const before = await waitFor("some samples to finish", progress, (p) => p.finished >= 20);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atKill = await progress();
    expect(atKill.finished, "the kill must land mid-run").toBeLessThan(SAMPLES);
    expect(atKill.finished).toBeGreaterThanOrEqual(before.finished);
    await assertNoHalfWrittenSample(runId);

    const second = startWorker();
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
