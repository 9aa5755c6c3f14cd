// Ids are sent to the browser as text (bigint), but lists must stay in numeric order: "10" sorts before "9" as text.
// A database of its own, so the ids start at 1 and cross from one digit to two.
import { afterAll, describe, expect, it } from "vitest";
import { listAudit, recordAudit } from "@/lib/audit/log";
import { closeDb, getPool } from "@/lib/db/client";
import { getSample } from "@/lib/samples/queries";
import { seedDataset } from "./seed";
import { useOwnDatabase } from "./own-database";

const ownDatabase = await useOwnDatabase("id_order");
afterAll(async () => {
  await closeDb();
  await ownDatabase.drop();
});

describe("lists keep numeric id order past 9", () => {
  it("the audit log, newest first", async () => {
    for (let i = 1; i <= 12; i++) await recordAudit({ actor: "human:order@x", action: "test.order", summary: `#${i}` });
    const { entries } = await listAudit({ actor: "human:order@x", limit: 20 });
    expect(entries.map((e) => e.summary)).toEqual(Array.from({ length: 12 }, (_, i) => `#${12 - i}`));
  });

  it("a sample's verdicts and revisions, oldest first", async () => {
    const { ids } = await seedDataset([{ status: "passed" }]);
    const pool = await getPool();
    for (let i = 1; i <= 12; i++) {
      await pool.query(`INSERT INTO stage_verdicts (sample_id, stage, outcome, reason, decided_by) VALUES ($1, 1, 'pass', $2, 'rule:x')`, [ids[0], `v${i}`]);
      await pool.query(`INSERT INTO sample_revisions (sample_id, version, reason, author) VALUES ($1, $2, $3, 'human:x')`, [ids[0], i + 1, `r${i}`]);
    }
    const sample = await getSample(ids[0]);
    expect(sample!.verdicts.map((v) => v.reason)).toEqual(Array.from({ length: 12 }, (_, i) => `v${i + 1}`));
    expect(sample!.revisions.map((r) => r.reason)).toEqual(Array.from({ length: 12 }, (_, i) => `r${i + 1}`));
  });
});
