// "Use this version" on the real database: an earlier version becomes current again as a new revision, through the
// editor's checks (flagged for review); a version the rules fail is refused with the failing stage.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { FAILS_STAGE_4, seedDataset } from "@/test/seed";
import { saveEdit } from "./edit";
import { revertToVersion } from "./revert";

afterAll(() => closeDb());

const current = async (id: number) =>
  (await (await getPool()).query(`SELECT status, version, answer, cot FROM samples WHERE id = $1`, [id])).rows[0];
const revisions = async (id: number) =>
  (await (await getPool()).query<{ id: string; reason: string; author: string }>(`SELECT id::text, reason, author FROM sample_revisions WHERE sample_id = $1 ORDER BY sample_revisions.id`, [id])).rows;

describe("revertToVersion", () => {
  it("makes the original, or any revision's result, current again as a new revision sent back to review", async () => {
    const { ids } = await seedDataset([{ status: "passed", calls: [{ name: "get_weather", arguments: { city: "Lyon" } }], cot: "Lyon: get_weather." }]);
    const original = await current(ids[0]);
    expect(await saveEdit({ sampleId: ids[0], expectedVersion: 1 }, { answer: '[get_weather(city="Paris")]', cot: "Paris: get_weather." }, "human:ann")).toEqual({ ok: true, version: 2 });
    expect(await saveEdit({ sampleId: ids[0], expectedVersion: 2 }, { answer: '[get_weather(city="Rome")]', cot: "Rome: get_weather." }, "human:ann")).toEqual({ ok: true, version: 3 });

    expect(await revertToVersion({ sampleId: ids[0], expectedVersion: 3 }, "original", "human:bob")).toEqual({ ok: true, version: 4 });
    expect(await current(ids[0])).toMatchObject({ status: "flagged", version: 4, answer: original.answer, cot: original.cot });
    const [paris] = await revisions(ids[0]);
    expect(await revertToVersion({ sampleId: ids[0], expectedVersion: 4 }, paris.id, "human:bob")).toEqual({ ok: true, version: 5 });
    expect(await current(ids[0])).toMatchObject({ version: 5, answer: [{ name: "get_weather", arguments: { city: "Paris" } }], cot: "Paris: get_weather." });
    expect((await revisions(ids[0])).slice(2).map((r) => `${r.author} ${r.reason}`)).toEqual([
      "human:bob Reverted to the original by bob.",
      "human:bob Reverted to v2 by bob.",
    ]);

    // A stale version is a conflict; an unknown revision says so.
    expect(await revertToVersion({ sampleId: ids[0], expectedVersion: 4 }, "original", "human:bob")).toMatchObject({ ok: false, kind: "conflict" });
    expect(await revertToVersion({ sampleId: ids[0], expectedVersion: 5 }, "999999999", "human:bob")).toMatchObject({ ok: false, message: `sample ${ids[0]} has no such earlier version` });
  });

  it("refuses an earlier version a rule stage fails, naming the stage", async () => {
    const { ids } = await seedDataset([{ status: "discarded", ...FAILS_STAGE_4 }]);
    const fixed = { answer: JSON.stringify([{ name: "detect_intents", arguments: { text: "will it rain tomorrow?", intents: ["Weather"] } }]), cot: FAILS_STAGE_4.cot };
    expect(await saveEdit({ sampleId: ids[0], expectedVersion: 1 }, fixed, "human:ann")).toEqual({ ok: true, version: 2 });
    const result = await revertToVersion({ sampleId: ids[0], expectedVersion: 2 }, "original", "human:ann");
    expect(result).toMatchObject({ ok: false, kind: "invalid", failing: [expect.objectContaining({ stage: 4 })] });
    expect((await current(ids[0])).version).toBe(2);
  });
});
