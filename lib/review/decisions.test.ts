// Human decisions on the real database: the version check, what each decision writes, the judge snapshot, and the
// bulk form's per-sample failures.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { FAILS_STAGE_4, seedDataset } from "@/test/seed";
import { claimNext } from "./queue";
import { decideMany, decideOne } from "./decisions";
import { saveEdit } from "./edit";

afterAll(() => closeDb());

async function sample(id: number) {
  const { rows } = await (await getPool()).query(
    `SELECT status, version, decided_by, status_code, status_stage, status_reason, claimed_by FROM samples WHERE id = $1`,
    [id],
  );
  return rows[0];
}
async function decisions(id: number) {
  const { rows } = await (await getPool()).query(`SELECT * FROM review_decisions WHERE sample_id = $1 ORDER BY id`, [id]);
  return rows;
}

describe("decideOne", () => {
  it("approves on the version the reviewer saw, clears the claim and records the decision with the judge's view", async () => {
    const { ids } = await seedDataset([{ status: "passed" }]);
    const pool = await getPool();
    await pool.query(
      `INSERT INTO stage_verdicts (sample_id, stage, outcome, reason, decided_by) VALUES
       ($1, 3, 'fail', 'old', 'llm:m'), ($1, 3, 'pass', 'new', 'llm:m'), ($1, 4, 'pass', 'rule', 'rule:params')`,
      [ids[0]],
    );
    await pool.query(`UPDATE samples SET claimed_by = 'ann', claimed_until = now() + interval '1 minute' WHERE id = $1`, [ids[0]]);

    const result = await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: "human:ann" });
    expect(result).toEqual({ ok: true, version: 2, status: "approved", decisionId: expect.any(String) });
    expect(await sample(ids[0])).toMatchObject({
      status: "approved",
      version: 2,
      decided_by: "human",
      status_code: "human",
      status_reason: "Approved by ann",
      claimed_by: null,
    });
    const [row] = await decisions(ids[0]);
    // Only LLM verdicts, the latest per stage.
    expect(row).toMatchObject({ action: "approve", author: "human:ann", status_before: "passed", status_after: "approved", version: 2, judge_outcomes: { "3": "pass" } });
  });

  it("refuses a stale version with what the sample is now, and writes nothing", async () => {
    const { ids } = await seedDataset([{ status: "flagged" }]);
    await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "discard", author: "human:bea", reason: "wrong unit", stage: 4 });
    const stale = await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: "human:cy" });
    expect(stale).toMatchObject({ ok: false, kind: "conflict", current: { version: 2, status: "discarded" } });
    expect(await sample(ids[0])).toMatchObject({ status: "discarded", version: 2, status_stage: 4, status_reason: "Discarded by bea: wrong unit" });
    expect(await decisions(ids[0])).toHaveLength(1);
  });

  it("says what is wrong with a decision that cannot apply", async () => {
    const { ids } = await seedDataset([{ status: "passed" }]);
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "discard", author: "human:a" })).toEqual({
      ok: false,
      kind: "invalid",
      message: "a reason is required to discard",
    });
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "restore", author: "human:a", reason: "x" })).toEqual({
      ok: false,
      kind: "invalid",
      message: `Sample ${ids[0]} is not discarded (it is passed).`,
    });
    expect(await decideOne({ sampleId: 2_000_000_000, expectedVersion: 1 }, { action: "approve", author: "human:a" })).toEqual({
      ok: false,
      kind: "not-found",
    });
    expect(await sample(ids[0])).toMatchObject({ status: "passed", version: 1 });
  });

  it("refuses to approve a sample without an answer (it would enter the refined set empty), but discards it", async () => {
    const { ids } = await seedDataset([{ status: "flagged" }, { status: "flagged" }, { status: "passed" }]);
    await (await getPool()).query(`UPDATE samples SET answer_kind = NULL, answer = NULL WHERE id = ANY($1::int[])`, [ids.slice(0, 2)]);
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: "human:a" })).toEqual({
      ok: false,
      kind: "invalid",
      message: `Sample ${ids[0]} has no answer yet: regenerate or edit it before approving.`,
    });
    expect(await sample(ids[0])).toMatchObject({ status: "flagged", version: 1 });
    expect(await decisions(ids[0])).toHaveLength(0);

    const many = await decideMany(ids.slice(1), { action: "approve", author: "human:a" });
    expect(many).toEqual({ decided: 1, failures: [{ sampleId: ids[1], message: "has no answer yet: regenerate or edit it before approving" }] });
    expect((await sample(ids[2])).status).toBe("approved");

    const discarded = await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "discard", author: "human:a", reason: "no answer to give" });
    expect(discarded).toEqual({ ok: true, version: 2, status: "discarded", decisionId: expect.any(String) });
  });

  it("restores a discarded sample to review, where the queue hands it out", async () => {
    const { ids, datasetId } = await seedDataset([{ status: "discarded" }]);
    const result = await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "restore", author: "human:dee", reason: "judge was wrong" });
    expect(result).toEqual({ ok: true, version: 2, status: "flagged", decisionId: expect.any(String) });
    expect(await claimNext("dee", { datasetId })).toBe(ids[0]);
  });
});

