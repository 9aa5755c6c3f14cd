// The discard audit on the real database: groups by stage and code with counts and an example reason, a group's
// samples paged by cursor, and restores (one, many, a whole group) that send samples back to the review queue and
// into their history. Checks are scoped to this file's own datasets: other test files share the database.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { seedDataset } from "@/test/seed";
import { discardedSamples, discardGroups, recentRestores, restoreGroup, restoreSamples } from "./discard-audit";
import { claimNext } from "./queue";

afterAll(() => closeDb());

interface Discard {
  stage: number | null;
  code: string | null;
  reason: string;
}

/** A dataset whose samples were discarded as given (plus one passed sample, which no group may count). */
async function seedDiscards(discards: Discard[]) {
  const seeded = await seedDataset([...discards.map(() => ({ status: "discarded" as const })), { status: "passed" as const }]);
  const pool = await getPool();
  await pool.query(
    `UPDATE samples s SET status_stage = d.stage, status_code = d.code, status_reason = d.reason
     FROM json_to_recordset($1::json) AS d(id int, stage smallint, code text, reason text) WHERE s.id = d.id`,
    [JSON.stringify(discards.map((d, i) => ({ id: seeded.ids[i], ...d })))],
  );
  return { ...seeded, discardedIds: seeded.ids.slice(0, discards.length) };
}

const times = (n: number, discard: Discard): Discard[] => Array.from({ length: n }, (_, i) => ({ ...discard, reason: `${discard.reason} ${i}` }));

describe("discardGroups", () => {
  it("groups discarded samples by stage and code, largest first, with an example reason", async () => {
    const { datasetId } = await seedDiscards([
      ...times(2, { stage: 3, code: "llm", reason: "Stage 3: the CoT does not lead to the answer" }),
      ...times(3, { stage: 4, code: "rule:unknown_argument", reason: "Stage 4: unknown argument" }),
      { stage: null, code: "human", reason: "Discarded by ann: duplicate" },
      // Discarded before stages and codes were recorded.
      { stage: 2, code: null, reason: "legacy, stage only" },
      { stage: null, code: null, reason: "legacy, nothing" },
    ]);
    const groups = await discardGroups({ datasetId });
    expect(groups).toEqual([
      { stage: 4, code: "rule:unknown_argument", count: 3, example: expect.stringMatching(/^Stage 4: unknown argument [0-2]$/) },
      { stage: 3, code: "llm", count: 2, example: expect.stringMatching(/^Stage 3: the CoT does not lead to the answer [01]$/) },
      { stage: 2, code: null, count: 1, example: "legacy, stage only" },
      { stage: null, code: "human", count: 1, example: "Discarded by ann: duplicate" },
      { stage: null, code: null, count: 1, example: "legacy, nothing" },
    ]);
    // Without a dataset, the groups cover every dataset: ours are part of them.
    const all = await discardGroups();
    expect(all.find((g) => g.stage === 4 && g.code === "rule:unknown_argument")!.count).toBeGreaterThanOrEqual(3);
  });
});

describe("discardedSamples", () => {
  it("pages a group's samples by cursor, both ways, and tells a group with a null stage from the others", async () => {
    const { datasetId, discardedIds, name } = await seedDiscards([
      ...times(5, { stage: 2, code: "llm", reason: "Stage 2: the tools do not fit" }),
      { stage: null, code: "llm", reason: "no stage" },
    ]);
    const group = { stage: 2, code: "llm" };
    const first = await discardedSamples(group, { datasetId }, { limit: 2 });
    expect(first.samples.map((s) => s.id)).toEqual(discardedIds.slice(0, 2));
    expect(first.samples[0]).toMatchObject({ dataset: name, reason: "Stage 2: the tools do not fit 0", query: expect.stringContaining("weather") });
    expect(first).toMatchObject({ before: null, after: discardedIds[1] });

    const second = await discardedSamples(group, { datasetId }, { after: first.after!, limit: 2 });
    expect(second.samples.map((s) => s.id)).toEqual(discardedIds.slice(2, 4));
    expect(second).toMatchObject({ before: discardedIds[2], after: discardedIds[3] });

    const last = await discardedSamples(group, { datasetId }, { after: second.after!, limit: 2 });
    expect(last.samples.map((s) => s.id)).toEqual([discardedIds[4]]);
    expect(last).toMatchObject({ before: discardedIds[4], after: null });

    const back = await discardedSamples(group, { datasetId }, { before: last.before!, limit: 2 });
    expect(back.samples.map((s) => s.id)).toEqual(discardedIds.slice(2, 4));
    expect(back).toMatchObject({ before: discardedIds[2], after: discardedIds[3] });

    const noStage = await discardedSamples({ stage: null, code: "llm" }, { datasetId });
    expect(noStage.samples.map((s) => s.id)).toEqual([discardedIds[5]]);
    expect(noStage).toMatchObject({ before: null, after: null });
  });
});

