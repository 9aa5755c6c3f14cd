// Editing a sample: the rule stages judge the edit while it is typed (every failing field at once), a failing edit
// is refused, a good one is written as a human revision with its rule verdicts, and an edit of a stale version
// writes nothing and says who changed the sample.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { decideOne } from "@/lib/review/decisions";
import { seedDataset } from "@/test/seed";
import { parseEditedAnswer, saveEdit, validateEdit } from "./edit";

afterAll(async () => {
  await closeDb();
});

const TOOLS = [
  {
    name: "get_weather",
    description: "Current weather.",
    parameters: { city: { type: "str", description: "City." }, unit: { type: "str, optional", description: "celsius or fahrenheit" } },
  },
];
const sample = { query: "Weather in Lyon?", tools: TOOLS };
const COT = "The user asks for Lyon, so get_weather with city Lyon.";

describe("validateEdit", () => {
  it("passes calls the rules accept, in JSON or Python form", async () => {
    for (const answer of ['[{"name": "get_weather", "arguments": {"city": "Lyon"}}]', "[get_weather(city='Lyon')]"]) {
      const result = await validateEdit(sample, "calls", { answer, cot: COT });
      expect(result.ok).toBe(true);
      expect(result.answer).toEqual({ kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Lyon" } }] });
      expect(result.verdicts.map((v) => `${v.stage}:${v.outcome}`)).toEqual(["1:pass", "2:pass", "3:pass", "4:pass", "5:pass"]);
    }
  });

  it("names every failing field at once: unknown function, unknown and missing arguments, an empty CoT", async () => {
    const result = await validateEdit(sample, "calls", { answer: '[get_weather(town="Lyon"), get_wether(city="Paris")]', cot: "  " });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failing.map((f) => [f.stage, f.decidedBy, f.fields])).toEqual([
      [2, "rule:tool-names", ["calls[1].name"]],
      [3, "rule:cot-present", ["cot"]],
      [4, "rule:function-params", ["calls[0].arguments.town"]],
      [4, "rule:function-params", ["calls[0].arguments.city"]],
      [4, "rule:function-params", ["calls[1].name"]],
      // Without a CoT there is no <think> block either: stage 5 blames the CoT too.
      [5, "rule:format", ["cot"]],
    ]);
    // Each stage-4 problem is its own entry, with its own sentence.
    expect(result.failing.slice(2, 5).map((f) => f.reason)).toEqual([
      "get_weather(town=…): town is not a parameter of get_weather (it takes city, unit)",
      "get_weather(…): required parameter city is missing",
      "get_wether(…): there is no tool named get_wether (the tools are get_weather)",
    ]);
  });

  it("says where the calls stop parsing, and blames the CoT for a stray think tag", async () => {
    const broken = await validateEdit(sample, "calls", { answer: "[get_weather(city='Lyon']", cot: COT });
    expect(broken).toMatchObject({ ok: false, answer: null, failing: [{ stage: 5, fields: ["answer"] }] });
    if (!broken.ok) expect(broken.failing[0].reason).toMatch(/^The calls do not parse: .*offset \d+/);

    const stray = await validateEdit(sample, "calls", { answer: "[get_weather(city='Lyon')]", cot: "Lyon. </think> <think> again" });
    expect(stray.ok).toBe(false);
    if (!stray.ok) expect(stray.failing).toEqual([expect.objectContaining({ stage: 5, fields: ["cot"] })]);
  });

  it("fails a text answer that is a malformed call at stage 5 with the problem, on the answer; a fixed one becomes calls", async () => {
    const trailing = await validateEdit(sample, "text", { answer: "[get_weather(city='Lyon')]\nHope this helps!", cot: COT });
    expect(trailing.ok).toBe(false);
    if (!trailing.ok) {
      expect(trailing.failing).toEqual([
        { stage: 5, outcome: "fail", reason: "The training text is malformed: text after the call list: 'Hope this helps!'.", decidedBy: "rule:format", fields: ["answer"] },
      ]);
    }
    // A second think block left in the answer is the answer's problem, not the CoT's.
    const twoThinks = await validateEdit(sample, "text", { answer: "<think>again</think>[get_weather(city='Lyon')]", cot: COT });
    if (twoThinks.ok) throw new Error("two think blocks passed");
    expect(twoThinks.failing).toEqual([expect.objectContaining({ stage: 5, reason: "The training text is malformed: two <think> blocks.", fields: ["answer"] })]);

    const fixed = await validateEdit(sample, "text", { answer: "[get_weather(city='Lyon')]", cot: COT });
    expect(fixed).toMatchObject({ ok: true, answer: { kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Lyon" } }] } });
    // Plain text stays a text sample.
    expect(await validateEdit(sample, "text", { answer: "Which city do you mean?", cot: COT })).toMatchObject({ ok: true, answer: { kind: "text" } });
  });

  it("keeps a text sample's answer as text, and an empty call list cannot pass", async () => {
    expect(parseEditedAnswer("text", " I cannot check that. ")).toEqual({ ok: true, answer: { kind: "text", text: "I cannot check that." } });
    const empty = await validateEdit(sample, "calls", { answer: "[]", cot: COT });
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.failing[0]).toMatchObject({ stage: 1, outcome: "error", fields: ["answer"] });
  });
});

async function row(id: number) {
  const pool = await getPool();
  const { rows } = await pool.query(
    `SELECT s.status, s.version, s.answer, s.cot, s.decided_by, s.status_code, s.stage_outcomes,
       (SELECT count(*)::int FROM stage_verdicts WHERE sample_id = s.id) AS verdicts,
       (SELECT count(*)::int FROM sample_revisions WHERE sample_id = s.id) AS revisions
     FROM samples s WHERE s.id = $1`,
    [id],
  );
  return rows[0];
}

describe("saveEdit", () => {
  it("writes the edit as a revision by the reviewer, with its rule verdicts, and sends the sample back to review", async () => {
    const { ids } = await seedDataset([{ tools: TOOLS, calls: [{ name: "get_weather", arguments: { town: "Lyon" } }], cot: null, status: "discarded" }]);
    const result = await saveEdit({ sampleId: ids[0], expectedVersion: 1 }, { answer: '[get_weather(city="Lyon", unit="celsius")]', cot: COT }, "human:ann");
    expect(result).toEqual({ ok: true, version: 2 });
    expect(await row(ids[0])).toMatchObject({
      status: "flagged",
      version: 2,
      answer: [{ name: "get_weather", arguments: { city: "Lyon", unit: "celsius" } }],
      cot: COT,
      decided_by: "human",
      status_code: "human",
      stage_outcomes: ["1:pass", "2:pass", "3:pass", "4:pass", "5:pass"],
      verdicts: 5,
      revisions: 1,
    });
    const pool = await getPool();
    const revision = (await pool.query(`SELECT version, author, reason, cot_before, answer_before FROM sample_revisions WHERE sample_id = $1`, [ids[0]])).rows[0];
    expect(revision).toEqual({ version: 2, author: "human:ann", reason: "Edited by ann.", cot_before: null, answer_before: [{ name: "get_weather", arguments: { town: "Lyon" } }] });
  });

  it("refuses an edit the rules fail, and one that changes nothing, writing nothing", async () => {
    const { ids } = await seedDataset([{ tools: TOOLS, calls: [{ name: "get_weather", arguments: { city: "Lyon" } }], cot: COT, status: "passed" }]);
    const before = await row(ids[0]);
    const failing = await saveEdit({ sampleId: ids[0], expectedVersion: 1 }, { answer: '[get_weather(town="Lyon")]', cot: COT }, "human:ann");
    expect(failing).toMatchObject({ ok: false, kind: "invalid", failing: [{ stage: 4, fields: ["calls[0].arguments.town"] }, { stage: 4, fields: ["calls[0].arguments.city"] }] });
    const same = await saveEdit({ sampleId: ids[0], expectedVersion: 1 }, { answer: '[{"name": "get_weather", "arguments": {"city": "Lyon"}}]', cot: COT }, "human:ann");
    expect(same).toEqual({ ok: false, kind: "invalid", message: "Nothing changed.", failing: [] });
    expect(await row(ids[0])).toEqual(before);
  });

  it("an edit of a stale version is a conflict naming who changed the sample and when; nothing is overwritten", async () => {
    const { ids } = await seedDataset([{ tools: TOOLS, calls: [{ name: "get_weather", arguments: { city: "Lyon" } }], cot: COT, status: "passed" }]);
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author: "human:bea" })).toMatchObject({ ok: true, version: 2 });
    const before = await row(ids[0]);

    const stale = await saveEdit({ sampleId: ids[0], expectedVersion: 1 }, { answer: '[get_weather(city="Paris")]', cot: COT }, "human:ann");
    expect(stale).toMatchObject({ ok: false, kind: "conflict", current: { version: 2, status: "approved", by: "human:bea" } });
    if (!stale.ok && stale.kind === "conflict") expect(stale.current.updatedAt).toBeInstanceOf(Date);
    expect(await row(ids[0])).toEqual(before);

    expect(await saveEdit({ sampleId: 2_000_000_001, expectedVersion: 1 }, { answer: "[]", cot: "" }, "human:ann")).toEqual({ ok: false, kind: "not-found" });
  });
});

