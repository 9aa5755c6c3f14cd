// Several reviewers per sample, on the real database: each sample goes to exactly k different reviewers however many
// race for it, their votes stay blind until all are in, agreement decides, disagreement waits for an adjudicator, and
// undo and edits keep the round honest.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import type { SampleStatus } from "@/lib/samples/types";
import { seedDataset } from "@/test/seed";
import { decideOne } from "./decisions";
import { agreedReason, loadRound, roundFor, roundState } from "./overlap";
import { claimNext, releaseClaim } from "./queue";
import { peekNext } from "./queue-peek";
import { undoDecision } from "./undo";

afterAll(() => closeDb());

const passed = (n: number) => Array.from({ length: n }, () => ({ status: "passed" as SampleStatus }));

async function overlapDataset(n: number, k = 2) {
  const seeded = await seedDataset(passed(n), "overlap");
  await (await getPool()).query(`UPDATE datasets SET reviews_per_sample = $2 WHERE id = $1`, [seeded.datasetId, k]);
  return seeded;
}

async function sampleRow(id: number) {
  const { rows } = await (await getPool()).query<{ status: SampleStatus; version: number; decided_by: string | null; status_reason: string | null }>(
    `SELECT status, version, decided_by, status_reason FROM samples WHERE id = $1`,
    [id],
  );
  return rows[0];
}

async function vote(user: string, sampleId: number, action: "approve" | "discard", options: { canAdjudicate?: boolean } = {}) {
  const { version } = await sampleRow(sampleId);
  return decideOne({ sampleId, expectedVersion: version }, { action, author: `human:${user}`, reason: action === "discard" ? `${user} says no` : undefined }, options);
}

