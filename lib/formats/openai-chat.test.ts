// The chat importer on OpenAI chat records as people really write them. Every record here is written for this test
// from the published shapes: the Chat Completions spec (string or part-list content, tool_calls with JSON-text
// arguments, tool messages), its legacy function_call/functions, reasoning fields and parts as DeepSeek, vLLM,
// Anthropic-style and Responses-style tools write them, and the OpenAI cookbook's fine-tuning data for function
// calling (examples/data/drone_training.jsonl), whose arguments are sometimes double-encoded.
import { describe, expect, it } from "vitest";
import type { SampleInput, Tool } from "@/lib/samples/types";
import { fromRecord } from "./chat";
import { detectFormat } from "./index";
import { expectError, expectSample } from "./test-results";

const land: Tool = {
  name: "land_drone",
  description: "Land the drone.",
  parameters: { type: "object", properties: { location: { type: "string", enum: ["current", "home_base"] } }, required: ["location"] },
};
const speed: Tool = { name: "set_drone_speed", parameters: { type: "object", properties: { speed: { type: "integer" } }, required: ["speed"] } };
const reject: Tool = { name: "reject_request", parameters: { type: "object", properties: {} } };
const wrapped = (tool: Tool) => ({ type: "function", function: tool });
const SYSTEM = "You control a drone. Call one of your functions; if none fits, call reject_request.";

const sample = (value: unknown) => expectSample(fromRecord(value, { index: 0, line: 1 }));
const error = (value: unknown) => expectError(fromRecord(value, { index: 4, line: 5 }));

/** A record with the drone tools, the system prompt, one user message and the given assistant message. */
const drone = (assistant: Record<string, unknown>, query = "Bring it down right here") => ({
  messages: [{ role: "system", content: SYSTEM }, { role: "user", content: query }, { role: "assistant", ...assistant }],
  tools: [land, speed, reject].map(wrapped),
});
const landHere = { kind: "calls", calls: [{ name: "land_drone", arguments: { location: "current" } }] };

describe("the OpenAI cookbook's fine-tuning lines for function calling", () => {
  // Six lines in the cookbook's shapes: tool_calls with `id: "call_id"` and no content, `parallel_tool_calls`,
  // arguments as JSON text, double-encoded JSON text, and the earlier edition's function_call + functions.
  const lines = [
    { ...drone({ tool_calls: [{ id: "call_id", type: "function", function: { name: "set_drone_speed", arguments: '{"speed": 20}' } }] }, "Go 20 km/h"), parallel_tool_calls: false },
    { ...drone({ tool_calls: [{ id: "call_id", type: "function", function: { name: "land_drone", arguments: JSON.stringify(JSON.stringify({ location: "current" })) } }] }), parallel_tool_calls: false },
    { ...drone({ tool_calls: [{ id: "call_id", type: "function", function: { name: "reject_request", arguments: "{}" } }] }, "Paint it red"), parallel_tool_calls: false },
    { ...drone({ tool_calls: [{ id: "call_id", type: "function", function: { name: "reject_request", arguments: JSON.stringify("{}") } }] }, "Sing a song"), parallel_tool_calls: false },
    {
      messages: [{ role: "system", content: SYSTEM }, { role: "user", content: "Land at home base" }, { role: "assistant", function_call: { name: "land_drone", arguments: '{"location": "home_base"}' } }],
      functions: [land, speed, reject],
    },
    {
      messages: [{ role: "system", content: SYSTEM }, { role: "user", content: "Detect nearby drones" }, { role: "assistant", function_call: { name: "reject_request", arguments: "{}" } }],
      functions: [land, speed, reject],
    },
  ].map((record) => JSON.parse(JSON.stringify(record)));

  const expected: [string, SampleInput["answer"]][] = [
    ["Go 20 km/h", { kind: "calls", calls: [{ name: "set_drone_speed", arguments: { speed: 20 } }] }],
    ["Bring it down right here", landHere as SampleInput["answer"]],
    ["Paint it red", { kind: "calls", calls: [{ name: "reject_request", arguments: {} }] }],
    ["Sing a song", { kind: "calls", calls: [{ name: "reject_request", arguments: {} }] }],
    ["Land at home base", { kind: "calls", calls: [{ name: "land_drone", arguments: { location: "home_base" } }] }],
    ["Detect nearby drones", { kind: "calls", calls: [{ name: "reject_request", arguments: {} }] }],
  ];

  it.each(lines.map((line, i) => [i + 1, line, ...expected[i]] as const))("imports line %i with its query, call and tools", (_n, line, query, answer) => {
    expect(detectFormat(line)).toBe("chat");
    const imported = sample(line);
    expect(imported).toEqual({ sourceId: null, query, tools: [land, speed, reject], answer, cot: null });
  });
});

