// glaive-function-calling-v2 records, written for this test in the dataset's published shape (system text with
// pretty-printed function JSON, chat transcript with USER/ASSISTANT/FUNCTION RESPONSE turns and <|endoftext|>),
// including the defects seen in the wild.
import { describe, expect, it } from "vitest";
import type { Tool } from "@/lib/samples/types";
import { fromRecord } from "./glaive";
import { IMPORT_FORMATS, detectFormat } from "./index";
import { expectError, expectSample } from "./test-results";

const news: Tool = {
  name: "get_news_headlines",
  description: "Get the latest news headlines for a country, e.g. {\"country\": \"US\"}",
  parameters: { type: "object", properties: { country: { type: "string", description: "The country" } }, required: ["country"] },
};
const bmi: Tool = {
  name: "calculate_bmi",
  description: "Calculate the Body Mass Index",
  parameters: { type: "object", properties: { weight: { type: "number" }, height: { type: "number" } }, required: ["weight", "height"] },
};
const WITH_FUNCTIONS = "SYSTEM: You are a helpful assistant with access to the following functions. Use them if required -\n";
const NO_FUNCTIONS = "SYSTEM: You are a helpful assistant, with no access to external functions.";
/** The system text as glaive writes it: the functions pretty-printed with 4 spaces, one after another. */
const system = (tools: Tool[], separator = "\n\n") => WITH_FUNCTIONS + tools.map((tool) => JSON.stringify(tool, null, 4)).join(separator);
const turns = (...parts: string[]) => parts.join("\n\n\n");
const record = (chat: string, tools: Tool[] = [news, bmi]) => ({ system: system(tools), chat });

const sample = (value: unknown) => expectSample(fromRecord(value, { index: 0, line: 1 }));
const error = (value: unknown) => expectError(fromRecord(value, { index: 2, line: 3 }));

const usNews = { kind: "calls", calls: [{ name: "get_news_headlines", arguments: { country: "United States" } }] };

