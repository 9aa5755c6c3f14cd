import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { importSamples } from "./import";

const tool = {
  name: "forecast",
  description: "Daily forecast for a city.",
  parameters: {
    city: { description: "City name.", type: "str", default: "" },
    days: { description: "Days ahead.", type: "int, optional", default: 1 },
  },
};
const xlam = (id: number, city: string) => ({
  id,
  query: `Weather in ${city}?`,
  tools: JSON.stringify([tool]),
  answers: JSON.stringify([{ name: "forecast", arguments: { city } }]),
});
const jsonl = (...lines: unknown[]) => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";
const source = (text: string) => Readable.from([Buffer.from(text)]);
let n = 0;
const uniqueName = (label: string) => `import-${label}-${process.pid}-${++n}`;

async function datasetRows(name: string) {
  const pool = await getPool();
  const { rows } = await pool.query(
    `SELECT s.source_id, s.query, s.tools, s.answer_kind, s.answer, s.cot, s.status FROM samples s
     JOIN datasets d ON d.id = s.dataset_id WHERE d.name = $1 ORDER BY s.id`,
    [name],
  );
  return rows;
}

async function datasetExists(name: string) {
  const pool = await getPool();
  return (await pool.query("SELECT 1 FROM datasets WHERE name = $1", [name])).rowCount === 1;
}

