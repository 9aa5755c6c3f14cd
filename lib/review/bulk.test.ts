// The table's bulk actions on the real database: on a selection (with the versions the table showed) and on a
// whole filter, each reporting per-sample failures; re-run creates pipeline runs over exactly the samples.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { FAILS_STAGE_4, seedDataset } from "@/test/seed";
import { BulkRequestError, BulkRequestSchema, LISTED_FAILURES, runBulkAction } from "./bulk";

afterAll(async () => {
  await stopBoss();
  await closeDb();
});

async function statuses(ids: number[]) {
  const { rows } = await (await getPool()).query<{ id: number; status: string }>(`SELECT id, status FROM samples WHERE id = ANY($1) ORDER BY id`, [ids]);
  return rows.map((r) => r.status);
}

describe("bulk actions on a selection", () => {
  it("approves what the reviewer saw; a row changed since, or already approved, or gone, is a listed failure", async () => {
    const { ids } = await seedDataset([{ status: "flagged" }, { status: "flagged" }, { status: "passed" }, { status: "approved" }]);
    const pool = await getPool();
    // Someone else decided the second sample after the table was loaded (its version moved to 2).
    await pool.query(`UPDATE samples SET status = 'discarded', version = 2 WHERE id = $1`, [ids[1]]);

    const result = await runBulkAction(
      { kind: "selection", samples: [...ids.map((id) => ({ id, version: 1 })), { id: 2_000_000_000, version: 1 }] },
      { action: "approve" },
      "human:ann",
    );
    expect(result).toMatchObject({ action: "approve", targeted: 5, done: 2, failed: 3 });
    expect(result.failures).toEqual([
      { sampleId: ids[1], message: "changed since you loaded it (now discarded)" },
      { sampleId: ids[3], message: "is already approved" },
      { sampleId: 2_000_000_000, message: "no such sample (deleted?)" },
    ]);
    expect(await statuses(ids)).toEqual(["approved", "discarded", "approved", "approved"]);
    const { rows } = await pool.query(`SELECT sample_id, action, author FROM review_decisions WHERE sample_id = ANY($1) ORDER BY sample_id`, [ids]);
    expect(rows).toEqual([
      { sample_id: ids[0], action: "approve", author: "human:ann" },
      { sample_id: ids[2], action: "approve", author: "human:ann" },
    ]);
  });

  it("never approves a sample a rule fails: it is a listed failure with the rule's reason, the others are approved", async () => {
    const { ids } = await seedDataset([{ status: "flagged" }, { ...FAILS_STAGE_4, status: "discarded" }, { status: "passed" }]);
    const result = await runBulkAction({ kind: "selection", samples: ids.map((id) => ({ id, version: 1 })) }, { action: "approve" }, "human:ann");
    expect(result).toMatchObject({ targeted: 3, done: 2, failed: 1, failures: [{ sampleId: ids[1], message: FAILS_STAGE_4.refusal }] });
    expect(await statuses(ids)).toEqual(["approved", "discarded", "approved"]);
  });

  it("queues a regeneration per sample and reports the ones already regenerating", async () => {
    const { ids } = await seedDataset([{ status: "flagged" }, { status: "flagged" }]);
    const selection = { kind: "selection" as const, samples: ids.map((id) => ({ id, version: 1 })) };
    const action = { action: "regenerate" as const, scope: "answer" as const, instruction: "use metric units" };
    expect(await runBulkAction(selection, action, "human:ann")).toMatchObject({ done: 2, failed: 0 });
    const again = await runBulkAction({ ...selection, samples: selection.samples.slice(0, 1) }, action, "human:ann");
    expect(again).toMatchObject({ done: 0, failed: 1, failures: [{ sampleId: ids[0], message: "a regenerate is already queued or running" }] });
    const { rows } = await (await getPool()).query(`SELECT sample_id, options FROM sample_tasks WHERE sample_id = ANY($1) ORDER BY id`, [ids]);
    expect(rows).toEqual(ids.map((id) => ({ sample_id: id, options: { scope: "answer", instruction: "use metric units" } })));
  });
});