describe("glaive fromRecord", () => {
  it("reads the functions, the first request and its call with single-quoted JSON arguments, and the rest of the chat as the conversation's follow-up", () => {
    const value = record(
      turns(
        "USER: Can you tell me the latest news headlines for the United States?",
        `ASSISTANT: <functioncall> {"name": "get_news_headlines", "arguments": '{"country": "United States"}'} <|endoftext|>`,
        'FUNCTION RESPONSE: {"headlines": ["A", "B"]}',
        "ASSISTANT: Here are the headlines: A, B. <|endoftext|>",
        "USER: Thanks!",
        "ASSISTANT: You're welcome! <|endoftext|>",
      ),
    );
    expect(detectFormat(value)).toBe("glaive");
    expect(sample(value)).toEqual({
      sourceId: null,
      query: "Can you tell me the latest news headlines for the United States?",
      tools: [news, bmi],
      answer: usNews,
      cot: null,
      followUp: [
        { role: "tool", content: '{"headlines": ["A", "B"]}' },
        { role: "assistant", cot: null, answer: { kind: "text", text: "Here are the headlines: A, B." } },
        { role: "user", content: "Thanks!" },
        { role: "assistant", cot: null, answer: { kind: "text", text: "You're welcome!" } },
      ],
    });
  });

  it("keeps no source record for a single exchange", () => {
    const value = record(turns("USER: News for the United States?", `ASSISTANT: <functioncall> {"name": "get_news_headlines", "arguments": '{"country": "United States"}'} <|endoftext|>`));
    expect(sample(value)).toEqual({ sourceId: null, query: "News for the United States?", tools: [news, bmi], answer: usNews, cot: null });
  });

  it.each<[string, string, Record<string, unknown>]>([
    ["single-quoted JSON over several lines", `'{\n  "weight": 70,\n  "height": 1.75\n}'`, { weight: 70, height: 1.75 }],
    ["an object", `{"weight": 70, "height": 1.75}`, { weight: 70, height: 1.75 }],
    ["double-quoted JSON text", JSON.stringify('{"weight": 70, "height": 1.75}'), { weight: 70, height: 1.75 }],
    ["single-quoted JSON with an apostrophe inside a string", `'{"weight": 70, "height": 1.75, "note": "User's own"}'`, { weight: 70, height: 1.75, note: "User's own" }],
    ["a single-quoted empty object", `'{}'`, {}],
    ["single-quoted JSON with an escaped apostrophe", `'{"weight": 70, "height": 1.75, "note": "it\\'s mine, C:\\\\"}'`, { weight: 70, height: 1.75, note: "it's mine, C:\\" }],
  ])("reads arguments given as %s", (_label, args, expected) => {
    const value = record(turns("USER: My BMI for 70 kg and 1.75 m?", `ASSISTANT: <functioncall> {"name": "calculate_bmi", "arguments": ${args}} <|endoftext|>`));
    expect(sample(value).answer).toEqual({ kind: "calls", calls: [{ name: "calculate_bmi", arguments: expected }] });
  });

  it("reads a call without arguments as a call with none", () => {
    const value = record(turns("USER: What time is it?", 'ASSISTANT: <functioncall> {"name": "get_current_time"} <|endoftext|>'));
    expect(sample(value).answer).toEqual({ kind: "calls", calls: [{ name: "get_current_time", arguments: {} }] });
  });

  it("reads functions separated by one newline or by blank lines, with braces inside their strings", () => {
    for (const separator of ["\n", "\n\n", " "]) {
      expect(sample({ system: system([news, bmi], separator), chat: "USER: Hi" }).tools).toEqual([news, bmi]);
    }
    expect(sample({ system: system([bmi]), chat: "USER: Hi" }).tools).toEqual([bmi]);
  });

  it("reads a record with no functions and a text answer as a text sample with no tools", () => {
    const value = { system: NO_FUNCTIONS, chat: turns("USER: Can you book me a flight to Paris?", "ASSISTANT: I'm sorry, I can't book flights. <|endoftext|>") };
    expect(sample(value)).toEqual({
      sourceId: null,
      query: "Can you book me a flight to Paris?",
      tools: [],
      answer: { kind: "text", text: "I'm sorry, I can't book flights." },
      cot: null,
    });
  });

  it("takes a clarifying question as the first answer, the user's reply and the call after it as the follow-up", () => {
    const value = record(
      turns(
        "USER: I need my BMI.",
        "ASSISTANT: Sure, what are your weight and height? <|endoftext|>",
        "USER: 70 kg, 1.75 m.",
        `ASSISTANT: <functioncall> {"name": "calculate_bmi", "arguments": '{"weight": 70, "height": 1.75}'} <|endoftext|>`,
      ),
    );
    expect(sample(value)).toEqual({
      sourceId: null,
      query: "I need my BMI.",
      tools: [news, bmi],
      answer: { kind: "text", text: "Sure, what are your weight and height?" },
      cot: null,
      followUp: [
        { role: "user", content: "70 kg, 1.75 m." },
        { role: "assistant", cot: null, answer: { kind: "calls", calls: [{ name: "calculate_bmi", arguments: { weight: 70, height: 1.75 } }] } },
      ],
    });
  });

  it("reads role markers written on one line", () => {
    const value = record(`USER: News for the United States? ASSISTANT: <functioncall> {"name": "get_news_headlines", "arguments": '{"country": "United States"}'} <|endoftext|> FUNCTION RESPONSE: {"headlines": []} ASSISTANT: None today. <|endoftext|>`);
    expect(sample(value)).toMatchObject({
      query: "News for the United States?",
      answer: usNews,
      followUp: [{ role: "tool", content: '{"headlines": []}' }, { role: "assistant", cot: null, answer: { kind: "text", text: "None today." } }],
    });
    expect(sample(value)).not.toHaveProperty("sourceRecord");
  });

  it("keeps an undeclared function name as the call (the rule stages judge it)", () => {
    const value = record(turns("USER: Convert 100 USD to EUR", `ASSISTANT: <functioncall> {"name": "convert_currency", "arguments": '{"amount": 100, "from": "USD", "to": "EUR"}'} <|endoftext|>`));
    expect(sample(value).answer).toEqual({ kind: "calls", calls: [{ name: "convert_currency", arguments: { amount: 100, from: "USD", to: "EUR" } }] });
  });

  it.each([
    ["text before the call", `Sure, let me check. <functioncall> {"name": "get_news_headlines", "arguments": '{"country": "US"}'}`],
    ["a call cut off mid-arguments", `<functioncall> {"name": "get_news_headlines", "arguments": '{"country": "Uni`],
    ["a call whose single quote never closes", `<functioncall> {"name": "get_news_headlines", "arguments": '{"country": "US"}}`],
    ["arguments that are not JSON", `<functioncall> {"name": "get_news_headlines", "arguments": '{country: US}'}`],
    ["arguments that are a list", `<functioncall> {"name": "get_news_headlines", "arguments": '["US"]'}`],
    ["text after the call", `<functioncall> {"name": "get_news_headlines", "arguments": '{"country": "US"}'} Here you go.`],
    ["a call without a name", `<functioncall> {"arguments": '{"country": "US"}'}`],
    ["a tag with no call", "<functioncall>"],
  ])("keeps %s as a text answer holding the turn as written", (_label, turn) => {
    const value = record(turns("USER: News for the US?", `ASSISTANT: ${turn} <|endoftext|>`));
    expect(sample(value).answer).toEqual({ kind: "text", text: turn });
  });

  it("gives no answer when the chat has no assistant turn, or an empty one", () => {
    expect(sample(record("USER: Hello?")).answer).toBeNull();
    expect(sample(record(turns("USER: Hello?", "ASSISTANT: <|endoftext|>"))).answer).toBeNull();
  });

  it("takes an id field as the source id", () => {
    expect(sample({ ...record("USER: Hi"), id: 42 }).sourceId).toBe("42");
  });

  it.each<[string, Record<string, unknown>, string, string | RegExp]>([
    ["a system that is not text", { system: ["x"] }, "system", "expected a string, got an array"],
    ["a chat that is missing", { chat: undefined }, "chat", "is missing"],
    ["a chat without a USER turn", { chat: "ASSISTANT: Hello <|endoftext|>" }, "chat", 'has no "USER:" turn'],
    ["an empty first USER turn", { chat: turns("USER: ", "ASSISTANT: Hi") }, "chat", 'the first "USER:" turn is empty'],
    ["a function cut off", { system: WITH_FUNCTIONS + JSON.stringify(news, null, 4).slice(0, 40) }, "system", "function 1 is cut off: its JSON object never closes"],
    ["a function that is not JSON", { system: `${system([news])}\n{name: "f"}` }, "system", /^function 2 is not valid JSON/],
    ["a function without a name", { system: `${WITH_FUNCTIONS}{"description": "nameless"}` }, "system[0].name", "is missing"],
    ["a 200,000-character request", { chat: `USER: ${"q".repeat(200_000)}` }, "chat", "is 200,000 characters; the limit is 100,000"],
  ])("rejects %s, naming the field", (_label, change, field, message) => {
    const result = error({ ...record("USER: Hi"), ...change });
    expect(result).toMatchObject({ index: 2, line: 3, field });
    expect(result.message).toMatch(message);
  });

  it("is registered as an import format", () => {
    expect(IMPORT_FORMATS.glaive.fromRecord).toBe(fromRecord);
    expect(detectFormat({ system: NO_FUNCTIONS, chat: "USER: Hi" })).toBe("glaive");
    expect(detectFormat({ system: 1, chat: "USER: Hi" })).toBeNull();
  });
});
