import { describe, expect, it } from "vitest";
import type { RecordError, SampleInput } from "@/lib/samples/types";
import type { ExportSample } from "./index";
import { MAX_TOOLS } from "./limits";
import { fromRecord, serialize } from "./xlam";

const pos = { index: 4, line: 5 };
const forecast = {
  name: "forecast",
  description: "Daily forecast for a city.",
  parameters: {
    city: { description: "City name.", type: "str", default: "" },
    days: { description: "Days ahead.", type: "int, optional", default: 1 },
  },
};
// The example from shared/design/formats.md, with tools and answers as JSON strings.
const record = {
  id: 17,
  query: "What's the weather in Lyon tomorrow, in celsius?",
  tools: JSON.stringify([forecast]),
  answers: JSON.stringify([{ name: "forecast", arguments: { city: "Lyon", days: 1 } }]),
};

function sample(value: unknown): SampleInput {
  const result = fromRecord(value, pos);
  if ("message" in result) throw new Error(`${result.field}: ${result.message}`);
  return result;
}

function error(value: unknown): RecordError {
  const result = fromRecord(value, pos);
  if (!("message" in result)) throw new Error("expected a record error");
  return result;
}

const stored = (input: SampleInput, id = 9): ExportSample => ({ ...input, id, datasetId: 1, datasetName: "xlam-test", status: "passed", version: 1 });

describe("xlam fromRecord", () => {
  it("reads tools and answers given as JSON strings", () => {
    expect(sample(record)).toEqual({
      sourceId: "17",
      query: record.query,
      tools: [forecast],
      answer: { kind: "calls", calls: [{ name: "forecast", arguments: { city: "Lyon", days: 1 } }] },
      cot: null,
    });
  });

  it("reads tools and answers given as arrays, the same way", () => {
    expect(sample({ ...record, tools: [forecast], answers: JSON.parse(record.answers) })).toEqual(sample(record));
  });

  it("keeps a CoT (trimmed), a text answer, and no answer when answers is absent or null", () => {
    expect(sample({ ...record, cot: "  Lyon, tomorrow.\n" }).cot).toBe("Lyon, tomorrow.");
    expect(sample({ ...record, cot: "   " }).cot).toBeNull();
    expect(sample({ ...record, answers: "[]", answer_text: "I cannot tell the future." }).answer).toEqual({ kind: "text", text: "I cannot tell the future." });
    expect(sample({ ...record, answers: undefined }).answer).toBeNull();
    expect(sample({ ...record, answers: null }).answer).toBeNull();
    expect(sample({ ...record, answers: "[]" }).answer).toEqual({ kind: "calls", calls: [] });
    expect(sample({ ...record, id: undefined }).sourceId).toBeNull();
    expect(sample({ ...record, id: "abc-1" }).sourceId).toBe("abc-1");
  });

  it.each<[string, Record<string, unknown>, string | undefined, string | RegExp]>([
    ["tools of the wrong type", { tools: 42 }, "tools", "expected a list of tools (array or JSON string), got a number"],
    ["tools that are not valid JSON", { tools: "[{" }, "tools", /^is a string but not valid JSON \(.+\)$/],
    ["a tool without a name", { tools: [forecast, { description: "x" }] }, "tools[1].name", "is missing"],
    ["a tool whose name is not a string", { tools: [{ name: 3 }] }, "tools[0].name", "expected a string, got a number"],
    ["a tool that is not an object", { tools: ["forecast"] }, "tools[0]", "expected a tool object {name, description, parameters}, got a string"],
    ["a missing query", { query: undefined }, "query", "is missing"],
    ["a query that is not a string", { query: 7 }, "query", "expected a string, got a number"],
    ["an empty query", { query: "  " }, "query", "is empty"],
    ["answers of the wrong type", { answers: { name: "forecast" } }, "answers", "expected a list of calls (array or JSON string), got an object"],
    ["arguments that are not an object", { answers: [{ name: "forecast", arguments: {} }, { name: "forecast", arguments: "city=Lyon" }] }, "answers[1].arguments", "expected an object, got a string"],
    ["a call without a name", { answers: [{ arguments: {} }] }, "answers[0].name", "is missing"],
    ["a cot that is not a string", { cot: ["step"] }, "cot", "expected a string, got an array"],
    ["an id of the wrong type", { id: { n: 1 } }, "id", "expected a string or a number, got an object"],
    ["calls and a text answer at once", { answer_text: "Sunny." }, "answer_text", /both calls in answers and an answer_text/],
  ])("rejects %s, naming the field", (_label, change, field, message) => {
    const result = error({ ...record, ...change });
    expect(result).toMatchObject({ index: 4, line: 5, field });
    expect(result.message).toMatch(message);
  });

  it("rejects a record that is not an object", () => {
    expect(error([record])).toEqual({ index: 4, line: 5, message: "record is an array, expected an object" });
  });

  it("rejects a 5 MB query, naming both sizes", () => {
    expect(error({ ...record, query: "q".repeat(5_000_000) })).toEqual({
      index: 4,
      line: 5,
      field: "query",
      message: "is 5,000,000 characters; the limit is 100,000",
    });
    expect(sample({ ...record, query: "q".repeat(100_000) }).query).toHaveLength(100_000);
  });

  it("rejects a CoT over 200,000 characters and more than 512 tools", () => {
    expect(error({ ...record, cot: "c".repeat(200_001) })).toMatchObject({ field: "cot", message: "is 200,001 characters; the limit is 200,000" });
    const tools = Array.from({ length: MAX_TOOLS + 1 }, (_, i) => ({ ...forecast, name: `tool_${i}` }));
    expect(error({ ...record, tools: JSON.stringify(tools) })).toMatchObject({ field: "tools", message: "has 513 tools; the limit is 512" });
    expect(sample({ ...record, tools: tools.slice(0, MAX_TOOLS) }).tools).toHaveLength(MAX_TOOLS);
  });
});

describe("xlam serialize", () => {
  it("writes tools and answers as JSON strings, like the original file", () => {
    const line = JSON.parse(serialize(stored({ ...sample(record), cot: "Lyon, one day ahead." })));
    expect(line).toEqual({ id: "17", query: record.query, tools: record.tools, answers: record.answers, cot: "Lyon, one day ahead." });
  });

  it("writes a text answer as answer_text with empty answers, and uses the sample id without a source id", () => {
    const text = stored({ sourceId: null, query: "Tell me a joke.", tools: [forecast], answer: { kind: "text", text: "I only know the weather." }, cot: null }, 42);
    expect(JSON.parse(serialize(text))).toEqual({
      id: "42",
      query: "Tell me a joke.",
      tools: JSON.stringify([forecast]),
      answers: "[]",
      answer_text: "I only know the weather.",
      cot: null,
    });
  });

  it.each<[string, SampleInput]>([
    ["calls with a CoT", { ...sample(record), cot: "Step 1.\nStep 2." }],
    ["a text answer", { sourceId: "t1", query: "Hi?", tools: [forecast], answer: { kind: "text", text: "Hello! It's \"sunny\"." }, cot: "Greet." }],
    ["no answer", { sourceId: "n1", query: "Weather?", tools: [forecast], answer: null, cot: null }],
    ["no calls", { sourceId: "e1", query: "Weather?", tools: [], answer: { kind: "calls", calls: [] }, cot: null }],
  ])("re-imports %s to the same sample", (_label, input) => {
    expect(sample(JSON.parse(serialize(stored(input))))).toEqual(input);
  });
});