describe("editing a conversation's turns", () => {
  const followUp = [
    { role: "tool", content: '{"sky": "clear"}' },
    { role: "assistant", cot: "Report it.", answer: { kind: "text", text: "Clear in Lyon." } },
    { role: "user", content: "And Oslo?" },
    { role: "assistant", cot: "Oslo now.", answer: { kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Oslo" } }] } },
    { role: "tool", content: '{"sky": "snow"}' },
    { role: "assistant", cot: null, answer: { kind: "text", text: "Snow in Oslo." } },
  ];
  async function conversation(): Promise<number> {
    const { ids } = await seedDataset([{ query: "Weather in Lyon?", tools: TOOLS, calls: [{ name: "get_weather", arguments: { city: "Lyon" } }], cot: COT }]);
    await (await getPool()).query(`UPDATE samples SET follow_up = $2, turns = 4 WHERE id = $1`, [ids[0], JSON.stringify(followUp)]);
    return ids[0];
  }
  async function stored(id: number) {
    const pool = await getPool();
    const sample = (await pool.query(`SELECT answer, cot, follow_up, turns, status FROM samples WHERE id = $1`, [id])).rows[0];
    const revision = (await pool.query(`SELECT turn, reason, answer_before, answer_after, follow_up_before, follow_up_after FROM sample_revisions WHERE sample_id = $1 ORDER BY id DESC LIMIT 1`, [id])).rows[0];
    return { sample, revision };
  }

  it("a later turn's CoT: only that turn changes, nothing is cut, the revision names the turn", async () => {
    const id = await conversation();
    const saved = await saveEdit({ sampleId: id, expectedVersion: 1 }, { answer: '[get_weather(city="Oslo")]', cot: "The user now asks about Oslo.", turn: 3 }, "human:ann");
    expect(saved).toEqual({ ok: true, version: 2 });
    const { sample, revision } = await stored(id);
    expect(sample.follow_up).toEqual(followUp.map((m, i) => (i === 3 ? { ...m, cot: "The user now asks about Oslo." } : m)));
    expect(sample).toMatchObject({ turns: 4, status: "flagged", answer: [{ name: "get_weather", arguments: { city: "Lyon" } }], cot: COT });
    expect(revision).toMatchObject({ turn: 3, reason: "Edited turn 3 by ann.", follow_up_before: null });
  });

  it("a later turn's calls: the edit is checked as that turn, and what followed the old calls is cut (kept on the revision)", async () => {
    const id = await conversation();
    const refused = await saveEdit({ sampleId: id, expectedVersion: 1 }, { answer: '[get_weather(town="Oslo")]', cot: "Oslo now.", turn: 3 }, "human:ann");
    expect(refused).toMatchObject({ ok: false, kind: "invalid", failing: [{ stage: 4, fields: ["calls[0].arguments.town"] }, { stage: 4, fields: ["calls[0].arguments.city"] }] });

    const saved = await saveEdit({ sampleId: id, expectedVersion: 1 }, { answer: '[get_weather(city="Bergen")]', cot: "Oslo now.", turn: 3 }, "human:ann");
    expect(saved).toEqual({ ok: true, version: 2 });
    const { sample, revision } = await stored(id);
    expect(sample.follow_up).toHaveLength(4);
    expect(sample.follow_up[3].answer).toEqual({ kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Bergen" } }] });
    expect(sample.turns).toBe(3);
    expect(revision.reason).toBe("Edited turn 3 by ann. The 2 messages after turn 3 were removed: they followed calls no longer in the conversation.");
    expect(revision.follow_up_before).toEqual(followUp);
    expect(revision.follow_up_after).toEqual(sample.follow_up);
  });

  it("the first answer's calls: the rest of the conversation goes; its CoT alone: nothing goes", async () => {
    const id = await conversation();
    expect(await saveEdit({ sampleId: id, expectedVersion: 1 }, { answer: '[get_weather(city="Lyon")]', cot: "Lyon, plainly." }, "human:ann")).toEqual({ ok: true, version: 2 });
    expect((await stored(id)).sample.follow_up).toEqual(followUp);
    expect(await saveEdit({ sampleId: id, expectedVersion: 2 }, { answer: '[get_weather(city="Paris")]', cot: "Lyon, plainly." }, "human:ann")).toEqual({ ok: true, version: 3 });
    const { sample, revision } = await stored(id);
    expect(sample).toMatchObject({ follow_up: null, turns: 1 });
    expect(revision).toMatchObject({ turn: 1, follow_up_before: followUp, follow_up_after: [] });
  });

  it("a turn the sample does not have is refused", async () => {
    const id = await conversation();
    expect(await saveEdit({ sampleId: id, expectedVersion: 1 }, { answer: "Hi", cot: "", turn: 9 }, "human:ann")).toMatchObject({ ok: false, kind: "invalid", message: "The sample has no turn 9." });
  });
});