describe("restore", () => {
  it("sends chosen samples back to review as flagged, records who and why, and the queue hands them out", async () => {
    const { datasetId, discardedIds, ids } = await seedDiscards(times(3, { stage: 4, code: "rule:wrong_type", reason: "wrong type" }));
    const result = await restoreSamples([discardedIds[0], discardedIds[1], ids[3]], { author: "human:uma", reason: "the rule misread floats" });
    // The passed sample cannot be restored: said so, and nothing else fails.
    expect(result).toEqual({ jobId: expect.any(Number), restored: 2, failed: 1, failures: [{ sampleId: ids[3], message: "is not discarded (it is passed)" }] });

    const pool = await getPool();
    const { rows } = await pool.query(`SELECT id, status, decided_by, status_reason FROM samples WHERE id = ANY($1) ORDER BY id`, [discardedIds]);
    expect(rows.map((r) => r.status)).toEqual(["flagged", "flagged", "discarded"]);
    expect(rows[0]).toMatchObject({ decided_by: "human", status_reason: "Restored to review by uma: the rule misread floats" });
    const history = await pool.query(`SELECT action, author, reason, status_before, status_after FROM review_decisions WHERE sample_id = $1`, [discardedIds[0]]);
    expect(history.rows).toEqual([
      { action: "restore", author: "human:uma", reason: "the rule misread floats", status_before: "discarded", status_after: "flagged" },
    ]);
    expect((await discardGroups({ datasetId })).map((g) => g.count)).toEqual([1]);

    const restores = await recentRestores({ datasetId });
    expect(restores.map((r) => r.sampleId).sort((a, b) => a - b)).toEqual(discardedIds.slice(0, 2));
    expect(restores[0]).toMatchObject({ author: "human:uma", reason: "the rule misread floats", query: expect.stringContaining("weather") });

    // The passed sample comes first in id order, then the restored ones.
    const handedOut = [await claimNext("vic", { datasetId }), await claimNext("wes", { datasetId }), await claimNext("xia", { datasetId })];
    expect(handedOut.sort((a, b) => a! - b!)).toEqual([discardedIds[0], discardedIds[1], ids[3]]);
  });

  it("restores a whole group, and only that group", async () => {
    const { datasetId } = await seedDiscards([
      ...times(4, { stage: 5, code: "rule:format", reason: "bad think block" }),
      ...times(2, { stage: 5, code: "llm", reason: "judge said no" }),
    ]);
    const result = await restoreGroup({ stage: 5, code: "rule:format" }, { datasetId }, { author: "human:yan", reason: "format rule fixed" });
    expect(result).toEqual({ jobId: expect.any(Number), restored: 4, failed: 0, failures: [] });
    expect((await discardGroups({ datasetId })).map(({ code, count }) => ({ code, count }))).toEqual([{ code: "llm", count: 2 }]);
  });

  it("refuses a restore without a reason", async () => {
    const { discardedIds } = await seedDiscards([{ stage: 1, code: "llm", reason: "x" }]);
    await expect(restoreSamples(discardedIds, { author: "human:zed", reason: "  " })).rejects.toThrow("a reason is required to restore");
  });
});
