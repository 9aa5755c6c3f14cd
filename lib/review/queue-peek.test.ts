// Peeking at the queue's next sample: the same sample claimNext then hands out, and nothing is claimed by looking.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { seedDataset } from "@/test/seed";
import { claimHolder, claimNext } from "./queue";
import { peekNext } from "./queue-peek";

afterAll(async () => {
  await closeDb();
});

describe("peekNext", () => {
  it("names the sample claimNext hands out next, without claiming it", async () => {
    const { datasetId, ids } = await seedDataset([{ status: "passed" }, { status: "pending" }, { status: "flagged" }, { status: "passed" }]);
    expect(await peekNext("ann", { datasetId })).toBe(ids[0]);
    expect(await claimHolder(ids[0])).toBeNull();

    // Skipping the one on screen: the next that needs a human (pending does not).
    expect(await peekNext("ann", { datasetId, exclude: [ids[0]] })).toBe(ids[2]);
    expect(await claimNext("ann", { datasetId, exclude: [ids[0]] })).toBe(ids[2]);
  });

  it("puts the reviewer's own claim first, passes over others' live claims, takes expired ones", async () => {
    const { datasetId, ids } = await seedDataset([{ status: "passed" }, { status: "passed" }, { status: "passed" }]);
    expect(await claimNext("bob", { datasetId })).toBe(ids[0]);
    const pool = await getPool();
    await pool.query(`UPDATE samples SET claimed_by = 'ann', claimed_until = now() + interval '5 minutes' WHERE id = $1`, [ids[2]]);
    expect(await peekNext("ann", { datasetId })).toBe(ids[2]);
    expect(await peekNext("cy", { datasetId })).toBe(ids[1]);

    await pool.query(`UPDATE samples SET claimed_until = now() - interval '1 second' WHERE id = $1`, [ids[0]]);
    expect(await peekNext("cy", { datasetId })).toBe(ids[0]);
    expect(await peekNext("cy", { datasetId, exclude: [ids[0], ids[1]] })).toBeNull();
  });
});
