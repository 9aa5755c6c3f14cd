// Bulk actions as recorded jobs, on the real database: the job's row (who, target, action, total, done, failed,
// status, times), its one audit entry, each sample's decision and audit entry linked to it, its progress while it
// runs, and a job whose process is alive never taken for an interrupted one.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { listAudit } from "@/lib/audit/log";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { FAILS_STAGE_4, seedDataset } from "@/test/seed";
import { runBulkAction } from "./bulk";
import { getBulkJob, listBulkJobs, runBulkJob, settleInterruptedBulkJobs } from "./bulk-jobs";
import { decideMany } from "./decisions";
import { restoreGroup } from "./discard-audit";

afterAll(async () => {
  await stopBoss();
  await closeDb();
});

/** A request key of the test's own (the database is shared with other test files). */
const newKey = () => randomBytes(16).toString("hex");

describe("a bulk action is a recorded job", () => {
  it("a bulk approve over a filter leaves a row saying who, what, on which filter, how many, and how it ended", async () => {
    const { datasetId, ids } = await seedDataset([{ status: "flagged" }, { ...FAILS_STAGE_4, status: "flagged" }, { status: "flagged" }, { status: "passed" }]);
    const query = `dataset=${datasetId}&status=flagged`;
    const before = new Date();
    const key = newKey();
    const result = await runBulkAction({ kind: "filter", query }, { action: "approve" }, "human:ann@example.test", key);
    expect(result).toMatchObject({ targeted: 3, done: 2, failed: 1 });

    const job = await getBulkJob(result.jobId);
    expect(job).toMatchObject({
      actor: "human:ann@example.test",
      action: "approve",
      target: { kind: "filter", query },
      status: "succeeded",
      total: 3,
      done: 2,
      failed: 1,
      failures: [{ sampleId: ids[1], message: FAILS_STAGE_4.refusal }],
      failure: null,
    });
    expect(new Date(job!.createdAt).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
    expect(new Date(job!.finishedAt!).getTime()).toBeGreaterThanOrEqual(new Date(job!.createdAt).getTime());
    // The browser finds it under the key it sent.
    expect((await listBulkJobs({ requestKey: key })).map((j) => j.id)).toEqual([result.jobId]);

    // The audit log: one entry for the bulk action, one per sample it decided, linked to it.
    const own = await listAudit({ targetType: "bulk", targetId: String(result.jobId) });
    expect(own.entries).toMatchObject([
      { actor: "human:ann@example.test", action: "bulk.approve", summary: `Bulk approve of 3 samples (filter dataset=${datasetId} status=flagged)`, bulkJobId: null },
    ]);
    const perSample = await listAudit({ bulkJobId: result.jobId });
    expect(perSample.entries.map((e) => [e.action, Number(e.targetId)]).sort()).toEqual([
      ["decision.approve", ids[0]],
      ["decision.approve", ids[2]],
    ]);
    // Each decision row is marked as part of it.
    const { rows } = await (await getPool()).query(`SELECT sample_id, bulk_job_id FROM review_decisions WHERE sample_id = ANY($1) ORDER BY sample_id`, [ids]);
    expect(rows).toEqual([
      { sample_id: ids[0], bulk_job_id: result.jobId },
      { sample_id: ids[2], bulk_job_id: result.jobId },
    ]);
  });

  it("records a selection by its size, a regeneration's and a restore's options, each linked to their samples", async () => {
    const { ids } = await seedDataset([{ status: "flagged" }, { status: "flagged" }]);
    const regenerated = await runBulkAction(
      { kind: "selection", samples: ids.map((id) => ({ id, version: 1 })) },
      { action: "regenerate", scope: "answer", instruction: "use metric units" },
      "human:bo@example.test",
    );
    expect(await getBulkJob(regenerated.jobId)).toMatchObject({
      action: "regenerate",
      options: { scope: "answer", instruction: "use metric units" },
      target: { kind: "selection", samples: 2 },
      status: "succeeded",
      total: 2,
      done: 2,
    });
    expect((await listAudit({ bulkJobId: regenerated.jobId })).entries.map((e) => e.action)).toEqual(["sample.regenerate", "sample.regenerate"]);

    const { datasetId } = await seedDataset([{ status: "discarded" }]);
    await (await getPool()).query(`UPDATE samples SET status_stage = 4, status_code = 'rule:bulk-test' WHERE dataset_id = $1`, [datasetId]);
    const restored = await restoreGroup({ stage: 4, code: "rule:bulk-test" }, { datasetId }, { author: "human:cy@example.test", reason: "rule fixed" });
    expect(await getBulkJob(restored.jobId)).toMatchObject({
      action: "restore",
      options: { reason: "rule fixed" },
      target: { kind: "group", stage: 4, code: "rule:bulk-test", datasetId },
      status: "succeeded",
      total: 1,
      done: 1,
    });
    expect((await listAudit({ targetType: "bulk", targetId: String(restored.jobId) })).entries.map((e) => e.action)).toEqual(["bulk.restore"]);
  });

  it("shows its progress batch by batch while it runs, and is never taken for an interrupted one meanwhile", async () => {
    const { ids } = await seedDataset(Array.from({ length: 5 }, () => ({ status: "flagged" as const })));
    const key = newKey();
    const seen: { status: string; done: number; settled: number[] }[] = [];
    const job = await runBulkJob(
      { actor: "human:di@example.test", action: "approve", target: { kind: "selection", samples: 5 }, requestKey: key, sampleIds: ids, batchSize: 2 },
      async (batch, bulkJobId) => {
        // Before each batch: what another request sees (the job holds its lock, so nothing settles it).
        const settled = await settleInterruptedBulkJobs();
        const [now] = await listBulkJobs({ requestKey: key });
        seen.push({ status: now.status, done: now.done, settled: settled.filter((id) => id === bulkJobId) });
        return decideMany(batch, { action: "approve", author: "human:di@example.test" }, { bulkJobId });
      },
    );
    expect(seen).toEqual([
      { status: "running", done: 0, settled: [] },
      { status: "running", done: 2, settled: [] },
      { status: "running", done: 4, settled: [] },
    ]);
    expect(job).toMatchObject({ status: "succeeded", total: 5, done: 5, failed: 0 });
  });

  it("an error half-way marks the job failed with how far it got, and the samples done stay done", async () => {
    const { ids } = await seedDataset(Array.from({ length: 4 }, () => ({ status: "flagged" as const })));
    let batches = 0;
    const key = newKey();
    const run = runBulkJob(
      { actor: "human:ed@example.test", action: "approve", target: { kind: "selection", samples: 4 }, requestKey: key, sampleIds: ids, batchSize: 2 },
      async (batch, bulkJobId) => {
        if (++batches === 2) throw new Error("the database went away");
        return decideMany(batch, { action: "approve", author: "human:ed@example.test" }, { bulkJobId });
      },
    );
    await expect(run).rejects.toThrow("the database went away");
    const [job] = await listBulkJobs({ requestKey: key });
    expect(job).toMatchObject({ actor: "human:ed@example.test", status: "failed", done: 2, failure: "stopped after 2 of 4: the database went away" });
  });
});
