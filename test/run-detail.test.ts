// The Runs page's detail of a run (GET /api/runs/:id, lib/runs/run-detail.ts) on the real database: while the run
// runs, the detail every page polls is worked out at most once in its lifetime (a second for a small run) and shared,
// so watching a 60k run does not load the database; a run that stops running shows its new status and numbers at
// once.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { controlRun } from "@/lib/runs/control";
import { createRun } from "@/lib/runs/create-run";
import { getRunDetail } from "@/lib/runs/run-detail";
import { useOwnDatabase } from "./own-database";
import { seedDataset } from "./seed";

const ownDatabase = await useOwnDatabase("run_detail");
afterAll(async () => {
  await stopBoss();
  await closeDb();
  await ownDatabase.drop();
});

/** A rules-only run of three samples, no worker: it stays running, nothing finished. */
async function runningRun(): Promise<number> {
  const { name } = await seedDataset([{}, {}, {}], "run-detail");
  return (await createRun({ datasetName: name, stages: "rules" })).runId;
}

/** Its samples finished as a worker would mark them (the run's status is the worker's to change). */
async function finishSamples(runId: number) {
  await (await getPool()).query(
    `UPDATE pipeline_run_samples SET result = 'passed', finished_at = now(), stage_outcomes = '{1:pass,5:pass}' WHERE run_id = $1`,
    [runId],
  );
}

describe("the Runs page's detail of a run", () => {
  it("while the run runs: the same detail within a second, worked out anew after it; a new status at once", async () => {
    const runId = await runningRun();
    const at = (ms: number) => getRunDetail(runId, () => ms);
    expect((await at(0)).run).toMatchObject({ status: "running", total: 3, finished: 0 });

    await finishSamples(runId);
    // Polled again within the second (by this page, the list's poll, another page): the detail already worked out.
    expect((await at(500)).run).toMatchObject({ status: "running", finished: 0 });
    // After it: the samples the worker finished, with their stage outcomes.
    const fresh = (await at(1500)).run;
    expect(fresh).toMatchObject({ status: "running", finished: 3, results: { passed: 3 }, stages_: { 1: { pass: 3 }, 5: { pass: 3 } } });

    await (await getPool()).query(`UPDATE pipeline_run_samples SET result = NULL, finished_at = NULL WHERE run_id = $1`, [runId]);
    await controlRun(runId, "pause");
    // Paused a moment later: the new status and the numbers as they are now, not the second-old ones.
    expect((await at(1600)).run).toMatchObject({ status: "paused", finished: 0 });
  });

  it("an unknown run is a 404's error, not a detail", async () => {
    await expect(getRunDetail(2_000_000_000)).rejects.toThrow(/run 2000000000 does not exist/);
  });
});