describe("importSamples", () => {
  it("imports an xLAM JSON array whose tools and answers are JSON strings, in file order", async () => {
    const name = uniqueName("array");
    const summary = await importSamples({
      datasetName: name,
      fileName: "x.json",
      input: source(JSON.stringify([xlam(1, "Lyon"), xlam(2, "Oslo"), xlam(3, "Lima")])),
    });
    expect(summary).toMatchObject({ ok: true, format: "xlam", total: 3, inserted: 3, duplicates: 0, rejected: 0 });
    const rows = await datasetRows(name);
    expect(rows.map((r) => r.source_id)).toEqual(["1", "2", "3"]);
    expect(rows[0]).toMatchObject({
      query: "Weather in Lyon?",
      tools: [tool],
      answer_kind: "calls",
      answer: [{ name: "forecast", arguments: { city: "Lyon" } }],
      cot: null,
      status: "pending",
    });
  });

  it("keeps the good records of a file with a bad one and names the bad one's line and field", async () => {
    const name = uniqueName("partial");
    const summary = await importSamples({
      datasetName: name,
      fileName: "x.jsonl",
      input: source(jsonl(xlam(1, "Lyon"), { ...xlam(2, "Oslo"), tools: 42 }, "{not json", xlam(4, "Lima"))),
    });
    expect(summary).toMatchObject({ ok: true, total: 4, inserted: 2, rejected: 2 });
    expect(summary.errors[0]).toMatchObject({ line: 2, field: "tools" });
    expect(summary.errors[1]).toMatchObject({ line: 3 });
    expect((await datasetRows(name)).map((r) => r.source_id)).toEqual(["1", "4"]);
  });

  it("adds nothing when the same file is imported again", async () => {
    const name = uniqueName("again");
    const file = jsonl(xlam(1, "Lyon"), xlam(2, "Oslo"));
    await importSamples({ datasetName: name, fileName: "x.jsonl", input: source(file) });
    const again = await importSamples({ datasetName: name, fileName: "x.jsonl", input: source(file) });
    expect(again).toMatchObject({ ok: true, inserted: 0, duplicates: 2 });
    expect(await datasetRows(name)).toHaveLength(2);
  });

  it("a record repeated in the file is stored once, into a new dataset and into one that has samples", async () => {
    const file = jsonl(xlam(1, "Lyon"), xlam(2, "Oslo"), xlam(1, "Lyon"), xlam(3, "Lima"), xlam(2, "Oslo"));
    const fresh = uniqueName("repeats-new");
    expect(await importSamples({ datasetName: fresh, fileName: "x.jsonl", input: source(file) })).toMatchObject({
      ok: true, total: 5, inserted: 3, duplicates: 2,
    });
    expect((await datasetRows(fresh)).map((r) => r.source_id)).toEqual(["1", "2", "3"]);

    const existing = uniqueName("repeats-existing");
    await importSamples({ datasetName: existing, fileName: "first.jsonl", input: source(jsonl(xlam(9, "Rome"))) });
    expect(await importSamples({ datasetName: existing, fileName: "x.jsonl", input: source(file) })).toMatchObject({
      ok: true, total: 5, inserted: 3, duplicates: 2,
    });
    expect((await datasetRows(existing)).map((r) => r.source_id)).toEqual(["9", "1", "2", "3"]);
  });

  it("two imports of one file at the same time still store each sample once", async () => {
    const name = uniqueName("race");
    const file = jsonl(...Array.from({ length: 50 }, (_, i) => xlam(i, `City ${i}`)));
    const [a, b] = await Promise.all([
      importSamples({ datasetName: name, fileName: "a.jsonl", input: source(file) }),
      importSamples({ datasetName: name, fileName: "b.jsonl", input: source(file) }),
    ]);
    expect(a.inserted + b.inserted).toBe(50);
    expect(await datasetRows(name)).toHaveLength(50);
  });

  it("in strict mode imports nothing, creates no dataset and lists the errors", async () => {
    const name = uniqueName("strict");
    const summary = await importSamples({
      datasetName: name,
      fileName: "x.jsonl",
      strict: true,
      input: source(jsonl(xlam(1, "Lyon"), { ...xlam(2, "Oslo"), query: 7 })),
    });
    expect(summary.ok).toBe(false);
    expect(summary.inserted).toBe(0);
    expect(summary.failure).toMatch(/strict/);
    expect(summary.errors[0]).toMatchObject({ line: 2, field: "query" });
    expect(await datasetExists(name)).toBe(false);
  });

  it.each([
    ["a truncated JSON array", JSON.stringify([xlam(1, "Lyon"), xlam(2, "Oslo")]).slice(0, -40), /truncat|end/i],
    ["a file that is not JSON", "id,query\n1,hello\n", /JSON|line 1/i],
    ["an empty file", "", /empty/i],
  ])("refuses %s with a clear error and writes nothing", async (_label, text, message) => {
    const name = uniqueName("bad-file");
    const summary = await importSamples({ datasetName: name, fileName: "bad.json", input: source(text) });
    expect(summary.ok).toBe(false);
    expect(summary.failure).toMatch(message);
    expect(summary.inserted).toBe(0);
    expect(await datasetExists(name)).toBe(false);
  });

  it("a failed import into an existing dataset leaves its samples untouched", async () => {
    const name = uniqueName("keep");
    await importSamples({ datasetName: name, fileName: "x.jsonl", input: source(jsonl(xlam(1, "Lyon"))) });
    const bad = await importSamples({ datasetName: name, fileName: "bad.json", input: source(`[${JSON.stringify(xlam(2, "Oslo"))},`) });
    expect(bad.ok).toBe(false);
    expect((await datasetRows(name)).map((r) => r.source_id)).toEqual(["1"]);
  });

  it("rejects a record with a 5 MB query, and one with a NUL character, keeping the rest", async () => {
    const name = uniqueName("huge");
    const summary = await importSamples({
      datasetName: name,
      fileName: "x.jsonl",
      input: source(jsonl({ ...xlam(1, "Lyon"), query: "q".repeat(5_000_000) }, { ...xlam(2, "Oslo"), query: "nul\u0000here" }, xlam(3, "Lima"))),
    });
    expect(summary).toMatchObject({ ok: true, inserted: 1, rejected: 2 });
    expect(summary.errors[0]).toMatchObject({ line: 1, field: "query" });
    expect(summary.errors[1]).toMatchObject({ line: 2, field: "query", message: expect.stringMatching(/NUL/) });
  });

  it("imports BFCL with its possible_answer file, and chat JSONL by auto-detection", async () => {
    const name = uniqueName("bfcl");
    const test = {
      id: "simple_0",
      question: [[{ role: "user", content: "Area of a triangle with base 10 and height 5?" }]],
      function: [{ name: "calc_area", description: "Area.", parameters: { type: "dict", properties: { base: { type: "integer" }, height: { type: "integer" }, unit: { type: "string" } }, required: ["base", "height"] } }],
    };
    const truth = { id: "simple_0", ground_truth: [{ calc_area: { base: [10], height: [5], unit: ["units", ""] } }] };
    const bfcl = await importSamples({ datasetName: name, fileName: "t.json", input: source(jsonl(test)), answers: source(jsonl(truth)) });
    expect(bfcl).toMatchObject({ ok: true, format: "bfcl", inserted: 1 });
    const chat = await importSamples({
      datasetName: name,
      fileName: "c.jsonl",
      input: source(
        jsonl({
          id: "c1",
          tools: test.function,
          messages: [
            { role: "user", content: "Area for base 3, height 4?" },
            { role: "assistant", content: "<think>Base 3, height 4.</think>\n\n[calc_area(base=3, height=4)]" },
          ],
        }),
      ),
    });
    expect(chat).toMatchObject({ ok: true, format: "chat", inserted: 1 });
    const rows = await datasetRows(name);
    expect(rows[0]).toMatchObject({ source_id: "simple_0", answer: [{ name: "calc_area", arguments: { base: 10, height: 5 } }] });
    expect(rows[1]).toMatchObject({ source_id: "c1", cot: "Base 3, height 4.", answer: [{ name: "calc_area", arguments: { base: 3, height: 4 } }] });
  });
});

