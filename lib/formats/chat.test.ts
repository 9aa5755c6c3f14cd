import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { SampleInput, Tool } from "@/lib/samples/types";
import { fromRecord, serialize } from "./chat";
import type { ExportSample } from "./index";
import { BFCL_SYSTEM_PROMPT, systemPromptWithTools } from "./system-prompt";
import { expectError, expectSample } from "./test-results";

const area: Tool = {
  name: "calc_area",
  description: "Area of a triangle.",
  parameters: { type: "dict", properties: { base: { type: "integer" }, height: { type: "integer" } }, required: ["base", "height"] },
};
const wordTool: Tool = {
  name: "get_random_word",
  description: "A random French word.",
  parameters: {
    verbeconjugue: { description: "Conjugated verb?", type: "bool, optional", default: "" },
    minlong: { description: "Minimum length.", type: "str, optional", default: "" },
    avecdef: { description: "With definition?", type: "bool, optional", default: "" },
  },
};

const sample = (value: unknown) => expectSample(fromRecord(value, { index: 0, line: 1 }));
const error = (value: unknown) => expectError(fromRecord(value, { index: 6, line: 7 }));

const stored = (input: SampleInput, id = 3): ExportSample => ({ ...input, id, datasetId: 1, datasetName: "chat-test", status: "passed", version: 2 });

describe("chat fromRecord: FunReason flavour", () => {
  it("reads <think>CoT</think> and a Python call list, with tools from the top-level field", () => {
    expect(
      sample({
        id: "c1",
        tools: [area],
        messages: [
          { role: "user", content: "Area for base 3, height 4?" },
          { role: "assistant", content: "<think>Base 3, height 4.</think>\n\n[calc_area(base=3, height=4)]" },
        ],
      }),
    ).toEqual({
      sourceId: "c1",
      query: "Area for base 3, height 4?",
      tools: [area],
      answer: { kind: "calls", calls: [{ name: "calc_area", arguments: { base: 3, height: 4 } }] },
      cot: "Base 3, height 4.",
    });
  });

  it("recovers the tools from BFCL's default system prompt when there is no tools field", () => {
    const record = {
      messages: [
        { role: "system", content: systemPromptWithTools([wordTool, area]) },
        { role: "user", content: "A long French word with its definition." },
        { role: "assistant", content: "[get_random_word(verbeconjugue=True, minlong='7', avecdef=True)]" },
      ],
    };
    expect(sample(record)).toMatchObject({
      sourceId: null,
      tools: [wordTool, area],
      answer: { kind: "calls", calls: [{ name: "get_random_word", arguments: { verbeconjugue: true, minlong: "7", avecdef: true } }] },
      cot: null,
    });
    // Surrounding whitespace around the prompt does not matter.
    record.messages[0].content = `\n${record.messages[0].content.trim()}\n`;
    expect(sample(record).tools).toEqual([wordTool, area]);
  });

  it("keeps BFCL's prompt verbatim", () => {
    expect(BFCL_SYSTEM_PROMPT).toBe(readFileSync(path.resolve(import.meta.dirname, "../../fixtures/bfcl/default_system_prompt.txt"), "utf8"));
    // `$&`-like sequences in the tools are written literally, not as replacement patterns.
    expect(systemPromptWithTools([{ name: "pay", description: "costs $& or $'" }])).toContain('"description":"costs $& or $\'"');
  });

  it("reads an assistant text that is not a call list as a text answer, and the JSON list form as calls", () => {
    const base = { tools: [area], messages: [{ role: "user", content: "Tell me a joke." }] };
    const reply = (content: string | null) => sample({ ...base, messages: [...base.messages, { role: "assistant", content }] });
    expect(reply("<think>No tool tells jokes.</think>\n\nI can only compute areas.")).toMatchObject({
      answer: { kind: "text", text: "I can only compute areas." },
      cot: "No tool tells jokes.",
    });
    expect(reply("[calc_area(base=3, height=4)] done").answer).toEqual({ kind: "text", text: "[calc_area(base=3, height=4)] done" });
    expect(reply('[{"name": "calc_area", "arguments": {"base": 1, "height": 2}}]').answer).toEqual({
      kind: "calls",
      calls: [{ name: "calc_area", arguments: { base: 1, height: 2 } }],
    });
    expect(reply("<think>Nothing to say.</think>")).toMatchObject({ answer: null, cot: "Nothing to say." });
    expect(reply(null).answer).toBeNull();
    expect(sample(base).answer).toBeNull();
  });

  it("takes the first user message and the assistant's first answer to it, and the rest of the conversation as its follow-up", () => {
    const record = {
      source_id: 12,
      id: "ignored",
      tools: [area],
      messages: [
        { role: "system", content: "Answer with calls." },
        { role: "user", content: "First question" },
        { role: "assistant", content: "[calc_area(base=1, height=1)]" },
        { role: "tool", content: "0.5" },
        { role: "user", content: "Second question" },
        { role: "assistant", content: "Second answer" },
      ],
    };
    expect(sample(record)).toEqual({
      sourceId: "12",
      query: "First question",
      tools: [area],
      answer: { kind: "calls", calls: [{ name: "calc_area", arguments: { base: 1, height: 1 } }] },
      cot: null,
      followUp: [
        { role: "tool", content: "0.5" },
        { role: "user", content: "Second question" },
        { role: "assistant", cot: null, answer: { kind: "text", text: "Second answer" } },
      ],
    });
  });
});