describe("a person overrides the judges, never the rules", () => {
  it("refuses to approve a discarded sample whose answer fails a rule, says why, and approves it once edited to pass", async () => {
    const { ids } = await seedDataset([{ ...FAILS_STAGE_4, status: "discarded" }]);
    const refused = await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: "human:ann" });
    expect(refused).toEqual({ ok: false, kind: "invalid", message: `Sample ${ids[0]} ${FAILS_STAGE_4.refusal}.` });
    expect(await sample(ids[0])).toMatchObject({ status: "discarded", version: 1 });
    expect(await decisions(ids[0])).toHaveLength(0);

    const edit = { answer: '[detect_intents(text="will it rain tomorrow?", intents=["Weather"])]', cot: FAILS_STAGE_4.cot };
    expect(await saveEdit({ sampleId: ids[0], expectedVersion: 1 }, edit, "human:ann")).toEqual({ ok: true, version: 2 });
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 2 }, { action: "approve", author: "human:ann" })).toEqual({ ok: true, version: 3, status: "approved", decisionId: expect.any(String) });
  });

  it("restoring such a sample to review works, approving it after does not", async () => {
    const { ids } = await seedDataset([{ ...FAILS_STAGE_4, status: "discarded" }]);
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "restore", author: "human:bo", reason: "the judge was wrong" })).toMatchObject({
      ok: true,
      version: 2,
      status: "flagged",
    });
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 2 }, { action: "approve", author: "human:bo" })).toEqual({
      ok: false,
      kind: "invalid",
      message: `Sample ${ids[0]} ${FAILS_STAGE_4.refusal}.`,
    });
    expect(await sample(ids[0])).toMatchObject({ status: "flagged", version: 2 });
  });

  it("checks the version it approves: a stale version is a conflict, whatever the rules say about either", async () => {
    const { ids } = await seedDataset([{ status: "flagged" }]);
    // Someone replaced the answer with one that fails a rule after the reviewer loaded version 1.
    await (await getPool()).query(`UPDATE samples SET tools = $2, answer = $3, version = 2 WHERE id = $1`, [
      ids[0],
      JSON.stringify(FAILS_STAGE_4.tools),
      JSON.stringify(FAILS_STAGE_4.calls),
    ]);
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: "human:cy" })).toMatchObject({ ok: false, kind: "conflict" });
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 2 }, { action: "approve", author: "human:cy" })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await sample(ids[0])).toMatchObject({ status: "flagged", version: 2 });
  });

  it("in bulk, approves the others and names each sample a rule fails, with the rule and its reason", async () => {
    const { ids } = await seedDataset([{ status: "passed" }, { ...FAILS_STAGE_4, status: "discarded" }, { status: "flagged", cot: null }, { status: "flagged" }]);
    const result = await decideMany(ids, { action: "approve", author: "human:dee" }, { batchSize: 3 });
    expect(result.decided).toBe(2);
    expect(result.failures).toEqual([
      { sampleId: ids[1], message: FAILS_STAGE_4.refusal },
      {
        sampleId: ids[2],
        message:
          "fails stage 3 (rule:cot-present): The sample has no chain of thought; stage 5 (rule:format): The training text is malformed: there is no <think> block — edit it to fix",
      },
    ]);
    expect((await Promise.all(ids.map(sample))).map((s) => s.status)).toEqual(["approved", "discarded", "flagged", "approved"]);
  });
});

describe("decideMany", () => {
  it("decides what it can and names each sample it could not, with why", async () => {
    const { ids } = await seedDataset([{ status: "passed" }, { status: "approved" }, { status: "flagged" }]);
    const result = await decideMany([...ids, ids[0], 2_000_000_001], { action: "approve", author: "human:eve" });
    expect(result.decided).toBe(2);
    expect(result.failures).toEqual([
      { sampleId: ids[1], message: "is already approved" },
      { sampleId: 2_000_000_001, message: "no such sample" },
    ]);
    expect((await sample(ids[2])).status).toBe("approved");
    expect(await decisions(ids[0])).toHaveLength(1);
  });

  it("works in batches over a large selection", async () => {
    const { ids } = await seedDataset(Array.from({ length: 230 }, () => ({ status: "passed" as const })));
    const result = await decideMany(ids, { action: "discard", author: "human:fay", reason: "off topic" }, { batchSize: 100 });
    expect(result).toEqual({ decided: 230, failures: [] });
    const { rows } = await (await getPool()).query(`SELECT count(*)::int AS n FROM review_decisions WHERE sample_id = ANY($1) AND action = 'discard'`, [ids]);
    expect(rows[0].n).toBe(230);
  });

  it("leaves a selected sample alone when it changed since the selection was loaded", async () => {
    const { ids } = await seedDataset([{ status: "passed" }, { status: "passed" }]);
    await decideOne({ sampleId: ids[1], expectedVersion: 1 }, { action: "discard", author: "human:gus", reason: "bad" });
    const result = await decideMany(ids, { action: "approve", author: "human:hal" }, { expectedVersions: new Map([[ids[0], 1], [ids[1], 1]]) });
    expect(result).toEqual({ decided: 1, failures: [{ sampleId: ids[1], message: "changed since you loaded it (now discarded)" }] });
    expect((await sample(ids[1])).status).toBe("discarded");
  });

  it("rejects a bad decision before touching anything", async () => {
    await expect(decideMany([1], { action: "discard", author: "human:x" })).rejects.toThrow("a reason is required to discard");
    await expect(decideMany([1], { action: "approve", author: "robot" })).rejects.toThrow("author must be human:<name>");
  });
});