describe("OpenAI chat: content as parts", () => {
  it("reads text parts in the user and the assistant message", () => {
    const record = drone({ content: [{ type: "text", text: "I can only land it." }, { type: "text", text: "Shall I?" }] });
    record.messages[1] = { role: "user", content: [{ type: "text", text: "Do a barrel roll" }] } as never;
    expect(sample(record)).toMatchObject({ query: "Do a barrel roll", answer: { kind: "text", text: "I can only land it.\nShall I?" }, cot: null });
  });

  it("reads {type, value} parts as some tools write them: text, reasoning and tool_call", () => {
    const imported = sample(
      drone({
        content: [
          { type: "reasoning", value: "The user wants it down where they are." },
          { type: "tool_call", value: { name: "land_drone", arguments: { location: "current" } } },
        ],
      }),
    );
    expect(imported).toMatchObject({ answer: landHere, cot: "The user wants it down where they are." });
    expect(sample(drone({ content: [{ type: "text", value: "No tool for that." }] })).answer).toEqual({ kind: "text", text: "No tool for that." });
    expect(sample(drone({ content: [{ type: "tool_call", value: '{"name": "land_drone", "arguments": "{\\"location\\": \\"current\\"}"}' }] })).answer).toEqual(landHere);
  });

  it("reads the Assistants API's text parts, {type: \"text\", text: {value, annotations}}", () => {
    expect(sample(drone({ content: [{ type: "text", text: { value: "No tool for that.", annotations: [] } }] })).answer).toEqual({ kind: "text", text: "No tool for that." });
  });

  it("reads a refusal part as a text answer", () => {
    expect(sample(drone({ content: [{ type: "refusal", refusal: "I won't do that." }] })).answer).toEqual({ kind: "text", text: "I won't do that." });
  });

  it("reads a FunReason answer split into parts: the think block and the Python calls", () => {
    const imported = sample(drone({ content: [{ type: "text", text: "<think>Land here.</think>" }, { type: "text", text: "[land_drone(location='current')]" }] }));
    expect(imported).toMatchObject({ answer: landHere, cot: "Land here." });
  });
});

describe("OpenAI chat: the chain of thought", () => {
  it.each<[string, Record<string, unknown>]>([
    ["a reasoning part with text", { type: "reasoning", text: "Here means current." }],
    ["a thinking part (Anthropic style, with its signature)", { type: "thinking", thinking: "Here means current.", signature: "abc" }],
    ["a reasoning part with a reasoning field", { type: "reasoning", reasoning: "Here means current." }],
    ["a reasoning part with a summary list (Responses style)", { type: "reasoning", summary: [{ type: "summary_text", text: "Here means current." }] }],
    ["a reasoning part with a summary string", { type: "reasoning", summary: "Here means current." }],
    ["a reasoning_text part", { type: "reasoning_text", text: "Here means current." }],
  ])("takes %s as the CoT", (_label, part) => {
    const imported = sample(drone({ content: [part], tool_calls: [{ type: "function", function: { name: "land_drone", arguments: '{"location": "current"}' } }] }));
    expect(imported).toMatchObject({ answer: landHere, cot: "Here means current." });
  });

  it.each(["reasoning_content", "reasoning", "thinking"])("takes the assistant message's %s field as the CoT", (field) => {
    const imported = sample(drone({ content: null, [field]: "  Here means current.  ", tool_calls: [{ type: "function", function: { name: "land_drone", arguments: { location: "current" } } }] }));
    expect(imported).toMatchObject({ answer: landHere, cot: "Here means current." });
  });

  it("joins every source of reasoning in order: message field, reasoning parts, then the think block", () => {
    const imported = sample(
      drone({
        reasoning_content: "One.",
        content: [{ type: "thinking", thinking: "Two." }, { type: "text", text: "<think>Three.</think>\n\nSorry, no tool for that." }],
      }),
    );
    expect(imported).toMatchObject({ answer: { kind: "text", text: "Sorry, no tool for that." }, cot: "One.\n\nTwo.\n\nThree." });
  });
});