describe("chat fromRecord: OpenAI flavour", () => {
  it("reads tool_calls (arguments as JSON text), a think block in the content, and wrapped tools", () => {
    const imported = sample({
      id: 5,
      messages: [
        { role: "system", content: "You are helpful." },
        { role: "user", content: "Areas of (3, 4) and (5, 6)?" },
        {
          role: "assistant",
          content: "<think>Two triangles.</think>",
          tool_calls: [
            { id: "call_a", type: "function", function: { name: "calc_area", arguments: '{"base": 3, "height": 4}' } },
            { id: "call_b", type: "function", function: { name: "calc_area", arguments: { base: 5, height: 6 } } },
          ],
        },
      ],
      tools: [{ type: "function", function: { name: area.name, description: area.description, parameters: area.parameters } }],
    });
    expect(imported).toEqual({
      sourceId: "5",
      query: "Areas of (3, 4) and (5, 6)?",
      tools: [area],
      answer: {
        kind: "calls",
        calls: [
          { name: "calc_area", arguments: { base: 3, height: 4 } },
          { name: "calc_area", arguments: { base: 5, height: 6 } },
        ],
      },
      cot: "Two triangles.",
    });
  });

  it.each<[string, Record<string, unknown>, string, string | RegExp]>([
    [
      "arguments that are not JSON",
      { tool_calls: [{ type: "function", function: { name: "calc_area", arguments: "{base: 3" } }] },
      "messages[1].tool_calls[0].function.arguments",
      /^is a string but not valid JSON/,
    ],
    [
      "arguments that are not an object",
      { tool_calls: [{ type: "function", function: { name: "calc_area", arguments: "[3, 4]" } }] },
      "messages[1].tool_calls[0].function.arguments",
      "expected an object, got an array",
    ],
    ["a tool call without a function", { tool_calls: [{ type: "function" }] }, "messages[1].tool_calls[0].function", "is missing"],
    ["content that is not text", { content: { text: "hi" } }, "messages[1].content", "expected a string, got an object"],
    ["a CoT over the limit", { content: `<think>${"c".repeat(200_001)}</think>\n\n[f()]` }, "messages[1].content", "is 200,001 characters; the limit is 200,000"],
  ])("rejects %s in the assistant message", (_label, change, field, message) => {
    const result = error({ tools: [area], messages: [{ role: "user", content: "Area?" }, { role: "assistant", content: null, ...change }] });
    expect(result).toMatchObject({ index: 6, line: 7, field });
    expect(result.message).toMatch(message);
  });

  it.each<[string, Record<string, unknown>, string, string | RegExp]>([
    ["messages that are not a list", { messages: "hi" }, "messages", "expected a list of messages, got a string"],
    ["no messages", { messages: [] }, "messages", "is empty"],
    ["no user message", { messages: [{ role: "system", content: "Be nice." }, { role: "assistant", content: "[f()]" }] }, "messages", "has no user message"],
    ["a 5 MB query", { messages: [{ role: "user", content: "q".repeat(5_000_000) }] }, "messages[0].content", "is 5,000,000 characters; the limit is 100,000"],
    ["no tools anywhere", { tools: undefined, messages: [{ role: "system", content: "Be nice." }, { role: "user", content: "Hi" }] }, "tools", /no tools \(or functions\) field and no system message/],
    ["tools of the wrong type", { tools: 3 }, "tools", "expected a list of tools (array or JSON string), got a number"],
    ["an id of the wrong type", { source_id: [1] }, "source_id", "expected a string or a number, got an array"],
  ])("rejects %s", (_label, change, field, message) => {
    const result = error({ tools: [area], messages: [{ role: "user", content: "Area?" }], ...change });
    expect(result).toMatchObject({ field });
    expect(result.message).toMatch(message);
  });
});

