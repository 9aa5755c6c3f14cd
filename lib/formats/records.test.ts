import { createReadStream, readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { FileFormatError, readRecords, type RawRecord } from "./records";

const BFCL = path.resolve(import.meta.dirname, "../../fixtures/bfcl");

/** The bytes of `text`, cut into chunks of `size` bytes (cutting through multi-byte characters too). */
function chunked(text: string | Buffer, size = 1 << 16): Buffer[] {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

async function read(input: string | Buffer | Buffer[], opts?: { maxRecordBytes?: number }): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  for await (const record of readRecords(Readable.from(Array.isArray(input) ? input : chunked(input)), opts)) records.push(record);
  return records;
}

async function failure(input: string | Buffer[]): Promise<FileFormatError> {
  try {
    await read(input);
  } catch (error) {
    expect(error).toBeInstanceOf(FileFormatError);
    return error as FileFormatError;
  }
  throw new Error("expected a FileFormatError");
}

const values = (records: RawRecord[]) => records.map((r) => (r.ok ? r.value : r.error));

async function collect(records: AsyncIterable<RawRecord>): Promise<RawRecord[]> {
  const all: RawRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
}

describe("readRecords: JSON arrays", () => {
  const pretty = '[\n  {"id": 1, "q": "é"},\n  {\n    "id": 2,\n    "list": [1, {"x": null}]\n  },\n  {"id": 3}\n]\n';

  it("streams the elements with their index and the line each starts on", async () => {
    expect(await read(pretty)).toEqual([
      { ok: true, value: { id: 1, q: "é" }, index: 0, line: 2 },
      { ok: true, value: { id: 2, list: [1, { x: null }] }, index: 1, line: 3 },
      { ok: true, value: { id: 3 }, index: 2, line: 7 },
    ]);
  });

  it("gives the same records whatever the chunking, even through multi-byte characters", async () => {
    const whole = await read(pretty);
    for (const size of [1, 2, 3, 7]) expect(await read(chunked(pretty, size))).toEqual(whole);
  });

  it("reports elements that are not objects as record errors and keeps going", async () => {
    expect(await read('[{"a": 1}, 42, "text", [1], null, {"b": 2}]')).toEqual([
      { ok: true, value: { a: 1 }, index: 0, line: 1 },
      { ok: false, error: { index: 1, line: 1, message: "record is a number, expected an object" } },
      { ok: false, error: { index: 2, line: 1, message: "record is a string, expected an object" } },
      { ok: false, error: { index: 3, line: 1, message: "record is an array, expected an object" } },
      { ok: false, error: { index: 4, line: 1, message: "record is null, expected an object" } },
      { ok: true, value: { b: 2 }, index: 5, line: 1 },
    ]);
  });

  it("refuses a truncated array, saying where it ends and that it looks truncated", async () => {
    const text = JSON.stringify([{ id: 1, query: "Lyon" }, { id: 2, query: "Oslo" }], null, 2);
    for (const cut of [text.slice(0, -1), text.slice(0, -30), text.slice(0, text.indexOf("Oslo"))]) {
      const error = await failure(cut);
      expect(error.message).toMatch(/ends at line \d+ inside the JSON array.*looks truncated/);
      expect(error.line).toBe(cut.trimEnd().split("\n").length); // the last line that holds anything
    }
  });

  it("refuses an array that is not valid JSON, naming the line", async () => {
    const error = await failure('[\n {"id": 1},\n {"id" 2}\n]');
    expect(error.message).toBe("the JSON array is not valid JSON at line 3: expected ':' after property name");
    expect(error.line).toBe(3);
  });

  it("refuses text after the end of the array", async () => {
    const error = await failure('[{"id": 1}]\n\n{"id": 2}\n');
    expect(error.message).toMatch(/after the end of the JSON array, at line 3/);
  });

  it("rejects an element over the size limit as a record error", async () => {
    const big = JSON.stringify({ q: "x".repeat(5000) });
    const records = await read(`[\n{"a": 1},\n${big},\n{"b": 2}\n]`, { maxRecordBytes: 1000 });
    expect(values(records)).toEqual([{ a: 1 }, { index: 1, line: 3, message: expect.stringMatching(/^record 1 is about [\d.]+ MB; the limit is 0.001 MB$/) }, { b: 2 }]);
  });

  it("streams a large file without reading it whole", async () => {
    const count = 20_000;
    async function* generate() {
      yield Buffer.from("[");
      for (let i = 0; i < count; i++) yield Buffer.from(`${i ? "," : ""}\n${JSON.stringify({ id: i, query: `query ${i}`, pad: "p".repeat(200) })}`);
      yield Buffer.from("\n]");
    }
    let seen = 0;
    let last: RawRecord | undefined;
    for await (const record of readRecords(generate())) {
      seen++;
      last = record;
    }
    expect(seen).toBe(count);
    expect(last).toMatchObject({ ok: true, index: count - 1, line: count + 1, value: { id: count - 1 } });
  });
});

describe("readRecords: JSON Lines", () => {
  it("handles a BOM, CRLF line ends and blank lines, numbering lines from 1", async () => {
    const text = '\ufeff{"id": 1}\r\n\r\n  \n{"id": 2, "q": "naïve"}\r\n{"id": 3}';
    expect(await read(text)).toEqual([
      { ok: true, value: { id: 1 }, index: 0, line: 1 },
      { ok: true, value: { id: 2, q: "naïve" }, index: 1, line: 4 },
      { ok: true, value: { id: 3 }, index: 2, line: 5 },
    ]);
    expect(await read(chunked(text, 1))).toEqual(await read(text));
  });

  it("reports a line that is not JSON, or not an object, and reads on", async () => {
    expect(await read('{"id": 1}\n{not json\n[1, 2]\n"text"\n{"id": 5}\n')).toEqual([
      { ok: true, value: { id: 1 }, index: 0, line: 1 },
      { ok: false, error: { line: 2, index: 1, message: expect.stringMatching(/^not valid JSON: .*position 1/) } },
      { ok: false, error: { line: 3, index: 2, message: "record is an array, expected an object" } },
      { ok: false, error: { line: 4, index: 3, message: "record is a string, expected an object" } },
      { ok: true, value: { id: 5 }, index: 4, line: 5 },
    ]);
  });

  it("rejects a line over 8 MB with its size, skipping it without stopping", async () => {
    const huge = JSON.stringify({ query: "q".repeat(9 * 1024 * 1024) });
    const records = await read(chunked(`{"id": 1}\n${huge}\n{"id": 3}\n`));
    expect(values(records)).toEqual([{ id: 1 }, { line: 2, index: 1, message: "line 2 is 9 MB; the limit is 8 MB" }, { id: 3 }]);
  });

  it("rejects an over-long line at a configured limit, also when it is the last line", async () => {
    const records = await read(`{"id": 1}\n{"q": "${"x".repeat(3000)}"}`, { maxRecordBytes: 2048 });
    expect(values(records)).toEqual([{ id: 1 }, { line: 2, index: 1, message: "line 2 is 0.003 MB; the limit is 0.002 MB" }]);
  });

  it("refuses a pretty-printed JSON object", async () => {
    const error = await failure('{\n  "id": 1,\n  "query": "x"\n}\n');
    expect(error.message).toMatch(/pretty-printed JSON object/);
    expect(error.line).toBe(1);
  });

  it("reads a real BFCL file from a Node stream", async () => {
    const file = path.join(BFCL, "BFCL_v4_simple_python.json");
    const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
    const records = await collect(readRecords(createReadStream(file, { highWaterMark: 4096 })));
    expect(records).toHaveLength(lines.length);
    expect(records.every((r) => r.ok)).toBe(true);
    expect(records[lines.length - 1]).toMatchObject({ line: lines.length, index: lines.length - 1, value: JSON.parse(lines.at(-1)!) });
  });

  it("accepts string chunks", async () => {
    expect(values(await collect(readRecords(Readable.from(['{"a":', ' 1}\n{"b": 2}']))))).toEqual([{ a: 1 }, { b: 2 }]);
  });
});

describe("readRecords: files that are not records", () => {
  it.each([
    ["an empty file", ""],
    ["a file of whitespace", " \n\r\n\t "],
    ["a file holding only a BOM", "\ufeff"],
  ])("refuses %s as empty", async (_label, text) => {
    expect((await failure(text)).message).toBe("the file is empty");
  });

  it.each([
    ["CSV", "id,query\n1,hello\n", 'line 1 starts with "id,query"'],
    ["a number", "\n\n42\n", 'line 3 starts with "42"'],
    ["a string", '"just text"', 'line 1 starts with "\\"just text\\""'],
  ])("refuses %s: neither a JSON array nor JSON Lines", async (_label, text, where) => {
    const error = await failure(text);
    expect(error.message).toContain("the file is neither a JSON array nor JSON Lines");
    expect(error.message).toContain(where);
  });
});

describe("readRecords: hostile records are record errors, the rest is read", () => {
  /** `{"id": …, "answers": [{"name": "f", "arguments": {"a": [[[…1…]]]}}]}` with `levels` nested arrays. */
  const deepLine = (id: number, levels: number) =>
    `{"id": ${id}, "answers": [{"name": "f", "arguments": {"a": ${"[".repeat(levels)}1${"]".repeat(levels)}}}]}`;

  it.each([
    ["JSON Lines", (records: string[]) => records.join("\n")],
    ["a JSON array", (records: string[]) => `[\n${records.join(",\n")}\n]`],
  ])("rejects a record nested 5,000 deep with its line and field, keeping the others (%s)", async (_label, file) => {
    const records = await read(file(['{"id": 1}', deepLine(2, 5000), '{"id": 3}']));
    const firstLine = file([]).startsWith("[") ? 2 : 1;
    expect(values(records)).toEqual([
      { id: 1 },
      { line: firstLine + 1, index: 1, field: "answers[0].arguments.a", message: "nests arrays and objects more than 64 levels deep; the limit is 64" },
      { id: 3 },
    ]);
  });

  it("accepts a record exactly at the nesting limit", async () => {
    // The record is level 1, answers 2, the call 3, arguments 4, then 60 arrays: 64.
    const [record] = await read(deepLine(1, 60));
    expect(record.ok).toBe(true);
    const [over] = await read(deepLine(1, 61));
    expect(over.ok).toBe(false);
  });

  it.each([
    ["JSON Lines", (records: Buffer[]) => Buffer.concat(records.flatMap((r, i) => (i ? [Buffer.from("\n"), r] : [r])))],
    ["a JSON array", (records: Buffer[]) => Buffer.concat([Buffer.from("[\n"), ...records.flatMap((r, i) => (i ? [Buffer.from(",\n"), r] : [r])), Buffer.from("\n]")])],
  ])("rejects a record with bytes that are not UTF-8, naming its line and field, and reads on (%s)", async (_label, file) => {
    const bad = Buffer.concat([Buffer.from('{"id": 2, "query": "caf'), Buffer.from([0xe9]), Buffer.from(' au lait"}')]); // Latin-1 é
    const records = await read(file([Buffer.from('{"id": 1, "query": "\u00e9t\u00e9 \ufffd"}'), bad, Buffer.from('{"id": 3}')]));
    const firstLine = file([]).subarray(0, 1).toString() === "[" ? 2 : 1;
    expect(values(records)).toEqual([
      { id: 1, query: "été \ufffd" }, // a real U+FFFD, written as UTF-8, is text like any other
      { line: firstLine + 1, index: 1, field: "query", message: "contains bytes that are not valid UTF-8 (the file must be UTF-8 text)" },
      { id: 3 },
    ]);
  });
});
