import { PassThrough, Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { FAILS_STAGE_4, seedDataset } from "@/test/seed";
import { exportSampleSet, exportSamples, UnknownDatasetError, withheldWarning, type ExportFormatId } from "./export";
import { importSamples } from "./import";

let n = 0;
const uniqueName = (label: string) => `export-${label}-${process.pid}-${++n}`;
const source = (body: string) => Readable.from([Buffer.from(body)]);

const xlamTools = [
  {
    name: "get_random_word",
    description: "A random French word.",
    parameters: {
      verbeconjugue: { description: "Conjugated verb?", type: "bool, optional", default: "" },
      minlong: { description: "Minimum length.", type: "str, optional", default: "" },
      avecdef: { description: "With definition?", type: "bool, optional", default: "" },
    },
  },
];
const bfclTools = [
  {
    name: "math.hypot",
    description: "Euclidean norm.",
    parameters: { type: "dict", properties: { x: { type: "float" }, y: { type: "float" }, tags: { type: "array", items: { type: "string" } } }, required: ["x", "y"] },
  },
];
const records = [
  { id: 1, query: "Give me a long French word with its definition.", tools: xlamTools, answers: [{ name: "get_random_word", arguments: { verbeconjugue: true, minlong: "7", avecdef: true } }] },
  { id: 2, query: "Norm of (3.5, 4)? Quote 'it' \"exactly\".", tools: bfclTools, answers: [{ name: "math.hypot", arguments: { x: 3.5, y: 4, tags: ["a'b", "c\\d\n"] } }, { name: "math.hypot", arguments: { x: -1e-7, y: 0 } }] },
  { id: 3, query: "Tell me a joke.", tools: xlamTools, answers: [], answer_text: "I can only fetch French words." },
];

/** Imports the records, gives them a CoT and a status, and returns the dataset name. */
async function seeded(statuses = ["passed", "approved", "text"]) {
  const name = uniqueName("src");
  const summary = await importSamples({ datasetName: name, fileName: "x.jsonl", format: "xlam", input: source(records.map((r) => JSON.stringify(r)).join("\n")) });
  expect(summary.inserted).toBe(records.length);
  const pool = await getPool();
  await pool.query(
    `UPDATE samples SET cot = 'Step 1: read the query.\nStep 2: ' || source_id, status = ($2::text[])[source_id::int]::"SampleStatus"
     WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1)`,
    [name, statuses],
  );
  return name;
}

async function exportText(datasetName: string, format: ExportFormatId, statuses?: string[]) {
  const out = new PassThrough();
  const body = text(out);
  const summary = await exportSamples({ datasetName, format, out, statuses: statuses as never });
  out.end();
  return { summary, lines: (await body).split("\n").filter(Boolean).map((l) => JSON.parse(l)) };
}

async function samplesOf(name: string) {
  const pool = await getPool();
  const { rows } = await pool.query(
    `SELECT source_id, query, tools, answer_kind, answer, cot FROM samples s JOIN datasets d ON d.id = s.dataset_id
     WHERE d.name = $1 ORDER BY source_id`,
    [name],
  );
  return rows;
}

describe("exportSamples", () => {
  it.each(["funreason", "xlam"] as const)("%s lines re-import to the same samples (round trip)", async (format) => {
    const name = await seeded();
    const { summary, lines } = await exportText(name, format);
    expect(summary.written).toBe(3);
    const copy = uniqueName(`copy-${format}`);
    const reimport = await importSamples({ datasetName: copy, fileName: "e.jsonl", input: source(lines.map((l) => JSON.stringify(l)).join("\n")) });
    expect(reimport).toMatchObject({ ok: true, inserted: 3, rejected: 0 });
    expect(await samplesOf(copy)).toEqual(await samplesOf(name));
    // And into the original dataset it adds nothing.
    const again = await importSamples({ datasetName: name, fileName: "e.jsonl", input: source(lines.map((l) => JSON.stringify(l)).join("\n")) });
    expect(again).toMatchObject({ inserted: 0, duplicates: 3 });
  });

  it("writes FunReason chat with BFCL's system prompt, the query and <think>CoT</think> then Python calls", async () => {
    const name = await seeded();
    const { lines } = await exportText(name, "funreason");
    const [first] = lines;
    expect(first.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user", "assistant"]);
    expect(first.messages[0].content).toContain(JSON.stringify(xlamTools));
    expect(first.messages[1].content).toBe(records[0].query);
    expect(first.messages[2].content).toBe(
      "<think>Step 1: read the query.\nStep 2: 1</think>\n\n[get_random_word(verbeconjugue=True, minlong='7', avecdef=True)]",
    );
  });

  it("writes OpenAI fine-tuning lines with tool_calls and JSON Schema tools", async () => {
    const name = await seeded();
    const { lines } = await exportText(name, "openai");
    const second = lines[1];
    expect(second.messages.at(-1).tool_calls).toEqual([
      { id: "call_0", type: "function", function: { name: "math.hypot", arguments: JSON.stringify({ x: 3.5, y: 4, tags: ["a'b", "c\\d\n"] }) } },
      { id: "call_1", type: "function", function: { name: "math.hypot", arguments: JSON.stringify({ x: -1e-7, y: 0 }) } },
    ]);
    expect(second.tools[0].function.parameters).toMatchObject({
      type: "object",
      properties: { x: { type: "number" }, tags: { type: "array", items: { type: "string" } } },
      required: ["x", "y"],
    });
    expect(lines[0].tools[0].function.parameters.properties.verbeconjugue).toMatchObject({ type: "boolean" });
    expect(lines[0].tools[0].function.parameters.required ?? []).toEqual([]);
  });

  it("exports only the refined set by default, any status on request, in id order, with verdicts in audit", async () => {
    const name = await seeded(["passed", "discarded", "pending"]);
    expect((await exportText(name, "xlam")).lines.map((l) => l.id)).toEqual(["1"]);
    const pool = await getPool();
    await pool.query(
      `INSERT INTO stage_verdicts (sample_id, stage, outcome, reason, decided_by)
       SELECT id, 2, 'fail', 'query not solvable with these tools', 'llm:judge' FROM samples
       WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1) AND source_id = '2'`,
      [name],
    );
    const audit = await exportText(name, "audit", ["discarded", "pending", "passed"]);
    expect(audit.lines.map((l) => l.source_id)).toEqual(["1", "2", "3"]);
    expect(audit.lines[1]).toMatchObject({
      status: "discarded",
      verdicts: [{ stage: 2, outcome: "fail", reason: "query not solvable with these tools", decidedBy: "llm:judge" }],
    });
  });

  it("writes a conversation whole: its follow-up in the audit line, every turn as ShareGPT; xLAM withholds it and says why", async () => {
    const name = `export-multiturn-${process.pid}`;
    const record = {
      id: "mt",
      conversations: [
        { from: "human", value: "AAPL?" },
        { from: "function_call", value: '{"name": "quote", "arguments": {"symbol": "AAPL"}}' },
        { from: "observation", value: "190" },
        { from: "gpt", value: "$190" },
      ],
      tools: JSON.stringify([{ name: "quote", parameters: { symbol: { type: "str" } } }]),
    };
    const single = { ...record, id: "one", conversations: [{ from: "human", value: "MSFT?" }, record.conversations[1]] };
    const input = Readable.from([JSON.stringify(record) + "\n" + JSON.stringify(single) + "\n"]);
    await importSamples({ datasetName: name, fileName: "x.jsonl", input });
    const audit = await exportText(name, "audit", ["pending"]);
    expect(audit.lines[0].follow_up).toEqual([
      { role: "tool", content: "190" },
      { role: "assistant", cot: null, answer: { kind: "text", text: "$190" } },
    ]);
    expect(audit.lines[1]).not.toHaveProperty("follow_up");
    const sharegpt = await exportText(name, "sharegpt", ["pending"]);
    expect(sharegpt.lines[0].conversations).toEqual([
      record.conversations[0],
      { from: "function_call", value: '[{"name":"quote","arguments":{"symbol":"AAPL"}}]' },
      ...record.conversations.slice(2),
    ]);
    const ids = audit.lines.map((line) => line.sample_id);
    const xlam = await exportText(name, "xlam", ["pending"]);
    expect(xlam.lines.map((line) => line.id)).toEqual(["one"]);
    expect(xlam.summary).toMatchObject({
      written: 1,
      withheld: 1,
      withheldSamples: [{ sampleId: ids[0], reason: "is a conversation of 2 assistant turns: an xLAM line holds one exchange (export it as FunReason, OpenAI or ShareGPT)" }],
    });
  });

  it("leaves a conversation whose tool results are marked deliberately wrong out of the refined set, unless asked for", async () => {
    const name = `export-error-tool-response-${process.pid}`;
    const conversation = (id: string, flagged: boolean) => ({
      id,
      messages: [
        { role: "user", content: `Quote ${id}?` },
        { role: "assistant", content: "<think>Look it up.</think>", tool_calls: [{ id: "q", type: "function", function: { name: "quote", arguments: `{"symbol": "${id}"}` } }] },
        { role: "tool", tool_call_id: "q", content: flagged ? "Error: the market is closed" : "190" },
        { role: "assistant", content: "<think>Report it.</think>\n\nDone." },
      ],
      tools: [{ name: "quote", description: "A quote", parameters: { type: "dict", properties: { symbol: { type: "string" } }, required: ["symbol"] } }],
      ...(flagged ? { error_tool_response: true } : {}),
    });
    const input = Readable.from([[conversation("AAPL", false), conversation("MSFT", true)].map((r) => JSON.stringify(r)).join("\n")]);
    await importSamples({ datasetName: name, fileName: "x.jsonl", input });
    const pool = await getPool();
    const { rows } = await pool.query<{ id: number }>(
      `UPDATE samples SET status = 'passed' WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1) RETURNING id`,
      [name],
    );
    const flagged = Math.max(...rows.map((r) => r.id));
    const refined = await exportText(name, "openai");
    expect(refined.summary).toMatchObject({
      written: 1,
      withheld: 1,
      withheldSamples: [{ sampleId: flagged, reason: "its tool results are marked deliberately wrong (error_tool_response): out of the refined set unless asked for" }],
    });
    expect(refined.lines[0].messages[1].content).toBe("Quote AAPL?");

    const out = new PassThrough();
    const body = text(out);
    const asked = await exportSamples({ datasetName: name, format: "openai", out, withErrorToolResponses: true });
    out.end();
    expect(asked).toMatchObject({ written: 2, withheld: 0 });
    expect((await body).split("\n").filter(Boolean).map((line) => JSON.parse(line).messages[3])).toEqual([
      { role: "tool", tool_call_id: "q", content: "190" },
      { role: "tool", tool_call_id: "q", content: "Error: the market is closed" },
    ]);
    const audit = await exportText(name, "audit");
    expect(audit.lines.map((line) => line.error_tool_response)).toEqual([undefined, true]);
  });

  it("re-checks the rules on every turn of a conversation: a later turn calling an unknown tool withholds it", async () => {
    const name = `export-later-turn-${process.pid}`;
    const record = {
      id: "later",
      messages: [
        { role: "user", content: "Quote AAPL." },
        { role: "assistant", content: "<think>Look it up.</think>", tool_calls: [{ type: "function", function: { name: "quote", arguments: '{"symbol": "AAPL"}' } }] },
        { role: "tool", content: "190" },
        { role: "user", content: "Now buy one." },
        { role: "assistant", content: "<think>Buy it.</think>", tool_calls: [{ type: "function", function: { name: "buy_stock", arguments: '{"symbol": "AAPL"}' } }] },
        { role: "tool", content: "done" },
        { role: "assistant", content: "<think>Report it.</think>\n\nBought." },
      ],
      tools: [{ name: "quote", description: "A quote", parameters: { type: "dict", properties: { symbol: { type: "string" } }, required: ["symbol"] } }],
    };
    await importSamples({ datasetName: name, fileName: "x.jsonl", input: Readable.from([JSON.stringify(record)]) });
    const pool = await getPool();
    const { rows } = await pool.query<{ id: number }>(`UPDATE samples SET status = 'passed' WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1) RETURNING id`, [name]);
    const { summary } = await exportText(name, "funreason");
    expect(summary).toMatchObject({ written: 0, withheld: 1, withheldSamples: [{ sampleId: rows[0].id }] });
    expect(summary.withheldSamples[0].reason).toMatch(/^fails turn 2, stage 2 \(rule:tool-names\)/);
  });

  it("says which dataset does not exist", async () => {
    await expect(exportText("no-such-dataset", "xlam")).rejects.toThrow(UnknownDatasetError);
  });
});

describe("the export re-checks the rules as it streams", () => {
  /** A refined set into which a bug elsewhere let two samples a rule fails (put straight into the database). */
  async function leaky() {
    return seedDataset([
      { status: "passed" },
      { ...FAILS_STAGE_4, status: "approved" },
      { status: "text" },
      { status: "passed", cot: null },
      { ...FAILS_STAGE_4, status: "flagged" },
    ]);
  }
  const NO_COT =
    "fails stage 3 (rule:cot-present): The sample has no chain of thought; stage 5 (rule:format): The training text is malformed: there is no <think> block — edit it to fix";

  it.each(["funreason", "xlam", "openai"] as const)("%s: a refined sample a rule fails is withheld, counted and named, in the summary and the job", async (format) => {
    const { name, ids } = await leaky();
    const { summary, lines } = await exportText(name, format);
    expect(summary).toMatchObject({
      written: 2,
      withheld: 2,
      withheldSamples: [
        { sampleId: ids[1], reason: FAILS_STAGE_4.refusal },
        { sampleId: ids[3], reason: NO_COT },
      ],
    });
    const queryOf = (line: { query?: string; messages?: { role: string; content: string }[] }) => line.query ?? line.messages!.find((m) => m.role === "user")!.content;
    expect(lines.map(queryOf)).toEqual(["What is the weather in city 0?", "What is the weather in city 2?"]);
    const { rows } = await (await getPool()).query(`SELECT status, written, withheld, withheld_samples FROM export_jobs WHERE id = $1`, [summary.jobId]);
    expect(rows[0]).toEqual({ status: "succeeded", written: 2, withheld: 2, withheld_samples: summary.withheldSamples });
    expect(withheldWarning(summary)).toBe(
      `warning: 2 samples were left out of the export: #${ids[1]} ${FAILS_STAGE_4.refusal}; #${ids[3]} ${NO_COT}`,
    );
  });

  it("statuses outside the refined set are written as asked, and the audit writes everything", async () => {
    const { name, ids } = await leaky();
    const flagged = await exportText(name, "xlam", ["flagged"]);
    expect(flagged.summary).toMatchObject({ written: 1, withheld: 0, withheldSamples: [] });
    const audit = await exportText(name, "audit", ["passed", "approved", "text", "flagged"]);
    expect(audit.summary).toMatchObject({ written: 5, withheld: 0 });
    expect(audit.lines.map((l) => l.sample_id)).toEqual(ids);
  });

  it("a selection or filter export withholds them too", async () => {
    const { ids } = await leaky();
    const out = new PassThrough();
    const body = text(out);
    const summary = await exportSampleSet({ sampleIds: ids, format: "funreason", out });
    out.end();
    expect(summary).toMatchObject({ written: 3, withheld: 2, withheldSamples: [{ sampleId: ids[1] }, { sampleId: ids[3] }] });
    expect((await body).split("\n").filter(Boolean).map((l) => JSON.parse(l).sample_id)).toEqual([ids[0], ids[2], ids[4]]);
  });
});

describe("exportSampleSet", () => {
  it("writes exactly the given samples of several datasets, any status, in id order, each under its own dataset", async () => {
    const first = await seeded(["passed", "discarded", "pending"]);
    const second = await seeded(["flagged", "flagged", "flagged"]);
    const pool = await getPool();
    const { rows } = await pool.query<{ id: number }>(
      `SELECT s.id FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = ANY($1) ORDER BY s.id`,
      [[first, second]],
    );
    const ids = rows.map((r) => r.id);
    // Out of order and repeated, plus an id that does not exist (deleted since the table was loaded).
    const chosen = [ids[4], ids[1], ids[1], ids[0], 2_000_000_000];
    const out = new PassThrough();
    const body = text(out);
    const summary = await exportSampleSet({ sampleIds: chosen, format: "audit", out });
    out.end();
    const lines = (await body).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(summary).toMatchObject({ format: "audit", written: 3 });
    expect(lines.map((l) => [l.dataset, l.source_id, l.status])).toEqual([
      [first, "1", "passed"],
      [first, "2", "discarded"],
      [second, "2", "flagged"],
    ]);
  });
});
