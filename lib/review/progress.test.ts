// Review progress on the real database: the queue's size per dataset, the claims a reviewer holds, and each
// annotator's decisions today and overall. Other test files share the database, so every check looks at this
// file's own datasets and (unique) annotator names.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import type { SampleStatus } from "@/lib/samples/types";
import { seedDataset } from "@/test/seed";
import { decideOne } from "./decisions";
import { annotatorProgress, queueOverview, queueProgress } from "./progress";
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
      bulk: 0,
      medianSeconds: expect.any(Number),
      lastDecisionAt: expect.any(Date),
      holding: 0,
    });
    expect(row(sol)).toMatchObject({ today: 1, total: 1, approved: 1, discarded: 0, restored: 0, holding: 0 });
    expect(row(tom)).toEqual({ name: tom, today: 0, total: 0, approved: 0, discarded: 0, restored: 0, bulk: 0, medianSeconds: null, lastDecisionAt: null, holding: 1 });
    // Most recently active first: sol decided last.
    expect(progress.findIndex((p) => p.name === sol)).toBeLessThan(progress.findIndex((p) => p.name === rae));
    expect(row(rae)!.lastDecisionAt!.getTime()).toBeLessThanOrEqual(row(sol)!.lastDecisionAt!.getTime());
  });

  it("counts bulk decisions apart, and the median time between decisions in a row without pauses", async () => {
    const { ids } = await seed(["passed", "passed", "passed", "passed", "passed"]);
    const uma = name("uma");
    const pool = await getPool();
    const job = await pool.query<{ id: number }>(`INSERT INTO bulk_jobs (actor, action, target, total) VALUES ($1, 'approve', '{}', 1) RETURNING id`, [`human:${uma}`]);
    // Looked-at decisions 20 s, 40 s and then (after a 2-hour pause) 10 s apart; one bulk approve in between.
    await pool.query(
      `INSERT INTO review_decisions (sample_id, action, author, status_before, status_after, version, created_at, bulk_job_id) VALUES
       ($1, 'approve', $6, 'passed', 'approved', 2, now() - interval '7270 seconds', NULL),
       ($2, 'approve', $6, 'passed', 'approved', 2, now() - interval '7250 seconds', NULL),
       ($3, 'approve', $6, 'passed', 'approved', 2, now() - interval '7210 seconds', NULL),
       ($4, 'approve', $6, 'passed', 'approved', 2, now() - interval '10 seconds', NULL),
       ($5, 'approve', $6, 'passed', 'approved', 2, now(), NULL),
       ($5, 'approve', $6, 'passed', 'approved', 2, now() - interval '5 seconds', $7)`,
      [...ids, `human:${uma}`, job.rows[0].id],
    );
    const row = (await annotatorProgress()).find((p) => p.name === uma)!;
    expect(row).toMatchObject({ total: 5, approved: 5, bulk: 1 });
    // Gaps 20, 40, 10 (the pause is no time on a sample): median 20.
    expect(row.medianSeconds).toBeCloseTo(20, 3);
  });
});

describe("queueProgress", () => {
  it("counts what is left for the reviewer in this queue and what they did today; an overlap sample they voted on is not left", async () => {
    const single = await seed(["passed", "flagged", "approved"]);
    const vic = name("vic");
    expect(await queueProgress(vic, { datasetId: single.datasetId })).toEqual({ left: 2, doneToday: 0, medianSeconds: null });
    await decideOne({ sampleId: single.ids[0], expectedVersion: 1 }, { action: "approve", author: `human:${vic}` });
    expect(await queueProgress(vic, { datasetId: single.datasetId })).toMatchObject({ left: 1, doneToday: 1 });

    const overlap = await seed(["passed", "passed"]);
    await (await getPool()).query(`UPDATE datasets SET reviews_per_sample = 2 WHERE id = $1`, [overlap.datasetId]);
    const wes = name("wes");
    await decideOne({ sampleId: overlap.ids[0], expectedVersion: 1 }, { action: "approve", author: `human:${vic}` });
    // vic voted on the first: one left for vic, both for wes; nothing to adjudicate yet.
    expect(await queueProgress(vic, { datasetId: overlap.datasetId })).toMatchObject({ left: 1, doneToday: 2 });
    expect(await queueProgress(wes, { datasetId: overlap.datasetId })).toMatchObject({ left: 2, doneToday: 0 });
    await decideOne({ sampleId: overlap.ids[0], expectedVersion: 1 }, { action: "discard", reason: "no", author: `human:${wes}` });
    expect(await queueProgress(wes, { datasetId: overlap.datasetId })).toMatchObject({ left: 1 });
    expect(await queueProgress(wes, { datasetId: overlap.datasetId, mode: "adjudicate" })).toMatchObject({ left: 1 });
  });
});