describe("multi-turn formats: the first exchange is imported, the whole record kept", () => {
  const stockTool = {
    name: "get_stock_price",
    description: "Get the current stock price",
    parameters: { type: "object", properties: { symbol: { type: "string" } }, required: ["symbol"] },
  };
  const call = (symbol: string) => ({ name: "get_stock_price", arguments: { symbol } });

  async function storedRows(name: string) {
    const pool = await getPool();
    const { rows } = await pool.query(
      `SELECT s.source_id, s.query, s.answer_kind, s.answer, s.cot, s.follow_up, s.turns, s.source_record FROM samples s
       JOIN datasets d ON d.id = s.dataset_id WHERE d.name = $1 ORDER BY s.id`,
      [name],
    );
    return rows;
  }

  async function jobAndAudit(jobId: number) {
    const pool = await getPool();
    const job = await pool.query("SELECT further_turns FROM import_jobs WHERE id = $1", [jobId]);
    const audit = await pool.query(`SELECT summary, after FROM audit_log WHERE action = 'import' AND after->>'jobId' = $1`, [String(jobId)]);
    return { furtherTurns: job.rows[0].further_turns, audit: audit.rows[0] };
  }

  it("imports LLaMA-Factory sharegpt JSONL by auto-detection, a multi-turn record as a whole conversation, and counts the conversations", async () => {
    const name = uniqueName("sharegpt");
    const multi = {
      id: "m1",
      conversations: [
        { from: "human", value: "AAPL price?" },
        { from: "function_call", value: JSON.stringify(call("AAPL")) },
        { from: "observation", value: '{"price": 190}' },
        { from: "gpt", value: "Apple is at $190." },
        { from: "human", value: "And MSFT?" },
        { from: "function_call", value: JSON.stringify(call("MSFT")) },
      ],
      tools: JSON.stringify([stockTool]),
    };
    const single = { id: "s1", conversations: [{ from: "human", value: "IBM price?" }, { from: "function_call", value: JSON.stringify(call("IBM")) }], tools: JSON.stringify([stockTool]) };
    const malformed = {
      id: "bad-call",
      conversations: [{ from: "human", value: "TSLA price?" }, { from: "gpt", value: '<tool_call>{"name": "get_stock_price", "arguments": {"symbol": </tool_call>' }],
      tools: JSON.stringify([stockTool]),
    };
    const summary = await importSamples({
      datasetName: name,
      fileName: "sharegpt.jsonl",
      input: source(jsonl(multi, single, malformed, { id: "no-user", conversations: [{ from: "gpt", value: "hi" }] })),
    });
    expect(summary).toMatchObject({ ok: true, format: "sharegpt", total: 4, inserted: 3, rejected: 1, furtherTurns: 1 });
    expect(summary.errors[0]).toMatchObject({ line: 4, field: "conversations", message: "has no user turn (from human or user)" });
    const rows = await storedRows(name);
    expect(rows).toEqual([
      {
        source_id: "m1", query: "AAPL price?", answer_kind: "calls", answer: [call("AAPL")], cot: null, source_record: null, turns: 3,
        follow_up: [
          { role: "tool", content: '{"price": 190}' },
          { role: "assistant", cot: null, answer: { kind: "text", text: "Apple is at $190." } },
          { role: "user", content: "And MSFT?" },
          { role: "assistant", cot: null, answer: { kind: "calls", calls: [call("MSFT")] } },
        ],
      },
      { source_id: "s1", query: "IBM price?", answer_kind: "calls", answer: [call("IBM")], cot: null, follow_up: null, turns: 1, source_record: null },
      {
        source_id: "bad-call", query: "TSLA price?", answer_kind: "text", answer: malformed.conversations[1].value, cot: null, follow_up: null, turns: 1,
        source_record: null,
      },
    ]);
    const { furtherTurns, audit } = await jobAndAudit(summary.jobId);
    expect(furtherTurns).toBe(1);
    expect(audit.after).toMatchObject({ furtherTurns: 1 });
    expect(audit.summary).toContain("1 of them conversations of more than one exchange");
  });

  it("imports a Hermes JSON array and FunReason-MT style {role, content} JSONL", async () => {
    const name = uniqueName("hermes");
    const tools = `<tools>\n[${JSON.stringify({ type: "function", function: stockTool })}]\n</tools>`;
    const hermes = [
      {
        id: "h1",
        conversations: [
          { from: "system", value: `You are a function calling AI model. ${tools}` },
          { from: "human", value: "AAPL and MSFT prices?" },
          { from: "gpt", value: "<think>Two lookups.</think>\n<tool_call>\n{'name': 'get_stock_price', 'arguments': {'symbol': 'AAPL'}}\n</tool_call>\n<tool_call>\n{'name': 'get_stock_price', 'arguments': {'symbol': 'MSFT'}}\n</tool_call>" },
          { from: "tool", value: "<tool_response>\n{'price': 190}\n</tool_response>" },
        ],
      },
      { id: "h2", conversations: [{ from: "system", value: tools }, { from: "human", value: "Hello" }, { from: "gpt", value: "Hi! Which stock?" }] },
    ];
    const arrayImport = await importSamples({ datasetName: name, fileName: "hermes.json", input: source(JSON.stringify(hermes)) });
    expect(arrayImport).toMatchObject({ ok: true, format: "sharegpt", inserted: 2, rejected: 0, furtherTurns: 1 });

    const funreasonMt = {
      id: "mt1",
      conversations: [
        { role: "user", content: "NVDA price?" },
        { role: "assistant", content: '<think>Look it up.</think>\n<tool_call>\n{"name": "get_stock_price", "arguments": {"symbol": "NVDA"}}\n</tool_call>' },
        { role: "tool", content: '{"price": 120}' },
        { role: "assistant", content: "NVIDIA trades at $120." },
      ],
      tools: JSON.stringify([stockTool]),
      error_tool_response: false,
    };
    const jsonlImport = await importSamples({ datasetName: name, fileName: "mt.jsonl", input: source(jsonl(funreasonMt)) });
    expect(jsonlImport).toMatchObject({ ok: true, format: "sharegpt", inserted: 1, furtherTurns: 1 });

    const rows = await storedRows(name);
    expect(rows.map((r) => [r.source_id, r.answer_kind, r.answer, r.cot, r.turns, r.source_record])).toEqual([
      ["h1", "calls", [call("AAPL"), call("MSFT")], "Two lookups.", 1, null],
      ["h2", "text", "Hi! Which stock?", null, 1, null],
      ["mt1", "calls", [call("NVDA")], "Look it up.", 2, null],
    ]);
    expect(rows[0].follow_up).toEqual([{ role: "tool", content: "{'price': 190}" }]);
    expect(rows[2].follow_up).toEqual([
      { role: "tool", content: '{"price": 120}' },
      { role: "assistant", cot: null, answer: { kind: "text", text: "NVIDIA trades at $120." } },
    ]);
  });
});