describe("the overlap queue (k reviewers per sample)", () => {
  it("hands each sample to exactly k different reviewers when 12 ask at once", async () => {
    const { datasetId, ids } = await overlapDataset(5, 2);
    const users = Array.from({ length: 12 }, (_, i) => `racer-${i}`);
    const got = await Promise.all(users.map((user) => claimNext(user, { datasetId })));

    const perSample = new Map<number, number>();
    for (const id of got) if (id !== null) perSample.set(id, (perSample.get(id) ?? 0) + 1);
    // 5 samples × 2 reviewers = 10 claims; the other two reviewers get nothing.
    expect(got.filter((id) => id === null)).toHaveLength(2);
    expect([...perSample.keys()].sort((a, b) => a - b)).toEqual(ids);
    expect([...perSample.values()].every((n) => n === 2)).toBe(true);
  });

  it("lets 12 reviewers work a queue through at once (claim, vote, claim…) with no vote refused and two votes per sample", async () => {
    const { datasetId, ids } = await overlapDataset(40, 2);
    const refused: string[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const user = `worker-${i}`;
        for (let id = await claimNext(user, { datasetId }); id !== null; id = await claimNext(user, { datasetId })) {
          const result = await vote(user, id, i % 3 === 0 ? "discard" : "approve");
          if (!result.ok) refused.push(`${user} on ${id}: ${JSON.stringify(result)}`);
        }
      }),
    );
    expect(refused).toEqual([]);
    const { rows } = await (await getPool()).query<{ votes: number }>(
      `SELECT count(v.*)::int AS votes FROM samples s LEFT JOIN review_votes v ON v.sample_id = s.id AND v.action IS NOT NULL WHERE s.id = ANY($1) GROUP BY s.id`,
      [ids],
    );
    expect(rows.every((r) => r.votes === 2)).toBe(true);
  });

  it("decides the sample when the k votes agree, and not before", async () => {
    const { datasetId, ids } = await overlapDataset(1, 2);
    expect(await claimNext("ana", { datasetId })).toBe(ids[0]);
    expect(await claimNext("ben", { datasetId })).toBe(ids[0]);
    const before = await sampleRow(ids[0]);

    const first = await vote("ana", ids[0], "approve");
    expect(first).toMatchObject({ ok: true, status: "passed", version: before.version, round: { votes: 1, k: 2, state: "open" } });
    // Ana is done with it; the queue does not hand it back to her, and a second vote is refused.
    expect(await claimNext("ana", { datasetId })).toBeNull();
    expect(await peekNext("ana", { datasetId })).toBeNull();
    expect(await vote("ana", ids[0], "approve")).toMatchObject({ ok: false, kind: "invalid", message: expect.stringContaining("already reviewed") });

    const second = await vote("ben", ids[0], "approve");
    expect(second).toMatchObject({ ok: true, status: "approved", version: before.version + 1, round: { votes: 2, k: 2, state: "agreed" } });
    expect(await sampleRow(ids[0])).toMatchObject({ status: "approved", decided_by: "human", status_reason: "Approved by ana and ben (2 of 2 reviews agree)" });
  });

  it("refuses a third reviewer while two hold or voted on a sample, and frees a slot when a claim is given back", async () => {
    const { datasetId, ids } = await overlapDataset(1, 2);
    await claimNext("ana", { datasetId });
    await claimNext("ben", { datasetId });
    expect(await claimNext("cleo", { datasetId })).toBeNull();
    expect(await vote("cleo", ids[0], "approve")).toMatchObject({ ok: false, kind: "invalid", message: expect.stringContaining("already has its 2 reviewers") });

    expect(await releaseClaim("ben", ids[0], { skip: true })).toBe(true);
    expect(await claimNext("ben", { datasetId })).toBeNull();
    expect(await claimNext("cleo", { datasetId })).toBe(ids[0]);
  });

  it("sends a sample whose votes disagree to adjudication, which only an adjudicator can decide", async () => {
    const { datasetId, ids } = await overlapDataset(1, 2);
    await claimNext("ana", { datasetId });
    await claimNext("ben", { datasetId });
    await vote("ana", ids[0], "approve");
    const second = await vote("ben", ids[0], "discard");
    expect(second).toMatchObject({ ok: true, status: "passed", round: { votes: 2, state: "disputed" } });

    // Out of the review queue, into the adjudication queue.
    expect(await claimNext("cleo", { datasetId })).toBeNull();
    expect(await peekNext("boss", { datasetId, mode: "adjudicate" })).toBe(ids[0]);
    expect(await vote("cleo", ids[0], "approve")).toMatchObject({ ok: false, kind: "invalid", message: expect.stringContaining("waits for adjudication") });
    expect(await claimNext("boss", { datasetId, mode: "adjudicate" })).toBe(ids[0]);
    expect(await claimNext("other-boss", { datasetId, mode: "adjudicate" })).toBeNull();

    const decided = await vote("boss", ids[0], "discard", { canAdjudicate: true });
    expect(decided).toMatchObject({ ok: true, status: "discarded" });
    const { rows } = await (await getPool()).query(`SELECT kind, author FROM review_decisions WHERE sample_id = $1 ORDER BY id`, [ids[0]]);
    expect(rows).toEqual([
      { kind: "vote", author: "human:ana" },
      { kind: "vote", author: "human:ben" },
      { kind: "adjudication", author: "human:boss" },
    ]);
    expect(await claimNext("boss", { datasetId, mode: "adjudicate" })).toBeNull();
  });

  it("keeps votes blind: a reviewer sees only their own until all are in; an adjudicator sees all", async () => {
    const { datasetId, ids } = await overlapDataset(1, 3);
    for (const user of ["ana", "ben", "cleo"]) await claimNext(user, { datasetId });
    await vote("ana", ids[0], "approve");
    await vote("ben", ids[0], "discard");
    const round = await loadRound(await getPool(), ids[0]);
    expect(round?.state).toBe("open");
    expect(roundFor(round, { name: "ben", canAdjudicate: false })?.votes.map((v) => v.user)).toEqual(["ben"]);
    expect(roundFor(round, { name: "cleo", canAdjudicate: false })?.votes).toEqual([]);
    expect(roundFor(round, { name: "boss", canAdjudicate: true })?.votes.map((v) => v.user)).toEqual(["ana", "ben"]);

    await vote("cleo", ids[0], "approve");
    const done = await loadRound(await getPool(), ids[0]);
    expect(roundFor(done, { name: "cleo", canAdjudicate: false })?.votes.map((v) => v.action)).toEqual(["approve", "discard", "approve"]);
  });

  it("undoes an open vote (the claim comes back, the version stays) and a deciding vote (the other vote still counts)", async () => {
    const { datasetId, ids } = await overlapDataset(1, 2);
    await claimNext("ana", { datasetId });
    await claimNext("ben", { datasetId });
    const ana = await vote("ana", ids[0], "approve");
    if (!ana.ok) throw new Error("ana's vote was refused");
    const version = (await sampleRow(ids[0])).version;
    expect(await undoDecision(ids[0], ana.decisionId, "human:ana")).toEqual({ version, status: "passed" });
    expect(await claimNext("ana", { datasetId })).toBe(ids[0]);
    const again = await vote("ana", ids[0], "approve");
    expect(again).toMatchObject({ ok: true, round: { votes: 1 } });

    const ben = await vote("ben", ids[0], "approve");
    expect(ben).toMatchObject({ ok: true, status: "approved" });
    if (!ben.ok) return;
    const undone = await undoDecision(ids[0], ben.decisionId, "human:ben");
    expect(undone.status).toBe("passed");
    expect((await loadRound(await getPool(), ids[0]))?.votes.map((v) => v.user)).toEqual(["ana"]);
    // Ben holds it again and can now disagree.
    expect(await claimNext("ben", { datasetId })).toBe(ids[0]);
    expect(await vote("ben", ids[0], "discard")).toMatchObject({ ok: true, status: "passed", round: { state: "disputed" } });
  });

  it("starts a new round when the sample changes (an edit bumps its version)", async () => {
    const { datasetId, ids } = await overlapDataset(1, 2);
    await claimNext("ana", { datasetId });
    await vote("ana", ids[0], "approve");
    await (await getPool()).query(`UPDATE samples SET version = version + 1 WHERE id = $1`, [ids[0]]);
    expect((await loadRound(await getPool(), ids[0]))?.votes).toEqual([]);
    expect(await claimNext("ana", { datasetId })).toBe(ids[0]);
  });

  it("leaves datasets with one review per sample exactly as before", async () => {
    const { datasetId, ids } = await seedDataset(passed(1));
    expect(await claimNext("ana", { datasetId })).toBe(ids[0]);
    expect(await claimNext("ben", { datasetId })).toBeNull();
    expect(await vote("ana", ids[0], "approve")).toMatchObject({ ok: true, status: "approved" });
    expect((await getPool()).query(`SELECT count(*)::int AS n FROM review_votes WHERE sample_id = $1`, [ids[0]])).resolves.toMatchObject({ rows: [{ n: 0 }] });
  });
});

describe("round rules", () => {
  it("says open, agreed or disputed", () => {
    expect(roundState(2, [{ action: "approve" }])).toBe("open");
    expect(roundState(2, [{ action: "approve" }, { action: "approve" }])).toBe("agreed");
    expect(roundState(3, [{ action: "approve" }, { action: "discard" }, { action: "approve" }])).toBe("disputed");
  });

  it("names every reviewer and their reasons in the agreed status", () => {
    expect(agreedReason("discard", [{ user: "ana", reason: "wrong city" }, { user: "ben", reason: "wrong city" }, { user: "cleo", reason: null }])).toBe(
      "Discarded by ana, ben and cleo (3 of 3 reviews agree): wrong city",
    );
  });
});