describe("bulk actions on a whole filter", () => {
  it("discards with a reason everything the filter matches, and nothing else", async () => {
    const { datasetId, ids } = await seedDataset([
      { status: "flagged", stageOutcomes: ["1:pass", "4:fail"] },
      { status: "flagged", stageOutcomes: ["1:pass", "3:fail"] },
      { status: "passed", stageOutcomes: ["1:pass", "4:fail"] },
      { status: "flagged", stageOutcomes: ["1:pass", "4:fail"] },
    ]);
    const result = await runBulkAction(
      // Sort, page and columns of the table do not narrow the target.
      { kind: "filter", query: `dataset=${datasetId}&status=flagged&failing=4&sort=updated&after=2026-01-01T00:00:00.000Z_5&cols=id` },
      { action: "discard", reason: "hallucinated arguments", stage: 4 },
      "human:bo",
    );
    expect(result).toMatchObject({ targeted: 2, done: 2, failed: 0, failures: [] });
    expect(await statuses(ids)).toEqual(["discarded", "flagged", "passed", "discarded"]);
    const { rows } = await (await getPool()).query(`SELECT status_reason, status_stage FROM samples WHERE id = $1`, [ids[0]]);
    expect(rows[0]).toEqual({ status_reason: "Discarded by bo: hallucinated arguments", status_stage: 4 });
  });

  it("approving over a filter leaves out every sample a rule fails and says which", async () => {
    const { datasetId, ids } = await seedDataset([
      { status: "flagged" },
      { ...FAILS_STAGE_4, status: "flagged" },
      { status: "flagged" },
      { ...FAILS_STAGE_4, query: "Intents of 'snow in Oslo?'", status: "flagged" },
    ]);
    const result = await runBulkAction({ kind: "filter", query: `dataset=${datasetId}&status=flagged` }, { action: "approve" }, "human:bo");
    expect(result).toMatchObject({ targeted: 4, done: 2, failed: 2 });
    expect(result.failures).toEqual([
      { sampleId: ids[1], message: FAILS_STAGE_4.refusal },
      { sampleId: ids[3], message: FAILS_STAGE_4.refusal },
    ]);
    expect(await statuses(ids)).toEqual(["approved", "flagged", "approved", "flagged"]);
  });

  it("counts every failure but lists only the first ones", async () => {
    const { datasetId } = await seedDataset(Array.from({ length: LISTED_FAILURES + 5 }, () => ({ status: "approved" as const })));
    const result = await runBulkAction({ kind: "filter", query: `dataset=${datasetId}` }, { action: "approve" }, "human:bo");
    expect(result).toMatchObject({ targeted: LISTED_FAILURES + 5, done: 0, failed: LISTED_FAILURES + 5 });
    expect(result.failures).toHaveLength(LISTED_FAILURES);
  });

  it("refuses a filter with bad values instead of acting on more than was meant", async () => {
    await expect(runBulkAction({ kind: "filter", query: "status=flaged" }, { action: "approve" }, "human:bo")).rejects.toThrow(
      new BulkRequestError("filter: status: must be one of pending, passed, flagged, text, approved, discarded"),
    );
  });

  it("re-runs the stages over exactly the matching samples, one run per dataset, whatever their status", async () => {
    const a = await seedDataset([{ status: "approved", query: "bulk rerun alpha" }, { status: "pending", query: "other" }], "bulk-a");
    const b = await seedDataset([{ status: "discarded", query: "bulk rerun alpha" }], "bulk-b");
    const result = await runBulkAction({ kind: "filter", query: `q=${encodeURIComponent('"bulk rerun alpha"')}` }, { action: "rerun", stages: "rules" }, "human:bo");
    expect(result.done).toBe(2);
    expect(result.runs.map((r) => [r.dataset, r.total])).toEqual([
      [a.name, 1],
      [b.name, 1],
    ]);
    const { rows } = await (await getPool()).query<{ sample_id: number }>(
      `SELECT sample_id FROM pipeline_run_samples WHERE run_id = ANY($1) ORDER BY sample_id`,
      [result.runs.map((r) => r.runId)],
    );
    expect(rows.map((r) => r.sample_id)).toEqual([a.ids[0], b.ids[0]]);
  });

  it("says a full re-run needs an LLM, before creating any run", async () => {
    const saved = process.env.STUDIO_LLM_BASE_URL;
    delete process.env.STUDIO_LLM_BASE_URL;
    try {
      const { datasetId } = await seedDataset([{ status: "flagged" }]);
      await expect(runBulkAction({ kind: "filter", query: `dataset=${datasetId}` }, { action: "rerun", stages: "all" }, "human:bo")).rejects.toThrow(
        /needs an LLM/,
      );
      const { rows } = await (await getPool()).query(`SELECT 1 FROM pipeline_runs WHERE dataset_id = $1`, [datasetId]);
      expect(rows).toHaveLength(0);
    } finally {
      if (saved !== undefined) process.env.STUDIO_LLM_BASE_URL = saved;
    }
  });
});

describe("BulkRequestSchema", () => {
  it("names what is wrong in a request", () => {
    const discard = BulkRequestSchema.safeParse({ target: { kind: "filter", query: "" }, action: { action: "discard", reason: " " } });
    expect(discard.success ? null : discard.error.issues[0].message).toBe("a reason is required to discard");
    const empty = BulkRequestSchema.safeParse({ target: { kind: "selection", samples: [] }, action: { action: "approve" } });
    expect(empty.success ? null : empty.error.issues[0].message).toBe("select at least one sample");
  });
});
