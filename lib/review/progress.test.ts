// Review progress on the real database: the queue's size per dataset, the claims a reviewer holds, and each
// annotator's decisions today and overall. Other test files share the database, so every check looks at this
// file's own datasets and (unique) annotator names.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import type { SampleStatus } from "@/lib/samples/types";
import { seedDataset } from "@/test/seed";
import { decideOne } from "./decisions";
import { annotatorProgress, queueOverview } from "./progress";
import { claimNext } from "./queue";

afterAll(() => closeDb());

const name = (label: string) => `${label}-${randomBytes(3).toString("hex")}`;
const seed = (statuses: SampleStatus[]) => seedDataset(statuses.map((status) => ({ status })));

describe("queueOverview", () => {
  it("counts what needs a human per dataset, what is held, and what the asking reviewer holds", async () => {
    const busy = await seed(["passed", "passed", "flagged", "pending", "approved", "discarded", "text"]);
    const idle = await seed(["approved"]);
    const me = name("olga");
    const other = name("pia");
    const mine = await claimNext(me, { datasetId: busy.datasetId });
    await claimNext(other, { datasetId: busy.datasetId });

    const overview = await queueOverview(me);
    expect(overview.datasets.find((d) => d.id === busy.datasetId)).toEqual({ id: busy.datasetId, name: busy.name, passed: 2, flagged: 1, held: 2, reviewsPerSample: 1, awaitingAdjudication: 0 });
    // A dataset with nothing to review is listed too, with zeros.
    expect(overview.datasets.find((d) => d.id === idle.datasetId)).toEqual({ id: idle.datasetId, name: idle.name, passed: 0, flagged: 0, held: 0, reviewsPerSample: 1, awaitingAdjudication: 0 });
    expect(overview.yourClaims).toEqual([{ sampleId: mine, datasetId: busy.datasetId, until: expect.any(Date) }]);
    expect(overview.yourClaims[0].until.getTime()).toBeGreaterThan(Date.now());
  });

  it("counts a sample two reviewers hold once, their claims as theirs, and a disagreement as waiting for adjudication", async () => {
    const { datasetId, ids } = await seed(["passed", "passed"]);
    await (await getPool()).query(`UPDATE datasets SET reviews_per_sample = 2 WHERE id = $1`, [datasetId]);
    const [me, other] = [name("sam"), name("tia")];
    expect(await claimNext(me, { datasetId })).toBe(ids[0]);
    expect(await claimNext(other, { datasetId })).toBe(ids[0]);
    let overview = await queueOverview(me);
    expect(overview.datasets.find((d) => d.id === datasetId)).toMatchObject({ passed: 2, held: 1, reviewsPerSample: 2, awaitingAdjudication: 0 });
    expect(overview.yourClaims).toEqual([{ sampleId: ids[0], datasetId, until: expect.any(Date) }]);

    await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: `human:${me}` });
    await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "discard", reason: "wrong city", author: `human:${other}` });
    overview = await queueOverview(me);
    expect(overview.datasets.find((d) => d.id === datasetId)).toMatchObject({ passed: 2, held: 0, awaitingAdjudication: 1 });
    expect(overview.yourClaims).toEqual([]);
  });

  it("stops counting a claim once the sample is decided", async () => {
    const { datasetId, ids } = await seed(["passed", "passed"]);
    const me = name("quinn");
    await claimNext(me, { datasetId });
    await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: `human:${me}` });
    const overview = await queueOverview(me);
    expect(overview.datasets.find((d) => d.id === datasetId)).toMatchObject({ passed: 1, held: 0 });
    expect(overview.yourClaims).toEqual([]);
  });
});

describe("annotatorProgress", () => {
  it("counts each annotator's decisions today and in total, by kind, with the last one's time and what they hold", async () => {
    const { datasetId, ids } = await seed(["passed", "flagged", "passed", "discarded", "passed", "passed"]);
    const rae = name("rae");
    const sol = name("sol");
    const tom = name("tom");
    await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: `human:${rae}` });
    await decideOne({ sampleId: ids[1], expectedVersion: 1 }, { action: "discard", author: `human:${rae}`, reason: "wrong city" });
    await decideOne({ sampleId: ids[3], expectedVersion: 1 }, { action: "restore", author: `human:${rae}`, reason: "rule was wrong" });
    await decideOne({ sampleId: ids[2], expectedVersion: 1 }, { action: "approve", author: `human:${sol}` });
    // rae also decided something two days ago, and edited a sample today (an edit is not a decision).
    const pool = await getPool();
    await pool.query(
      `INSERT INTO review_decisions (sample_id, action, author, status_before, status_after, version, created_at) VALUES
       ($1, 'approve', $2, 'passed', 'approved', 1, now() - interval '2 days'),
       ($1, 'edit', $2, 'passed', 'passed', 1, now())`,
      [ids[4], `human:${rae}`],
    );
    // tom has not decided anything yet but holds a sample.
    await claimNext(tom, { datasetId });

    const progress = await annotatorProgress();
    const row = (who: string) => progress.find((p) => p.name === who);
    expect(row(rae)).toEqual({
      name: rae,
      today: 3,
      total: 4,
      approved: 2,
      discarded: 1,
      restored: 1,
      lastDecisionAt: expect.any(Date),
      holding: 0,
    });
    expect(row(sol)).toMatchObject({ today: 1, total: 1, approved: 1, discarded: 0, restored: 0, holding: 0 });
    expect(row(tom)).toEqual({ name: tom, today: 0, total: 0, approved: 0, discarded: 0, restored: 0, lastDecisionAt: null, holding: 1 });
    // Most recently active first: sol decided last.
    expect(progress.findIndex((p) => p.name === sol)).toBeLessThan(progress.findIndex((p) => p.name === rae));
    expect(row(rae)!.lastDecisionAt!.getTime()).toBeLessThanOrEqual(row(sol)!.lastDecisionAt!.getTime());
  });
});
