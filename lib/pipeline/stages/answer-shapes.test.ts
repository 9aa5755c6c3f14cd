// Call or text, on the answer shapes real files carry (issue 9 §3). Each assistant turn goes through the chat
// importer, as a user's file would (a leading <think> block becomes the CoT; what does not parse as a call list
// stays a text answer holding the raw text), then through stage 1 and stage 5 by rule. A call answer that does
// not parse must never be a text sample: stage 1 reads it as a call, and stage 5 fails it naming the problem.
import { describe, expect, it } from "vitest";
import { fromRecord } from "@/lib/formats/chat";
import type { SampleInput, Tool } from "@/lib/samples/types";
import type { PipelineSample } from "../types";
import { classifyStage, formatStage } from ".";

const tools: Tool[] = [
  { name: "get_weather", description: "Current weather for a city.", parameters: { city: { type: "str", description: "City." } } },
  { name: "book_hotel", description: "Books a hotel.", parameters: { city: { type: "str", description: "City." } } },
];
const rulesOnly = { judge: null, modelFor: () => "rules" };

/** The sample the chat importer makes of one assistant turn. */
function imported(assistant: string): PipelineSample {
  const record = { messages: [{ role: "user", content: "What is the weather in Lyon?" }, { role: "assistant", content: assistant }], tools };
  const sample = fromRecord(record, { line: 1, index: 0 }) as SampleInput;
  if ("message" in sample) throw new Error(String(sample.message));
  return { query: sample.query, tools: sample.tools, answer: sample.answer, cot: sample.cot };
}

/** Stage 1's classification: "calls", "malformed" (a call that does not parse) or "text". */
async function stage1(sample: PipelineSample): Promise<string> {
  const [verdict] = await classifyStage.run(sample, rulesOnly);
  expect(verdict.outcome).toBe("pass");
  if (verdict.evidence.kind === "text") return "text";
  return verdict.evidence.parses === false ? "malformed" : "calls";
}

/** Stage 5's outcome: "pass", "skip", or the problem it fails on. */
async function stage5(sample: PipelineSample): Promise<string> {
  const [verdict] = await formatStage.run(sample, rulesOnly);
  return verdict.outcome === "fail" ? String(verdict.evidence.problem) : verdict.outcome;
}

const CALL = "[get_weather(city='Lyon')]";
const JSON_CALL = '{"name": "get_weather", "arguments": {"city": "Lyon"}}';
const THINK = "<think>The user wants the weather in Lyon, so I call get_weather.</think>";

