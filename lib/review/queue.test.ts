// The review queue on the real database: concurrent annotators never share a sample, the last sample goes to exactly
// one of two racers, abandoned claims come back, and decided samples are never handed out. Every claim here is
// scoped to the test's own dataset, since other test files share the database.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import type { SampleStatus } from "@/lib/samples/types";
import { seedDataset } from "@/test/seed";
import { decideOne } from "./decisions";
import { claimHolder, claimMinutes, claimNext, reclaim, releaseClaim } from "./queue";
import { peekNext } from "./queue-peek";

const savedMinutes = process.env.STUDIO_CLAIM_MINUTES;
afterEach(() => {
  if (savedMinutes === undefined) delete process.env.STUDIO_CLAIM_MINUTES;
  else process.env.STUDIO_CLAIM_MINUTES = savedMinutes;
});
afterAll(() => closeDb());

const passed = (n: number) => Array.from({ length: n }, () => ({ status: "passed" as SampleStatus }));

async function claims(ids: number[]) {
  const { rows } = await (await getPool()).query<{ id: number; claimed_by: string | null }>(
    `SELECT id, claimed_by FROM samples WHERE id = ANY($1) ORDER BY id`,
    [ids],
  );
  return rows;
}

describe("claimNext", () => {
  it("gives 20 annotators asking at once 20 different samples", async () => {
    const { datasetId, ids } = await seedDataset(passed(25));
    const users = Array.from({ length: 20 }, (_, i) => `racer-${i}`);
    const got = await Promise.all(users.map((user) => claimNext(user, { datasetId })));

    expect(got.every((id) => id !== null && ids.includes(id))).toBe(true);
    expect(new Set(got).size).toBe(20);
    // Each sample is held by the one who got it, and the lowest ids went first.
    const holders = new Map((await claims(ids)).map((r) => [r.id, r.claimed_by]));
    got.forEach((id, i) => expect(holders.get(id!)).toBe(users[i]));
    expect([...got].sort((a, b) => a! - b!)).toEqual(ids.slice(0, 20));
  });

  it("hands the last sample to exactly one of two annotators racing for it", async () => {
    for (let round = 0; round < 10; round++) {
      const { datasetId, ids } = await seedDataset(passed(1));
      const [a, b] = await Promise.all([claimNext("ana", { datasetId }), claimNext("ben", { datasetId })]);
      expect([a, b].filter((id) => id !== null)).toEqual(ids);
      expect((await claimHolder(ids[0]))?.user).toBe(a === null ? "ben" : "ana");
    }
  });

  it("gives an annotator back the sample they already hold, before any other", async () => {
    const { datasetId, ids } = await seedDataset(passed(3));
    expect(await claimNext("cleo", { datasetId })).toBe(ids[0]);
    expect(await claimNext("cleo", { datasetId })).toBe(ids[0]);
    // Prefetching the next one while the first is on screen: a second claim, then the first comes back again.
    expect(await claimNext("cleo", { datasetId, exclude: [ids[0]] })).toBe(ids[1]);
    expect(await claimNext("cleo", { datasetId })).toBe(ids[0]);
    expect(await claimNext("dan", { datasetId })).toBe(ids[2]);
    expect(await claimNext("eva", { datasetId })).toBeNull();
  });

  it("hands an expired claim to someone else", async () => {
    process.env.STUDIO_CLAIM_MINUTES = String(0.3 / 60); // 300 ms
    expect(claimMinutes()).toBeCloseTo(0.005);
    const { datasetId, ids } = await seedDataset(passed(1));
    expect(await claimNext("finn", { datasetId })).toBe(ids[0]);
    expect(await claimNext("gus", { datasetId })).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await claimHolder(ids[0])).toBeNull();
    expect(await claimNext("gus", { datasetId })).toBe(ids[0]);
    expect((await claimHolder(ids[0]))?.user).toBe("gus");
  });

  it("never hands out a sample that is not passed or flagged", async () => {
    const statuses: SampleStatus[] = ["pending", "text", "approved", "discarded", "flagged", "passed"];
    const { datasetId, ids } = await seedDataset(statuses.map((status) => ({ status })));
    expect(await claimNext("hal", { datasetId })).toBe(ids[4]);
    expect(await claimNext("ivy", { datasetId })).toBe(ids[5]);
    expect(await claimNext("jon", { datasetId })).toBeNull();

    // A decision ends the claim, and the decided sample never comes back.
    expect(await decideOne({ sampleId: ids[4], expectedVersion: 1 }, { action: "approve", author: "human:hal" })).toMatchObject({ ok: true });
    expect(await claimHolder(ids[4])).toBeNull();
    expect(await claimNext("hal", { datasetId })).toBeNull();
  });

  it("does not hand back a held sample that is being decided at that moment", async () => {
    const { datasetId, ids } = await seedDataset(passed(2));
    expect(await claimNext("kim", { datasetId })).toBe(ids[0]);

    // Someone approves the held sample in a transaction that commits while kim asks for the next one.
    const pool = await getPool();
    const other = await pool.connect();
    try {
      await other.query("BEGIN");
      await other.query(`UPDATE samples SET status = 'approved', claimed_by = NULL, claimed_until = NULL, version = version + 1 WHERE id = $1`, [ids[0]]);
      const asked = claimNext("kim", { datasetId });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await other.query("COMMIT");
      expect(await asked).toBe(ids[1]);
    } finally {
      other.release();
    }
    expect((await claims(ids)).map((r) => r.claimed_by)).toEqual([null, "kim"]);
  });

  it("only hands out the chosen dataset's samples", async () => {
    const first = await seedDataset(passed(1));
    const second = await seedDataset(passed(1));
    expect(await claimNext("lea", { datasetId: second.datasetId })).toBe(second.ids[0]);
    expect(await claimNext("lea", { datasetId: first.datasetId })).toBe(first.ids[0]);
  });
});

