import { describe, expect, it } from "vitest";
import type { SampleInput, Tool } from "@/lib/samples/types";
import { serialize as auditLine } from "./audit";
import { fromRecord as chatRecord } from "./chat";
import { EXPORT_FORMATS, IMPORT_FORMATS, detectFormat, type ExportSample } from "./index";
import { OPENAI_SYSTEM_PROMPT, serialize } from "./openai";

const hypot: Tool = {
  name: "math.hypot",
  description: "Euclidean norm.",
  parameters: { type: "dict", properties: { x: { type: "float" }, y: { type: "float" }, tags: { type: "array", items: { type: "string" } } }, required: ["x", "y"] },
};
const word: Tool = {
  name: "get_random_word",
  description: "A random French word.",
  parameters: { minlong: { description: "Minimum length.", type: "str, optional", default: "" }, avecdef: { type: "bool" } },
};
const input: SampleInput = {
  sourceId: "2",
  query: "Norm of (3.5, 4)?",
  tools: [hypot, word],
  answer: {
    kind: "calls",
    calls: [
      { name: "math.hypot", arguments: { x: 3.5, y: 4, tags: ["a'b", "c\\d\n"] } },
      { name: "math.hypot", arguments: { x: -1e-7, y: 0 } },
    ],
  },
  cot: "Two norms.",
};
const stored = (sample: SampleInput): ExportSample => ({ ...sample, id: 8, datasetId: 1, datasetName: "ds", status: "passed", version: 3 });

describe("openai serialize", () => {
  it("writes tool_calls with ids and JSON arguments, the CoT as a think block, and JSON Schema tools", () => {
    expect(JSON.parse(serialize(stored(input)))).toEqual({
      messages: [
        { role: "system", content: OPENAI_SYSTEM_PROMPT },
        { role: "user", content: "Norm of (3.5, 4)?" },
        {
          role: "assistant",
          content: "<think>Two norms.</think>",
          tool_calls: [
            { id: "call_0", type: "function", function: { name: "math.hypot", arguments: JSON.stringify({ x: 3.5, y: 4, tags: ["a'b", "c\\d\n"] }) } },
            { id: "call_1", type: "function", function: { name: "math.hypot", arguments: JSON.stringify({ x: -1e-7, y: 0 }) } },
          ],
        },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "math.hypot",
            description: "Euclidean norm.",
            parameters: {
              type: "object",
              properties: { x: { type: "number" }, y: { type: "number" }, tags: { type: "array", items: { type: "string" } } },
              required: ["x", "y"],
            },
          },
        },
        {
          type: "function",
          function: {
            name: "get_random_word",
            description: "A random French word.",
            parameters: { type: "object", properties: { minlong: { type: "string", description: "Minimum length." }, avecdef: { type: "boolean" } }, required: ["avecdef"] },
          },
        },
      ],
    });
  });

  it("writes null content without a CoT, a text answer as content, and no assistant message without an answer", () => {
    expect(JSON.parse(serialize(stored({ ...input, cot: null }))).messages[2].content).toBeNull();
    const text = JSON.parse(serialize(stored({ ...input, answer: { kind: "text", text: "No tool for that." } })));
    expect(text.messages[2]).toEqual({ role: "assistant", content: "<think>Two norms.</think>\n\nNo tool for that." });
    expect(JSON.parse(serialize(stored({ ...input, answer: null }))).messages.map((m: { role: string }) => m.role)).toEqual(["system", "user"]);
  });

  it("is read back by the chat importer with the same query, answer and CoT", () => {
    const back = chatRecord(JSON.parse(serialize(stored(input))), { index: 0 });
    expect(back).toMatchObject({ query: input.query, answer: input.answer, cot: input.cot, sourceId: null });
  });
});

describe("audit serialize", () => {
  it("writes the sample with its status, version, dataset and every verdict", () => {
    const verdict = {
      stage: 2,
      outcome: "fail" as const,
      reason: "query not solvable with these tools",
      evidence: { judge: "no" },
      decidedBy: "llm:judge",
      attempt: 1,
      promptVersion: "stage2@1",
      createdAt: "2026-11-25T00:00:00.000Z",
    };
    expect(JSON.parse(auditLine({ ...stored(input), status: "discarded", verdicts: [verdict] }))).toEqual({
      sample_id: 8,
      source_id: "2",
      dataset: "ds",
      status: "discarded",
      version: 3,
      query: input.query,
      tools: input.tools,
      answer: input.answer,
      cot: input.cot,
      verdicts: [verdict],
    });
    expect(JSON.parse(auditLine(stored(input))).verdicts).toEqual([]);
  });
});

describe("format registries", () => {
  it("lists the import and export formats by id", () => {
    expect(Object.keys(IMPORT_FORMATS)).toEqual(["xlam", "bfcl", "chat", "glaive"]);
    expect(Object.keys(EXPORT_FORMATS)).toEqual(["funreason", "xlam", "openai", "audit"]);
    for (const [id, format] of [...Object.entries(IMPORT_FORMATS), ...Object.entries(EXPORT_FORMATS)]) expect(format.id).toBe(id);
  });

  it("writes one line per sample in every export format", () => {
    for (const format of Object.values(EXPORT_FORMATS)) {
      const line = format.serialize(stored({ ...input, query: "multi\nline" }));
      expect(line).not.toContain("\n");
      expect(() => JSON.parse(line)).not.toThrow();
    }
  });

  it.each([
    [{ id: "simple_0", question: [], function: [] }, "bfcl"],
    [{ messages: [], tools: [] }, "chat"],
    [{ id: 1, query: "q", tools: "[]", answers: "[]" }, "xlam"],
    [{ query: "q", tools: [] }, "xlam"],
    [{ system: "SYSTEM: …", chat: "USER: …" }, "glaive"],
    [{ system: "SYSTEM: …", chat: [] }, null],
    [{ query: "q" }, null],
    [{ question: [] }, null],
    [[{ query: "q", tools: [] }], null],
    ["text", null],
    [null, null],
  ])("detects %j as %s", (record, format) => {
    expect(detectFormat(record)).toBe(format);
  });
});