describe("OpenAI chat: arguments and legacy calls", () => {
  it.each<[string, unknown]>([
    ["JSON text (the spec)", '{"location": "current"}'],
    ["an object", { location: "current" }],
    ["double-encoded JSON text", JSON.stringify('{"location": "current"}')],
  ])("reads arguments given as %s", (_label, args) => {
    expect(sample(drone({ tool_calls: [{ id: "c1", type: "function", function: { name: "land_drone", arguments: args } }] })).answer).toEqual(landHere);
    expect(sample(drone({ function_call: { name: "land_drone", arguments: args } })).answer).toEqual(landHere);
  });

  it("reads the legacy function_call with top-level functions, and a tool_calls list of several calls", () => {
    const legacy = { messages: drone({}).messages.slice(0, 2).concat({ role: "assistant", content: null, function_call: { name: "set_drone_speed", arguments: '{"speed": 5}' } } as never), functions: [land, speed] };
    expect(sample(legacy)).toMatchObject({ tools: [land, speed], answer: { kind: "calls", calls: [{ name: "set_drone_speed", arguments: { speed: 5 } }] } });
    const two = sample(
      drone({
        content: null,
        tool_calls: [
          { id: "a", type: "function", function: { name: "set_drone_speed", arguments: '{"speed": 5}' } },
          { id: "b", type: "function", function: { name: "land_drone", arguments: '{"location": "home_base"}' } },
        ],
      }),
    );
    expect(two.answer).toEqual({
      kind: "calls",
      calls: [
        { name: "set_drone_speed", arguments: { speed: 5 } },
        { name: "land_drone", arguments: { location: "home_base" } },
      ],
    });
  });
});

describe("OpenAI chat: multi-turn records", () => {
  it("takes the first request and the first answer, and tool and function results and later turns as the follow-up, call ids kept", () => {
    const record = {
      id: "conv-7",
      tools: [land, speed].map(wrapped),
      messages: [
        { role: "developer", content: SYSTEM },
        { role: "user", content: "Slow down to 5" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "set_drone_speed", arguments: '{"speed": 5}' } }] },
        { role: "tool", tool_call_id: "call_1", content: '{"ok": true}' },
        { role: "assistant", content: "Done, 5 km/h." },
        { role: "user", content: [{ type: "text", text: "Now land here" }] },
        { role: "assistant", function_call: { name: "land_drone", arguments: '{"location": "current"}' } },
        { role: "function", name: "land_drone", content: '{"landed": true}' },
        { role: "assistant", content: "Landed." },
      ],
    };
    expect(sample(record)).toEqual({
      sourceId: "conv-7",
      query: "Slow down to 5",
      tools: [land, speed],
      answer: { kind: "calls", calls: [{ name: "set_drone_speed", arguments: { speed: 5 }, id: "call_1" }] },
      cot: null,
      followUp: [
        { role: "tool", content: '{"ok": true}', callId: "call_1" },
        { role: "assistant", cot: null, answer: { kind: "text", text: "Done, 5 km/h." } },
        { role: "user", content: "Now land here" },
        { role: "assistant", cot: null, answer: { kind: "calls", calls: [{ name: "land_drone", arguments: { location: "current" } }] } },
        { role: "tool", content: '{"landed": true}', name: "land_drone" },
        { role: "assistant", cot: null, answer: { kind: "text", text: "Landed." } },
      ],
    });
  });

  it("takes a clarifying question as the first answer, and never takes the system message as the query", () => {
    const record = {
      tools: [speed].map(wrapped),
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: "Change the speed" },
        { role: "assistant", content: "To how many km/h?" },
        { role: "user", content: "12" },
        { role: "assistant", tool_calls: [{ type: "function", function: { name: "set_drone_speed", arguments: '{"speed": 12}' } }] },
      ],
    };
    expect(sample(record)).toMatchObject({
      query: "Change the speed",
      answer: { kind: "text", text: "To how many km/h?" },
      followUp: [{ role: "user", content: "12" }, { role: "assistant", answer: { kind: "calls", calls: [{ name: "set_drone_speed", arguments: { speed: 12 } }] } }],
    });
    expect(sample(record)).not.toHaveProperty("sourceRecord");
  });

  it("a second user message before any answer: the first answer is missing and the rest follows; a single exchange has no follow-up", () => {
    const between = { tools: [speed], messages: [{ role: "user", content: "Speed 3" }, { role: "user", content: "please" }, { role: "assistant", content: "[set_drone_speed(speed=3)]" }] };
    expect(sample(between)).toMatchObject({
      query: "Speed 3",
      answer: null,
      followUp: [{ role: "user", content: "please" }, { role: "assistant", answer: { kind: "calls", calls: [{ name: "set_drone_speed", arguments: { speed: 3 } }] } }],
    });
    const single = sample({ tools: [speed], messages: [{ role: "system", content: "s" }, { role: "user", content: "Speed 3" }] });
    expect(single).not.toHaveProperty("followUp");
    expect(single).not.toHaveProperty("sourceRecord");
  });

  it("keeps the whole record when a system message comes mid-conversation, and reads a list of messages as a record", () => {
    const record = { tools: [speed], messages: [{ role: "user", content: "Speed 3" }, { role: "assistant", content: "Sure." }, { role: "system", content: "Be brief." }] };
    expect(sample(record)).toMatchObject({ query: "Speed 3", sourceRecord: record });
    expect(detectFormat(record.messages)).toBe("chat");
  });

  it("marks FunReason-MT's error_tool_response, on the record or on a tool message", () => {
    const messages = [{ role: "user", content: "Speed 3" }, { role: "assistant", content: "[set_drone_speed(speed=3)]" }, { role: "tool", content: "error: drone offline" }];
    expect(sample({ tools: [speed], messages, error_tool_response: true })).toMatchObject({ errorToolResponse: true });
    expect(sample({ tools: [speed], messages: [...messages.slice(0, 2), { ...messages[2], error_tool_response: "true" }] })).toMatchObject({ errorToolResponse: true });
    expect(sample({ tools: [speed], messages })).not.toHaveProperty("errorToolResponse");
  });
});

