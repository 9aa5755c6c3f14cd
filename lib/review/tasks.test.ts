// Asking for background sample tasks: one task and one queue job per sample, at the sample's version, and a clear
// failure for a sample that already has one running or does not exist.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { SAMPLE_TASK_QUEUE, stopBoss } from "@/lib/jobs/boss";
import { seedDataset } from "@/test/seed";
import { latestTasks, requestTasks } from "./tasks";

afterAll(async () => {
  await stopBoss();
  await closeDb();
});

describe("requestTasks", () => {
  it("queues one job per task, at each sample's version, and refuses a second while one is pending", async () => {
    const { ids } = await seedDataset([{ status: "passed" }, { status: "flagged" }]);
    const pool = await getPool();
    await pool.query(`UPDATE samples SET version = 7 WHERE id = $1`, [ids[1]]);

    const first = await requestTasks(ids, "regenerate", { scope: "answer", instruction: "use metric units" }, "human:gil");
    expect(first.failures).toEqual([]);
    expect(first.tasks.map((t) => t.sampleId)).toEqual(ids);
    const [task] = await latestTasks(ids[1]);
    expect(task).toMatchObject({ kind: "regenerate", status: "queued", sampleVersion: 7, requestedBy: "human:gil", options: { scope: "answer", instruction: "use metric units" } });
    const { rows } = await pool.query(`SELECT data FROM pgboss.job WHERE name = $1 AND (data->>'taskId')::int = ANY($2::int[])`, [
      SAMPLE_TASK_QUEUE,
      first.tasks.map((t) => t.taskId),
    ]);
    expect(rows).toHaveLength(2);

    const again = await requestTasks([ids[0], 2_000_000_002], "regenerate", {}, "human:gil");
    expect(again.tasks).toEqual([]);
    expect(again.failures).toEqual([
      { sampleId: ids[0], message: "a regenerate is already queued or running" },
      { sampleId: 2_000_000_002, message: "no such sample" },
    ]);
    // Another kind is independent.
    expect((await requestTasks([ids[0]], "recheck", { stages: "rules" }, "human:gil")).tasks).toHaveLength(1);
  });

  it("rejects options that do not fit the kind", async () => {
    await expect(requestTasks([1], "regenerate", { scope: "everything" } as never, "human:x")).rejects.toThrow();
  });
});
