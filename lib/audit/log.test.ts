// The audit log on the real database: append-only whatever the app tries, filters and pages, and an import
// recording itself in the same transaction as its job.
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { importSamples } from "@/lib/samples/import";
import { listAudit, recordAudit } from "./log";

afterAll(() => closeDb());

const tag = Math.random().toString(36).slice(2, 8);

describe("audit log", () => {
  it("refuses updates, deletes and truncation", async () => {
    await recordAudit({ actor: `human:${tag}@x`, action: "test.append", summary: "first" });
    const pool = await getPool();
    await expect(pool.query(`UPDATE audit_log SET summary = 'changed' WHERE actor = $1`, [`human:${tag}@x`])).rejects.toThrow(/append-only: UPDATE/);
    await expect(pool.query(`DELETE FROM audit_log WHERE actor = $1`, [`human:${tag}@x`])).rejects.toThrow(/append-only: DELETE/);
    await expect(pool.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE/);
    const { entries } = await listAudit({ actor: `human:${tag}@x` });
    expect(entries.map((e) => e.summary)).toEqual(["first"]);
  });

  it("filters by who, action prefix and target, newest first, in pages", async () => {
    const actor = `human:pager-${tag}@x`;
    for (let i = 1; i <= 5; i++) {
      await recordAudit({ actor, action: i % 2 ? "decision.approve" : "decision.discard", target: { type: "sample", id: i }, summary: `#${i}`, before: { status: "passed" }, after: { status: "approved" } });
    }
    await recordAudit({ actor, action: "export", summary: "other" });
    const first = await listAudit({ actor, action: "decision.", limit: 2 });
    expect(first.entries.map((e) => e.summary)).toEqual(["#5", "#4"]);
    const second = await listAudit({ actor, action: "decision.", limit: 2, before: first.next! });
    expect(second.entries.map((e) => e.summary)).toEqual(["#3", "#2"]);
    const third = await listAudit({ actor, action: "decision.", limit: 2, before: second.next! });
    expect(third).toMatchObject({ entries: [{ summary: "#1", targetType: "sample", targetId: "1", before: { status: "passed" } }], next: null });
    expect((await listAudit({ actor, targetType: "sample", targetId: "4" })).entries.map((e) => e.action)).toEqual(["decision.discard"]);
  });

  it("an import records who imported what, good or failed", async () => {
    const actor = `human:importer-${tag}@x`;
    const ok = await importSamples({
      datasetName: `audit-${tag}`,
      fileName: "a.jsonl",
      input: Readable.from([JSON.stringify({ id: 1, query: "q", tools: "[]", answers: "[]" }) + "\n"]),
      actor,
    });
    expect(ok.ok).toBe(true);
    const failed = await importSamples({ datasetName: `audit-bad-${tag}`, fileName: "b.csv", input: Readable.from(["a,b\n"]), actor });
    expect(failed.ok).toBe(false);
    const { entries } = await listAudit({ actor });
    expect(entries.map((e) => e.summary)).toEqual([
      expect.stringMatching(/^Import of b\.csv into audit-bad-\w+ failed: /),
      `Imported a.jsonl into audit-${tag}: 1 added, 0 duplicates, 0 rejected`,
    ]);
  });
});