describe("releaseClaim", () => {
  it("gives a sample back to the queue, and only its holder can", async () => {
    const { datasetId, ids } = await seedDataset(passed(2));
    expect(await claimNext("max", { datasetId })).toBe(ids[0]);
    expect(await releaseClaim("ned", ids[0])).toBe(false);
    expect((await claimHolder(ids[0]))?.user).toBe("max");

    expect(await releaseClaim("max", ids[0])).toBe(true);
    expect(await claimHolder(ids[0])).toBeNull();
    expect(await claimNext("ned", { datasetId })).toBe(ids[0]);
    expect(await releaseClaim("max", ids[0])).toBe(false);
  });

  it("with skip, does not hand the sample to the same reviewer again for a claim's lifetime, in any queue; others get it", async () => {
    const { datasetId, ids } = await seedDataset(passed(2));
    expect(await claimNext("sam", { datasetId })).toBe(ids[0]);
    expect(await releaseClaim("sam", ids[0], { skip: true })).toBe(true);

    // Coming back (a fresh page: nothing excluded by the browser), Sam gets the next one, here and in the all-datasets queue.
    expect(await claimNext("sam", { datasetId })).toBe(ids[1]);
    expect(await peekNext("sam", { datasetId })).toBe(ids[1]);
    expect(await claimNext("tia", { datasetId })).toBe(ids[0]);
    expect(await releaseClaim("tia", ids[0])).toBe(true);
    expect(await decideOne({ sampleId: ids[1], expectedVersion: 1 }, { action: "approve", author: "human:sam" })).toMatchObject({ ok: true });
    expect(await claimNext("sam", { datasetId })).toBeNull();

    // Once the skip has run its course the sample is Sam's to take again.
    await (await getPool()).query(`UPDATE review_skips SET until = now() - interval '1 second' WHERE user_name = 'sam' AND sample_id = $1`, [ids[0]]);
    expect(await claimNext("sam", { datasetId })).toBe(ids[0]);
  });

  it("a skip taken back (reclaim): the reviewer holds the sample again and the queue hands it to them", async () => {
    const { datasetId, ids } = await seedDataset(passed(2));
    expect(await claimNext("uma", { datasetId })).toBe(ids[0]);
    expect(await releaseClaim("uma", ids[0], { skip: true })).toBe(true);
    expect(await reclaim("uma", ids[0])).toBe(true);
    expect((await claimHolder(ids[0]))?.user).toBe("uma");
    expect(await claimNext("uma", { datasetId })).toBe(ids[0]);
    // Someone else holding it meanwhile keeps it.
    expect(await claimNext("vic", { datasetId })).toBe(ids[1]);
    expect(await reclaim("uma", ids[1])).toBe(false);
    expect((await claimHolder(ids[1]))?.user).toBe("vic");
  });
});
