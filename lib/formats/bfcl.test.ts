import { createReadStream, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { RecordError, SampleInput } from "@/lib/samples/types";
import { fromRecord, groundTruthToCalls, readGroundTruth, type GroundTruth } from "./bfcl";
import { readRecords } from "./records";

const BFCL = path.resolve(import.meta.dirname, "../../fixtures/bfcl");

function entry(file: string, id: string): Record<string, unknown> {
  const line = readFileSync(path.join(BFCL, file), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`{"id": "${id}"`));
  if (!line) throw new Error(`${id} not in ${file}`);
  return JSON.parse(line);
}

async function answersOf(file: string) {
  return readGroundTruth(createReadStream(path.join(BFCL, "possible_answer", file)));
}

function sample(value: unknown, answers?: Map<string, GroundTruth>): SampleInput {
  const result = fromRecord(value, { index: 0, line: 1 }, { answers });
  if ("message" in result) throw new Error(`${result.field}: ${result.message}`);
  return result;
}

function error(value: unknown): RecordError {
  const result = fromRecord(value, { index: 2, line: 3 }, {});
  if (!("message" in result)) throw new Error("expected a record error");
  return result;
}

describe("bfcl fromRecord", () => {
  it("imports every fixture entry, with an answer exactly when possible_answer has its id", async () => {
    for (const file of readdirSync(BFCL).filter((f) => f.endsWith(".json"))) {
      const hasAnswers = readdirSync(path.join(BFCL, "possible_answer")).includes(file);
      const { answers, errors } = hasAnswers ? await answersOf(file) : { answers: new Map<string, GroundTruth>(), errors: [] };
      expect(errors).toEqual([]);
      let total = 0;
      let answered = 0;
      for await (const record of readRecords(createReadStream(path.join(BFCL, file)))) {
        if (!record.ok) throw new Error(`${file}: ${record.error.message}`);
        const result = fromRecord(record.value, record, { answers });
        expect("message" in result, `${file} line ${record.line}: ${JSON.stringify(result).slice(0, 300)}`).toBe(false);
        const imported = result as SampleInput;
        const id = (record.value as { id: string }).id;
        expect(imported.sourceId).toBe(id);
        expect(imported.tools).toEqual((record.value as { function: unknown }).function);
        expect(imported.answer === null).toBe(!answers.has(id));
        if (imported.answer) answered++;
        total++;
      }
      expect(answered, file).toBe(answers.size);
      if (!hasAnswers) expect(total, file).toBeGreaterThan(200);
    }
  });

  it("turns simple_python_0's ground truth into one call, leaving out the parameter that accepts \"\"", async () => {
    const { answers } = await answersOf("BFCL_v4_simple_python.json");
    expect(sample(entry("BFCL_v4_simple_python.json", "simple_python_0"), answers)).toEqual({
      sourceId: "simple_python_0",
      query: "Find the area of a triangle with a base of 10 units and height of 5 units.",
      tools: entry("BFCL_v4_simple_python.json", "simple_python_0").function,
      answer: { kind: "calls", calls: [{ name: "calculate_triangle_area", arguments: { base: 10, height: 5 } }] },
      cot: null,
    });
  });

  it("takes the last user message of the first turn as the query", () => {
    expect(sample(entry("BFCL_v4_live_simple.json", "live_simple_58-27-0")).query).toBe("list movies in Mumbai?");
    const multi = entry("BFCL_v4_live_irrelevance.json", "live_irrelevance_125-11-0") as { question: { role: string; content: string }[][] };
    expect(multi.question[0].map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(sample(multi).query).toBe(multi.question[0][3].content);
  });

  it("has no answer without a possible_answer map", () => {
    expect(sample(entry("BFCL_v4_simple_python.json", "simple_python_0")).answer).toBeNull();
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["a question that is not a list", { question: "What is 2+2?" }, "question", "expected a list of turns, each a list of messages, got a string"],
    ["no turns", { question: [] }, "question", "has no turns"],
    ["a turn without a user message", { question: [[{ role: "system", content: "Be brief." }]] }, "question[0]", "has no user message"],
    ["a message without a role", { question: [[{ content: "hi" }]] }, "question[0][0].role", "is missing"],
    ["a user message without text", { question: [[{ role: "user", content: null }]] }, "question[0][0].content", "expected a string, got null"],
    ["functions that are not a list", { function: { name: "f" } }, "function", "expected a list of tools (array or JSON string), got an object"],
    ["a function without a name", { function: [{ description: "d" }] }, "function[0].name", "is missing"],
  ])("rejects %s", (_label, change, field, message) => {
    const base = { id: "simple_python_0", question: [[{ role: "user", content: "Area?" }]], function: [{ name: "area" }] };
    expect(error({ ...base, ...change })).toEqual({ index: 2, line: 3, field, message });
  });
});

describe("groundTruthToCalls", () => {
  it("leaves out a parameter that accepts \"\" and takes the first accepted value of the others", () => {
    expect(groundTruthToCalls([{ f: { a: [1, 2], b: ["", "x"], c: ["x", ""], d: [[3, 5], [5, 3]], e: [false], g: [null, 1] } }])).toEqual([
      { name: "f", arguments: { a: 1, d: [3, 5], e: false, g: null } },
    ]);
  });

  it("keeps the order of several calls", () => {
    expect(groundTruthToCalls([{ "math.a": { x: [1] } }, { b: {} }, { "math.a": { x: [2] } }])).toEqual([
      { name: "math.a", arguments: { x: 1 } },
      { name: "b", arguments: {} },
      { name: "math.a", arguments: { x: 2 } },
    ]);
  });

  it("resolves dicts inside accepted values the BFCL way (each key lists its accepted values)", async () => {
    const { answers } = await answersOf("BFCL_v4_live_multiple.json");
    expect(groundTruthToCalls(answers.get("live_multiple_0-0-0")!)[0].arguments.new_preferences).toEqual({
      size: "large",
      milk_type: "coconut",
      sweetness_level: "extra",
      temperature: "hot",
      special_instructions: "served boiling hot",
    });
    // A dict nested one level further holds plain values, kept as written.
    expect(groundTruthToCalls(answers.get("live_multiple_121-46-0")!)[0].arguments).toMatchObject({
      ego_info: { position: { lateral: 10.5, longitudinal: 50 }, orientation: 30 },
      bounding_boxes: [{ x: 60.2, y: 12.3 }],
    });
    const simple = await answersOf("BFCL_v4_simple_python.json");
    expect(groundTruthToCalls(simple.answers.get("simple_python_96")!)[0].arguments.conditions).toEqual([
      { field: "age", operation: ">", value: "25" },
      { field: "job", operation: "=", value: "engineer" },
    ]);
  });
});

describe("readGroundTruth", () => {
  it("reads a possible_answer file and reports bad lines and repeated ids next to the map", async () => {
    const lines = [
      { id: "a", ground_truth: [{ f: { x: [1] } }] },
      "{broken",
      { id: "b", ground_truth: [{ f: { x: 2 } }] },
      { ground_truth: [] },
      { id: "a", ground_truth: [{ f: { x: [9] } }] },
      { id: "c", ground_truth: [{ g: {} }] },
    ];
    const text = lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");
    const { answers, errors } = await readGroundTruth(Readable.from([text]));
    expect([...answers.keys()]).toEqual(["a", "c"]);
    expect(answers.get("a")).toEqual([{ f: { x: [1] } }]);
    expect(errors).toEqual([
      { line: 2, index: 1, message: expect.stringMatching(/^not valid JSON/) },
      { line: 3, index: 2, field: "ground_truth[0].f.x", message: "expected a list of accepted values, got a number" },
      { line: 4, index: 3, field: "id", message: "is missing" },
      { line: 5, index: 4, field: "id", message: "a appears more than once; the first entry is kept" },
    ]);
  });
});