describe("chat serialize (FunReason export)", () => {
  const input: SampleInput = {
    sourceId: "1",
    query: "Give me a long French word with its definition.",
    tools: [wordTool],
    answer: { kind: "calls", calls: [{ name: "get_random_word", arguments: { verbeconjugue: true, minlong: "7", avecdef: true } }] },
    cot: "Step 1: read the query.\nStep 2: 1",
  };

  it("writes BFCL's system prompt with the tools, the query, and <think>CoT</think> then Python calls", () => {
    const line = JSON.parse(serialize(stored(input)));
    expect(line).toEqual({
      sample_id: 3,
      source_id: "1",
      messages: [
        { role: "system", content: BFCL_SYSTEM_PROMPT.replace("{functions}", JSON.stringify([wordTool])) },
        { role: "user", content: input.query },
        {
          role: "assistant",
          content: "<think>Step 1: read the query.\nStep 2: 1</think>\n\n[get_random_word(verbeconjugue=True, minlong='7', avecdef=True)]",
        },
      ],
      tools: [wordTool],
    });
  });

  it("omits the think block without a CoT and writes a text answer as text", () => {
    const text = JSON.parse(serialize(stored({ ...input, cot: null, answer: { kind: "text", text: "Je ne sais pas." } })));
    expect(text.messages[2].content).toBe("Je ne sais pas.");
    const none = JSON.parse(serialize(stored({ ...input, answer: null })));
    expect(none.messages[2].content).toBe("<think>Step 1: read the query.\nStep 2: 1</think>");
  });

  it.each<[string, SampleInput]>([
    ["calls with a CoT", input],
    ["calls without a CoT and no source id", { ...input, sourceId: null, cot: null }],
    ["a text answer with a CoT", { ...input, answer: { kind: "text", text: "I'd rather not: \"no\".\nBye." } }],
    ["no answer", { ...input, answer: null }],
    ["an empty call list", { ...input, answer: { kind: "calls", calls: [] } }],
    ["a tricky call", { ...input, answer: { kind: "calls", calls: [{ name: "a.b", arguments: { s: "it's \"q\" \\ \n</think>", n: -0.5, l: [[], {}] } }] } }],
  ])("re-imports %s to the same sample", (_label, sampleInput) => {
    expect(sample(JSON.parse(serialize(stored(sampleInput))))).toEqual(sampleInput);
  });
});