describe("OpenAI chat: a malformed call answer stays the text it is", () => {
  it.each([
    ["calls followed by prose", "<think>Here.</think>\n\n[land_drone(location='current')]\nHope this helps!", "[land_drone(location='current')]\nHope this helps!"],
    ["an unbalanced call list", "[land_drone(location='current')", "[land_drone(location='current')"],
    ["a truncated JSON call", '{"name": "land_drone", "arguments": {"location": "cur', '{"name": "land_drone", "arguments": {"location": "cur'],
    ["a think block never closed", "<think>Landing here", "<think>Landing here"],
  ])("%s", (_label, content, text) => {
    expect(sample(drone({ content })).answer).toEqual({ kind: "text", text });
  });
});

describe("OpenAI chat: per-record errors name the field", () => {
  it.each<[string, Record<string, unknown>, string, string | RegExp]>([
    [
      "double-encoded arguments whose inner text is not JSON",
      { tool_calls: [{ type: "function", function: { name: "land_drone", arguments: JSON.stringify("{location: current}") } }] },
      "messages[2].tool_calls[0].function.arguments",
      /^is JSON text of a string that is not valid JSON/,
    ],
    [
      "legacy arguments that are not JSON",
      { function_call: { name: "land_drone", arguments: "{location" } },
      "messages[2].function_call.arguments",
      /^is a string but not valid JSON/,
    ],
    ["a legacy call without a name", { function_call: { arguments: "{}" } }, "messages[2].function_call.name", "is missing"],
    ["tool_calls that are not a list", { tool_calls: { name: "land_drone" } }, "messages[2].tool_calls", "expected a list of tool calls, got an object"],
    ["an image part in the answer", { content: [{ type: "image_url", image_url: { url: "x" } }] }, "messages[2].content[0].type", /^is "image_url"; expected "text"/],
    ["a reasoning part without text", { content: [{ type: "reasoning", id: "rs_1" }] }, "messages[2].content[0]", /^has no text \(expected one of text, thinking/],
    ["a part that is not an object", { content: ["hi"] }, "messages[2].content[0]", "expected a content part {type, …}, got a string"],
    ["a tool_call part holding a list", { content: [{ type: "tool_call", value: [1] }] }, "messages[2].content[0].value", "expected an object {name, arguments}, got an array"],
    ["a reasoning_content that is not text", { reasoning_content: ["a"] }, "messages[2].reasoning_content", "expected a string, got an array"],
  ])("rejects %s", (_label, assistant, field, message) => {
    const result = error(drone(assistant));
    expect(result).toMatchObject({ index: 4, line: 5, field });
    expect(result.message).toMatch(message);
  });

  it("rejects a user message that holds an image or a call rather than text", () => {
    const withImage = drone({ content: "ok" });
    withImage.messages[1] = { role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] } as never;
    expect(error(withImage)).toMatchObject({ field: "messages[1].content[0].type" });
    const withCall = drone({ content: "ok" });
    withCall.messages[1] = { role: "user", content: [{ type: "tool_call", value: { name: "f" } }] } as never;
    expect(error(withCall)).toMatchObject({ field: "messages[1].content[0]", message: "is not text; a user message can only hold text" });
    const empty = drone({ content: "ok" });
    empty.messages[1] = { role: "user", content: [] } as never;
    expect(error(empty)).toMatchObject({ field: "messages[1].content", message: "is empty" });
  });

  it("names the functions field when the legacy tools are wrong", () => {
    expect(error({ messages: drone({}).messages, functions: [{ description: "no name" }] })).toMatchObject({ field: "functions[0].name", message: "is missing" });
  });
});