// [what, the assistant turn as written, stage 1, stage 5]
const SHAPES: [string, string, "calls" | "malformed" | "text", string][] = [
  // Python call syntax, malformed
  ["prose after the call list", `${THINK}\n\n${CALL}\nHope this helps!`, "malformed", "text after the call list: 'Hope this helps!'"],
  ["two think blocks", `<think>a</think><think>b</think>${CALL}`, "malformed", "two <think> blocks"],
  ["an unbalanced call list", `${THINK} [get_weather(city='Lyon')`, "malformed", "the call list is not closed: missing ']'"],
  ["a think block never closed", `<think>The user wants Lyon.\n\n${CALL}`, "malformed", "<think> is never closed"],
  ["a think block never closed, no call at all", "<think>The user wants the weather in Lyon.", "malformed", "<think> is never closed"],
  ["prose before the call list", `${THINK}\n\nSure! Here you go: ${CALL}`, "malformed", "text before the call list: 'Sure! Here you go:'"],
  ["a call without its list brackets", `${THINK}\n\nget_weather(city='Lyon')`, "malformed", "a call outside a call list: missing '['"],
  ["a call wrapped in prose", `${THINK}\n\nYou could call get_weather(city='Lyon') for that.`, "malformed", "the answer is not a call list: 'You could call get_weather(city='Lyon') for that.'"],
  ["unclosed arguments", `${THINK}[get_weather(city='Lyon'`, "malformed", "the call list does not parse: the arguments of get_weather are not closed with ')' (offset 24)"],
  ["an unbalanced quote", `${THINK}[get_weather(city='Lyon)]`, "malformed", "the call list does not parse: unterminated string (offset 18)"],
  ["a positional argument", `${THINK}[get_weather('Lyon')]`, "malformed", "the call list does not parse: expected a parameter name (positional arguments are not supported) (offset 13)"],
  ["two calls without a comma", `${THINK}[get_weather(city='Lyon') book_hotel(city='Lyon')]`, "malformed", "the call list does not parse: expected ',' or ']' after a call (offset 26)"],
  ["a stray </think> after the calls", `${THINK}${CALL}</think>`, "malformed", "a stray </think> after the think block"],
  ["a second call list after the first", `${THINK}${CALL}\n[book_hotel(city='Lyon')]`, "malformed", "text after the call list: '[book_hotel(city='Lyon')]'"],
  // Calls to names that are not tools, shaped like calls
  ["an unknown function in an unbalanced list", `${THINK}[get_wether(city='Lyon')`, "malformed", "the call list is not closed: missing ']'"],
  ["an unknown function called at the start", `${THINK}lookup(city='Lyon') please`, "malformed", "a call outside a call list: missing '['"],
  ["an unknown function's call list in prose", `${THINK}Try this: [lookup(city='Lyon')] and tell me.`, "malformed", "text before the call list: 'Try this:'"],
  ["a clean call list to an unknown function (stage 2 fails it)", `${THINK}[lookup(city='Lyon')]`, "calls", "pass"],
  // JSON call objects
  ["a JSON call object outside a list", `${THINK}${JSON_CALL}`, "malformed", "a JSON call object outside a call list: missing '['"],
  ["a JSON call list with prose after it", `${THINK}[${JSON_CALL}] Done.`, "malformed", "text after the call list: 'Done.'"],
  ["an unclosed JSON call list", `${THINK}[${JSON_CALL}`, "malformed", "the call list is not closed: missing ']'"],
  ["a JSON call object with an unbalanced quote", `${THINK}{"name": "get_weather", "arguments": {"city": "Lyon}}`, "malformed", "a JSON call object outside a call list: missing '['"],
  ["a JSON call object to an unknown name, in prose", `${THINK}Here: {"name": "lookup", "arguments": {}}`, "malformed", "text before the call: 'Here:'"],
  ["a JSON call list in single quotes", `${THINK}[{'name': 'get_weather', 'arguments': {'city': 'Lyon'}}]`, "malformed", "the call list does not parse: JSON strings use double quotes (offset 2)"],
  // <tool_call> (Hermes) and <functioncall> (glaive)
  ["a <tool_call> block with prose after it", `${THINK}\n<tool_call>\n${JSON_CALL}\n</tool_call>\nAnything else?`, "malformed", "a <tool_call> tag instead of a call list"],
  ["a <tool_call> never closed, without a CoT", `<tool_call>{"name": "get_weather", "arguments": {"city": "Lyon"`, "malformed", "a <tool_call> tag instead of a call list"],
  ["a <tool_call> after prose", `Let me check.\n<tool_call>${JSON_CALL}</tool_call>`, "malformed", "a <tool_call> tag instead of a call list"],
  ["a glaive <functioncall>", `<functioncall> {"name": "get_weather", "arguments": '{"city": "Lyon"}'} <|endoftext|>`, "malformed", "a <functioncall> tag instead of a call list"],
  ["a <functioncall> after a think block", `${THINK}\n\n<functioncall> ${JSON_CALL}`, "malformed", "a <functioncall> tag instead of a call list"],
  // Broken think tags without any call
  ["</think> without <think>", "The tool needs a city.</think>\n\nWhich city?", "malformed", "</think> without an opening <think>"],
  ["a think block in the middle of prose", "Sure. <think>hmm</think> Which city?", "malformed", "text before <think>: 'Sure.'"],
  // Well-formed calls
  ["a call list", `${THINK}\n\n${CALL}`, "calls", "pass"],
  ["a JSON call list", `${THINK}\n\n[${JSON_CALL}]`, "calls", "pass"],
  // Genuine text answers stay text
  ["a refusal naming the tool's subject", "I can't get the weather for you.", "text", "skip"],
  ["a tool's name in prose, with parentheses after a space", "The get_weather tool needs a city (for example Lyon or Paris).", "text", "skip"],
  ["a tool's name in prose", "Use get_weather once you know the city.", "text", "skip"],
  ["a tool's name in parentheses", `${THINK}\n\nI can only tell you the weather (get_weather), not book flights.`, "text", "skip"],
  ["a longer name ending in a tool's name", "my_get_weather(city) is not a tool I have.", "text", "skip"],
  ["a longer name starting with a tool's name", "get_weathering (the process) takes years.", "text", "skip"],
  ["brackets and parentheses in prose", "Here is a list: [1, 2, 3] (sorted).", "text", "skip"],
  ["a bracketed note", "[Note] No tool books flights (sorry).", "text", "skip"],
  ["maths", "f(x) = 2x + 1 is linear; I cannot plot it.", "text", "skip"],
  ["a Markdown link", "See [the docs](https://example.org/weather) for get_weather.", "text", "skip"],
  ["JSON data that is not a call", 'The user record is {"name": "Ann", "age": 3}.', "text", "skip"],
  ["a question back with a CoT", `${THINK}\n\nWhich city do you mean: Lyon in France or Lyon in Kansas?`, "text", "skip"],
  ["an empty think block, then a question", "<think></think>Which city do you mean?", "text", "skip"],
];

describe("stage 1 and stage 5 on answer shapes, as imported", () => {
  it("covers at least 30 shapes", () => {
    expect(SHAPES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(SHAPES)("%s", async (_what, assistant, kind, format) => {
    const sample = imported(assistant);
    expect(await stage1(sample)).toBe(kind);
    expect(await stage5(sample)).toBe(format);
  });
});
