// Dataset guidelines on the real database: every save a new version with the old ones kept, and every review
// decision — one, or in bulk — recording the version it was made under.
import { afterAll, describe, expect, it } from "vitest";
import { listAudit } from "@/lib/audit/log";
import { closeDb, getPool } from "@/lib/db/client";
import { decideMany, decideOne } from "@/lib/review/decisions";
import { claimNext } from "@/lib/review/queue";
import { seedDataset } from "@/test/seed";
import { getGuidelines } from "./get-guidelines";
import { saveGuidelines } from "./save-guidelines";

afterAll(() => closeDb());

const decisionVersions = async (ids: number[]) =>
  (await (await getPool()).query<{ sample_id: number; guidelines_version: number | null }>(`SELECT sample_id, guidelines_version FROM review_decisions WHERE sample_id = ANY($1) ORDER BY id`, [ids])).rows;

describe("saveGuidelines", () => {
  it("makes each save a new version, keeps the old ones readable, and audits who saved which", async () => {
    const { datasetId, name } = await seedDataset([{}], "guidelines");
    expect((await getGuidelines(name)).current).toBeNull();

    const first = await saveGuidelines(name, "# Rules\n\nApprove when the **city** is in the query.", "human:ada@studio.local");
    expect(first).toMatchObject({ datasetId, version: 1, author: "human:ada@studio.local", saved: true });
    const second = await saveGuidelines(name, "# Rules\n\nApprove when city *and* unit are in the query.", "human:bo@studio.local");
    expect(second).toMatchObject({ version: 2, saved: true });

    const read = await getGuidelines(name);
    expect(read.current).toMatchObject({ version: 2, body: "# Rules\n\nApprove when city *and* unit are in the query." });
    expect(read.versions.map((v) => [v.version, v.author])).toEqual([
      [2, "human:bo@studio.local"],
      [1, "human:ada@studio.local"],
    ]);
    expect((await getGuidelines(name, 1)).current?.body).toBe("# Rules\n\nApprove when the **city** is in the query.");

    const { entries } = await listAudit({ targetType: "dataset", targetId: String(datasetId), action: "guidelines.save" });
    expect(entries.map((e) => [e.actor, e.after])).toEqual([
      ["human:bo@studio.local", { version: 2 }],
      ["human:ada@studio.local", { version: 1 }],
    ]);
  });

  it("writes nothing when the text is the latest version's", async () => {
    const { name } = await seedDataset([{}], "guidelines-same");
    await saveGuidelines(name, "Same text", "human:ada");
    expect(await saveGuidelines(name, "Same text", "human:ada")).toMatchObject({ version: 1, saved: false });
    expect((await getGuidelines(name)).versions).toHaveLength(1);
  });

  it("refuses empty or too long text naming the field, and an unknown dataset or version", async () => {
    const { name } = await seedDataset([{}], "guidelines-bad");
    await expect(saveGuidelines(name, "  \n ", "human:ada")).rejects.toThrow("body is empty");
    await expect(saveGuidelines(name, "x".repeat(20_001), "human:ada")).rejects.toThrow("body is too long (20,000 characters at most)");
    await expect(saveGuidelines(`${name}-missing`, "text", "human:ada")).rejects.toThrow(`dataset "${name}-missing" does not exist`);
    await expect(getGuidelines(name, 3)).rejects.toThrow(`${name} has no guidelines version 3`);
    expect((await getGuidelines(name)).versions).toEqual([]);
  });

  it("gives two saves at the same moment two versions", async () => {
    const { name } = await seedDataset([{}], "guidelines-race");
    const saved = await Promise.all(["a", "b", "c"].map((body) => saveGuidelines(name, body, "human:ada")));
    expect(saved.map((g) => g.version).sort()).toEqual([1, 2, 3]);
  });
});

describe("a review decision records the guidelines version it was made under", () => {
  it("null without guidelines, then the version in force, for one decision and in bulk, in the audit entry too", async () => {
    const { name, ids } = await seedDataset([{ status: "passed" }, { status: "passed" }, { status: "passed" }, { status: "passed" }], "guided");
    const approve = { action: "approve" as const, author: "human:ann@studio.local" };

    expect(await decideOne({ sampleId: ids[0], expectedVersion: 1 }, approve)).toMatchObject({ ok: true });
    await saveGuidelines(name, "v1", "human:ada");
    expect(await decideOne({ sampleId: ids[1], expectedVersion: 1 }, approve)).toMatchObject({ ok: true });
    await saveGuidelines(name, "v2", "human:ada");
    expect(await decideMany([ids[2], ids[3]], { action: "discard", author: "human:ann@studio.local", reason: "off topic" })).toMatchObject({ decided: 2 });

    expect(await decisionVersions(ids)).toEqual([
      { sample_id: ids[0], guidelines_version: null },
      { sample_id: ids[1], guidelines_version: 1 },
      { sample_id: ids[2], guidelines_version: 2 },
      { sample_id: ids[3], guidelines_version: 2 },
    ]);
    const history = await listAudit({ targetType: "sample", targetId: String(ids[1]) });
    expect(history.entries[0].after).toEqual({ status: "approved", version: 2, guidelinesVersion: 1 });
    const without = await listAudit({ targetType: "sample", targetId: String(ids[0]) });
    expect(without.entries[0].after).toEqual({ status: "approved", version: 2 });
  });
});

describe("a vote of an overlap review (k reviewers per sample) records the guidelines version too", () => {
  it("each vote under the version in force when it was cast", async () => {
    const { datasetId, name, ids } = await seedDataset([{ status: "passed" }], "guided-votes");
    await (await getPool()).query(`UPDATE datasets SET reviews_per_sample = 2 WHERE id = $1`, [datasetId]);
    await saveGuidelines(name, "v1", "human:ada");
    expect(await claimNext("ana", { datasetId })).toBe(ids[0]);
    expect(await claimNext("ben", { datasetId })).toBe(ids[0]);
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: "human:ana" })).toMatchObject({ ok: true });
    await saveGuidelines(name, "v2", "human:ada");
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: "human:ben" })).toMatchObject({ ok: true });
    expect(await decisionVersions(ids)).toEqual([
      { sample_id: ids[0], guidelines_version: 1 },
      { sample_id: ids[0], guidelines_version: 2 },
    ]);
    const { entries } = await listAudit({ targetType: "sample", targetId: String(ids[0]), action: "decision.vote" });
    expect(entries.map((e) => (e.after as { guidelinesVersion?: number }).guidelinesVersion)).toEqual([2, 1]);
  });
});
