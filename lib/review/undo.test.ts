// Undo on the real database: a decision comes back out exactly (status, who decided and why, the claim), as a new
// version with an `undo` in the history and the audit log, and counts in no figure; only the latest decision, only
// by its author, only while the sample is as the decision left it.
import { afterAll, describe, expect, it } from "vitest";
import { listAudit } from "@/lib/audit/log";
import { closeDb, getPool } from "@/lib/db/client";
import { seedDataset } from "@/test/seed";
import { decideOne } from "./decisions";
import { annotatorProgress } from "./progress";
import { claimNext } from "./queue";
import { latestUndoable, undoableAt, undoDecision } from "./undo";

afterAll(() => closeDb());

async function state(id: number) {
  const { rows } = await (await getPool()).query(
    `SELECT status, version, decided_by, status_code, status_stage, status_reason, claimed_by, claimed_until IS NOT NULL AS claimed FROM samples WHERE id = $1`,
    [id],
  );
  return rows[0];
}

describe("undoDecision", () => {
  it("puts the sample back exactly as it was before the decision, its reviewer holding it again, and records the undo", async () => {
    const { datasetId, ids } = await seedDataset([{ status: "passed" }]);
    const user = `undo-${process.pid}-${Date.now()}`;
    expect(await claimNext(user, { datasetId })).toBe(ids[0]);
    const before = await state(ids[0]);

    const decided = await decideOne({ sampleId: ids[0], expectedVersion: before.version }, { action: "discard", reason: "wrong city", stage: 4, author: `human:${user}` });
    if (!decided.ok) throw new Error("the discard was refused");
    expect(await state(ids[0])).toMatchObject({ status: "discarded", status_stage: 4, claimed_by: null });

    expect(await undoDecision(ids[0], decided.decisionId, `human:${user}`)).toEqual({ version: before.version + 2, status: "passed" });
    expect(await state(ids[0])).toEqual({ ...before, version: before.version + 2 });

    const { rows } = await (await getPool()).query(`SELECT action, status_before, status_after, undone_at IS NOT NULL AS undone FROM review_decisions WHERE sample_id = $1 ORDER BY id`, [ids[0]]);
    expect(rows).toEqual([
      { action: "discard", status_before: "passed", status_after: "discarded", undone: true },
      { action: "undo", status_before: "discarded", status_after: "passed", undone: false },
    ]);
    const { entries } = await listAudit({ targetType: "sample", targetId: String(ids[0]), action: "decision.undo" });
    expect(entries[0].summary).toBe(`Undid the discard of sample ${ids[0]} (back to passed)`);
    // The undone discard counts nowhere: not in the annotator's decisions.
    const mine = (await annotatorProgress()).find((a) => a.name === user);
    expect(mine?.total ?? 0).toBe(0);
  });

  it("refuses someone else's decision, one the sample has moved on from, and a second undo", async () => {
    const { ids } = await seedDataset([{ status: "passed" }]);
    const approve = await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: "human:ann" });
    if (!approve.ok) throw new Error("the approval was refused");
    await expect(undoDecision(ids[0], approve.decisionId, "human:bob")).rejects.toThrow("only ann, who made it, can undo this approval");

    const discard = await decideOne({ sampleId: ids[0], expectedVersion: approve.version }, { action: "discard", reason: "second thoughts", author: "human:bob" });
    if (!discard.ok) throw new Error("the discard was refused");
    await expect(undoDecision(ids[0], approve.decisionId, "human:ann")).rejects.toThrow(`sample ${ids[0]} changed after this approval: it cannot be undone, decide again instead`);

    await undoDecision(ids[0], discard.decisionId, "human:bob");
    await expect(undoDecision(ids[0], discard.decisionId, "human:bob")).rejects.toThrow("this discard was already undone");
    await expect(undoDecision(ids[0], "999999999", "human:bob")).rejects.toThrow(`sample ${ids[0]} has no decision 999999999 to undo`);
    expect((await state(ids[0])).status).toBe("approved");
  });

  it("offers the latest decision by number, not by its text: decision 10 comes after decision 9", async () => {
    const { ids } = await seedDataset([{ status: "passed" }]);
    const pool = await getPool();
    // Decision ids crossing a power of ten on this sample: 9…, then 10… (as on a fresh database).
    const { rows } = await pool.query<{ id: string }>(`SELECT (coalesce(max(id), 0) + 1)::text AS id FROM review_decisions`);
    const base = 10n ** BigInt(rows[0].id.length);
    // The sequence moves past both ids first: other test files insert decisions meanwhile, and must not get them.
    await pool.query(`SELECT setval(pg_get_serial_sequence('review_decisions', 'id'), $1::bigint)`, [String(base)]);
    await pool.query(
      `INSERT INTO review_decisions (id, sample_id, action, author, status_before, status_after, version) VALUES
         ($1, $3, 'undo', 'human:ann', 'discarded', 'passed', 1), ($2, $3, 'approve', 'human:ann', 'passed', 'approved', 2)`,
      [String(base - 1n), String(base), ids[0]],
    );
    await pool.query(`UPDATE samples SET version = 2, status = 'approved' WHERE id = $1`, [ids[0]]);
    expect(undoableAt(await latestUndoable(ids[0]), 2)).toEqual({ id: String(base), action: "approve", author: "human:ann" });
  });
});
