// Issue 9 §5: hostile records get a per-record error, never a failed import, and keys named like JavaScript's
// object internals (`__proto__`, `constructor`) are data like any other, from import to every export.
import { PassThrough, Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { EditSchema, saveEdit, validateEdit } from "@/lib/review/edit";
import { exportSamples, type ExportFormatId } from "@/lib/samples/export";
import { importSamples } from "@/lib/samples/import";

afterAll(async () => {
  await closeDb();
});

let n = 0;
const uniqueName = (label: string) => `hostile-${label}-${process.pid}-${++n}`;
const source = (body: string | Buffer) => Readable.from([Buffer.from(body)]);
const xlam = (id: number, city: string) =>
  JSON.stringify({ id, query: `Weather in ${city}?`, tools: [{ name: "forecast", parameters: { city: { type: "str" } } }], answers: [{ name: "forecast", arguments: { city } }] });

async function stored(dataset: string) {
  const { rows } = await (await getPool()).query<{ id: number; source_id: string; query: string; tools: string; answer: string; version: number }>(
    `SELECT s.id, s.source_id, s.query, s.tools::text AS tools, s.answer::text AS answer, s.version FROM samples s
     JOIN datasets d ON d.id = s.dataset_id WHERE d.name = $1 ORDER BY s.id`,
    [dataset],
  );
  return rows;
}

describe("a record nested 5,000 deep", () => {
  const deep = (id: number) => {
    const nested = `${"[".repeat(5000)}"Lyon"${"]".repeat(5000)}`;
    return xlam(id, "Lyon").replace('{"city":"Lyon"}', `{"city":${nested}}`);
  };

  it.each([
    ["JSON Lines", (lines: string[]) => lines.join("\n"), 2],
    ["a JSON array", (lines: string[]) => `[\n${lines.join(",\n")}\n]`, 3],
  ])("is rejected with its line and field while the rest imports (%s)", async (_label, file, line) => {
    const dataset = uniqueName("deep");
    const summary = await importSamples({ datasetName: dataset, fileName: "x", input: source(file([xlam(1, "Oslo"), deep(2), xlam(3, "Lima")])) });
    expect(summary).toMatchObject({ ok: true, total: 3, inserted: 2, rejected: 1 });
    expect(summary.errors).toEqual([{ line, index: 1, field: "answers[0].arguments.city", message: expect.stringMatching(/more than 64 levels deep/) }]);
    expect((await stored(dataset)).map((r) => r.source_id)).toEqual(["1", "3"]);
  });

  it("inside a field written as JSON text (xLAM's tools string) is rejected the same way", async () => {
    const dataset = uniqueName("deep-string");
    const tools = `[{"name":"forecast","parameters":{"city":{"type":"str","default":${"[".repeat(3000)}${"]".repeat(3000)}}}}]`;
    const record = JSON.stringify({ id: 2, query: "Weather?", tools, answers: "[]" });
    const summary = await importSamples({ datasetName: dataset, fileName: "x.jsonl", input: source([xlam(1, "Oslo"), record].join("\n")) });
    expect(summary).toMatchObject({ ok: true, inserted: 1, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ line: 2, field: "tools[0].parameters.city.default", message: expect.stringMatching(/more than 64 levels deep/) });
  });

  it("in an edit is refused with a clear message (the edit routes answer 400), not a crash", async () => {
    const answer = `[forecast(city=${"[".repeat(5000)}'Lyon'${"]".repeat(5000)})]`;
    const parsed = EditSchema.safeParse({ answer, cot: "x" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe("answer nests lists, dicts or calls more than 64 levels deep; the limit is 64");
    // Brackets inside quoted strings are text, not nesting.
    expect(EditSchema.safeParse({ answer: `[forecast(city='${"[".repeat(5000)}')]`, cot: "x" }).success).toBe(true);
  });
});

describe("bytes that are not UTF-8", () => {
  const latin1 = (id: number) => Buffer.concat([Buffer.from(`{"id":${id},"query":"Caf`), Buffer.from([0xe9]), Buffer.from(` in Lyon?","tools":[{"name":"forecast"}],"answers":[]}`)]);

  it.each([
    ["JSON Lines", (records: Buffer[]) => Buffer.concat([records[0], Buffer.from("\n"), records[1], Buffer.from("\n"), records[2]]), 2],
    ["a JSON array", (records: Buffer[]) => Buffer.concat([Buffer.from("[\n"), records[0], Buffer.from(",\n"), records[1], Buffer.from(",\n"), records[2], Buffer.from("\n]")]), 3],
  ])("reject their record with line and field, store no U+FFFD, and import the rest (%s)", async (_label, file, line) => {
    const dataset = uniqueName("utf8");
    const summary = await importSamples({ datasetName: dataset, fileName: "x", input: source(file([Buffer.from(xlam(1, "Oslo")), latin1(2), Buffer.from(xlam(3, "Lima"))])) });
    expect(summary).toMatchObject({ ok: true, inserted: 2, rejected: 1 });
    expect(summary.errors).toEqual([{ line, index: 1, field: "query", message: "contains bytes that are not valid UTF-8 (the file must be UTF-8 text)" }]);
    const rows = await stored(dataset);
    expect(rows.map((r) => r.source_id)).toEqual(["1", "3"]);
    expect(rows.some((r) => r.query.includes("\ufffd"))).toBe(false);
  });
});

describe("__proto__ and constructor keys", () => {
  // Built from JSON text: in a JavaScript object literal `__proto__` would set the prototype instead of a key.
  const tool = JSON.parse(
    `{"name":"set_flag","description":"Sets a flag.","parameters":{"type":"dict","properties":{"__proto__":{"type":"string","description":"Flag name."},` +
      `"constructor":{"type":"integer","description":"Flag value."}},"required":["__proto__","constructor"]}}`,
  );
  const xlamTool = JSON.parse(`{"name":"lookup","parameters":{"__proto__":{"type":"str","description":"Key."}}}`);
  const records = [
    `{"id":"bfcl-style","query":"Set flag admin to 1.","tools":${JSON.stringify([tool])},"answers":[{"name":"set_flag","arguments":{"__proto__":"admin","constructor":1}}]}`,
    `{"id":"xlam-style","query":"Look up key x.","tools":${JSON.stringify(JSON.stringify([xlamTool]))},"answers":${JSON.stringify('[{"name":"lookup","arguments":{"__proto__":"x"}}]')}}`,
  ];

  async function exported(dataset: string, format: ExportFormatId): Promise<Record<string, unknown>[]> {
    const out = new PassThrough();
    const body = text(out);
    await exportSamples({ datasetName: dataset, format, out });
    out.end();
    return (await body).trim().split("\n").map((line) => JSON.parse(line));
  }

  it("are kept through import, storage, the stage-4 rules, an edit and every export", async () => {
    const dataset = uniqueName("proto");
    const summary = await importSamples({ datasetName: dataset, fileName: "x.jsonl", input: source(records.join("\n")) });
    expect(summary).toMatchObject({ ok: true, inserted: 2, rejected: 0 });

    // Stored as written.
    const [bfclRow, xlamRow] = await stored(dataset);
    expect(JSON.parse(bfclRow.answer)[0].arguments).toEqual(JSON.parse('{"__proto__":"admin","constructor":1}'));
    expect(Object.keys(JSON.parse(bfclRow.tools)[0].parameters.properties)).toEqual(["__proto__", "constructor"]);
    expect(Object.keys(JSON.parse(xlamRow.answer)[0].arguments)).toEqual(["__proto__"]);
    expect(Object.keys(JSON.parse(xlamRow.tools)[0].parameters)).toEqual(["__proto__"]);

    // The rules check a __proto__ argument like any other: right type passes, wrong type fails on that argument.
    const sample = { query: bfclRow.query, tools: JSON.parse(bfclRow.tools) };
    const good = await validateEdit(sample, "calls", { answer: "[set_flag(__proto__='admin', constructor=1)]", cot: "Set the admin flag." });
    expect(good.ok).toBe(true);
    const wrong = await validateEdit(sample, "calls", { answer: "[set_flag(__proto__=7, constructor=1)]", cot: "Set the admin flag." });
    expect(wrong.ok ? [] : wrong.failing.map((f) => [f.stage, f.fields])).toEqual([[4, ["calls[0].arguments.__proto__"]]]);
    const missing = await validateEdit(sample, "calls", { answer: "[set_flag(constructor=1)]", cot: "Set the admin flag." });
    expect(missing.ok ? [] : missing.failing.map((f) => f.reason)).toEqual([expect.stringContaining("required parameter __proto__ is missing")]);

    // An edit keeps the key.
    const saved = await saveEdit({ sampleId: bfclRow.id, expectedVersion: bfclRow.version }, { answer: '[{"name": "set_flag", "arguments": {"__proto__": "root", "constructor": 2}}]', cot: "Root flag." }, "human:ann");
    expect(saved.ok).toBe(true);
    expect(Object.keys(JSON.parse((await stored(dataset))[0].answer)[0].arguments)).toEqual(["__proto__", "constructor"]);

    // Every export writes the keys (of refined samples that pass the rules: a CoT is one of them).
    await (await getPool()).query(`UPDATE samples SET status = 'passed', cot = coalesce(cot, 'Set the flag.') WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1)`, [dataset]);
    const [openaiBfcl, openaiXlam] = await exported(dataset, "openai");
    const fn = (line: Record<string, unknown>) => (line.tools as { function: { parameters: { properties: object; required: string[] } } }[])[0].function;
    expect(Object.keys(fn(openaiBfcl).parameters.properties)).toEqual(["__proto__", "constructor"]);
    expect(fn(openaiBfcl).parameters.required).toEqual(["__proto__", "constructor"]);
    expect(Object.keys(fn(openaiXlam).parameters.properties)).toEqual(["__proto__"]);
    const toolCall = (line: Record<string, unknown>) => (line.messages as { tool_calls?: { function: { arguments: string } }[] }[])[2].tool_calls![0].function.arguments;
    expect(toolCall(openaiBfcl)).toBe('{"__proto__":"root","constructor":2}');
    expect(toolCall(openaiXlam)).toBe('{"__proto__":"x"}');
    const [xlamBfcl] = await exported(dataset, "xlam");
    expect(xlamBfcl.answers).toBe('[{"name":"set_flag","arguments":{"__proto__":"root","constructor":2}}]');
    expect(Object.keys(JSON.parse(xlamBfcl.tools as string)[0].parameters.properties)).toEqual(["__proto__", "constructor"]);
    const [funreasonBfcl] = await exported(dataset, "funreason");
    expect(JSON.stringify(funreasonBfcl.messages)).toContain("set_flag(__proto__='root', constructor=2)");
  });
});
