// ShareGPT-shaped records, written from the published specifications: LLaMA-Factory's data/README.md (sharegpt
// format, its glaive_toolcall demo), ToolACE and APIGen-MT conversions, FunReason-MT-style {role, content} turns and
// NousResearch's Hermes function-calling format (<tools>, <tool_call>, <tool_response>).
import { describe, expect, it } from "vitest";
import { contentHash } from "@/lib/samples/hash";
import type { SampleInput } from "@/lib/samples/types";
import { EXPORT_FORMATS, detectFormat, type ExportSample } from "./index";
import { fromRecord } from "./sharegpt";

const at = { index: 0, line: 7 };
const loanTool = {
  name: "calculate_loan_payment",
  description: "Calculate the monthly loan payment",
  parameters: {
    type: "object",
    properties: {
      principal: { type: "number", description: "The loan amount" },
      interest_rate: { type: "number", description: "The annual interest rate" },
      loan_term: { type: "integer", description: "The loan term in years" },
    },
    required: ["principal", "interest_rate", "loan_term"],
  },
};
const stockTool = {
  name: "get_stock_price",
  description: "Get the current stock price of a company",
  parameters: { type: "object", properties: { symbol: { type: "string", description: "The stock symbol" } }, required: ["symbol"] },
};

const ok = (record: unknown): SampleInput => {
  const sample = fromRecord(record, at);
  if ("message" in sample) throw new Error(`rejected: ${sample.field}: ${sample.message}`);
  return sample;
};

describe("LLaMA-Factory sharegpt records", () => {
  const glaive = {
    conversations: [
      { from: "human", value: "I need help calculating my loan payment: $50000 at 5% for 10 years." },
      { from: "function_call", value: '{"name": "calculate_loan_payment", "arguments": {"principal": 50000, "interest_rate": 5, "loan_term": 10}}' },
      { from: "observation", value: '{"monthly_payment": 530.33}' },
      { from: "gpt", value: "Your monthly loan payment would be $530.33." },
    ],
    tools: JSON.stringify([loanTool]),
  };

  it("imports the first request and the function_call answer, the observation and the gpt turn after it as the follow-up", () => {
    expect(ok(glaive)).toEqual({
      sourceId: null,
      query: "I need help calculating my loan payment: $50000 at 5% for 10 years.",
      tools: [loanTool],
      answer: { kind: "calls", calls: [{ name: "calculate_loan_payment", arguments: { principal: 50000, interest_rate: 5, loan_term: 10 } }] },
      cot: null,
      followUp: [
        { role: "tool", content: '{"monthly_payment": 530.33}' },
        { role: "assistant", cot: null, answer: { kind: "text", text: "Your monthly loan payment would be $530.33." } },
      ],
    });
    expect(detectFormat(glaive)).toBe("sharegpt");
  });

  it("reads parallel calls (a list), arguments as JSON text, a <think> block before the call, and keeps no source record for one exchange", () => {
    const sample = ok({
      id: 12,
      system: "You are a finance assistant.",
      conversations: [
        { from: "human", value: "Stock prices of Apple and Microsoft?" },
        {
          from: "function_call",
          value:
            '<think>\nTwo companies, one call each.\n</think>\n\n[{"name": "get_stock_price", "arguments": "{\\"symbol\\": \\"AAPL\\"}"}, {"name": "get_stock_price", "arguments": {"symbol": "MSFT"}}]',
        },
      ],
      tools: [stockTool],
    });
    expect(sample).toEqual({
      sourceId: "12",
      query: "Stock prices of Apple and Microsoft?",
      tools: [stockTool],
      answer: {
        kind: "calls",
        calls: [
          { name: "get_stock_price", arguments: { symbol: "AAPL" } },
          { name: "get_stock_price", arguments: { symbol: "MSFT" } },
        ],
      },
      cot: "Two companies, one call each.",
    });
    expect(sample).not.toHaveProperty("sourceRecord");
  });

  it("takes a gpt answer as text (CoT from <think>), and a record without tools as a tool-less chat sample", () => {
    expect(ok({ conversations: [{ from: "system", value: "Be brief." }, { from: "human", value: "Hi!" }, { from: "gpt", value: "<think>A greeting.</think>\n\nHello!" }] })).toEqual({
      sourceId: null,
      query: "Hi!",
      tools: [],
      answer: { kind: "text", text: "Hello!" },
      cot: "A greeting.",
    });
  });

  it("imports a first answer in text whose calls come later: the text is the first answer, the calls a later turn", () => {
    const record = {
      conversations: [
        { from: "human", value: "Can you check a stock for me?" },
        { from: "gpt", value: "Sure, which company?" },
        { from: "human", value: "Apple." },
        { from: "function_call", value: '{"name": "get_stock_price", "arguments": {"symbol": "AAPL"}}' },
      ],
      tools: JSON.stringify([stockTool]),
    };
    expect(ok(record)).toMatchObject({
      answer: { kind: "text", text: "Sure, which company?" },
      followUp: [
        { role: "user", content: "Apple." },
        { role: "assistant", cot: null, answer: { kind: "calls", calls: [{ name: "get_stock_price", arguments: { symbol: "AAPL" } }] } },
      ],
    });
  });

  it("has no answer when the conversation ends with the request", () => {
    expect(ok({ conversations: [{ from: "human", value: "Price of AAPL?" }], tools: "[]" })).toMatchObject({ answer: null, cot: null, tools: [] });
  });

  it("joins a reasoning-only turn with the function_call after it (converters that split them)", () => {
    const sample = ok({
      conversations: [
        { from: "human", value: "Price of AAPL?" },
        { from: "gpt", value: "<think>One lookup.</think>" },
        { from: "function_call", value: '{"name": "get_stock_price", "arguments": {"symbol": "AAPL"}}' },
      ],
      tools: JSON.stringify([stockTool]),
    });
    expect(sample).toMatchObject({ cot: "One lookup.", answer: { kind: "calls", calls: [{ name: "get_stock_price", arguments: { symbol: "AAPL" } }] } });
    expect(sample).not.toHaveProperty("sourceRecord");
  });
});

describe("user/assistant/tool spellings (ToolACE, APIGen-MT) and {role, content} turns (FunReason-MT)", () => {
  it("reads ToolACE: tools as a JSON list inside the system text, Python-syntax calls", () => {
    const tool = { name: "Weather", description: "Weather for a city", parameters: { type: "dict", properties: { city: { type: "string" } }, required: ["city"] }, required: null };
    const record = {
      system: `You are an expert in composing functions. You are given a question and a set of possible functions.\nHere is a list of functions in JSON format that you can invoke:\n${JSON.stringify([tool])}. \nShould you decide to return the function call(s), put it in the format of [func1(params_name=params_value)]`,
      conversations: [
        { from: "user", value: "Weather in Lyon?" },
        { from: "assistant", value: '[Weather(city="Lyon")]' },
        { from: "tool", value: '[{"name": "Weather", "results": {"temp": 12}}]' },
        { from: "assistant", value: "It is 12 degrees in Lyon." },
      ],
    };
    expect(ok(record)).toMatchObject({
      tools: [tool],
      answer: { kind: "calls", calls: [{ name: "Weather", arguments: { city: "Lyon" } }] },
      followUp: [
        { role: "tool", content: '[{"name": "Weather", "results": {"temp": 12}}]' },
        { role: "assistant", answer: { kind: "text", text: "It is 12 degrees in Lyon." } },
      ],
    });
  });

  it("reads APIGen-MT: from human/function_call/observation/gpt, system and tools beside", () => {
    const record = {
      conversations: [
        { from: "human", value: "Cancel order #W123." },
        { from: "function_call", value: '{"name": "cancel_pending_order", "arguments": {"order_id": "#W123", "reason": "no longer needed"}}' },
        { from: "observation", value: '{"status": "cancelled"}' },
        { from: "gpt", value: "Order #W123 is cancelled." },
      ],
      system: "You are a retail agent.",
      tools: JSON.stringify([{ name: "cancel_pending_order", description: "Cancel an order", parameters: { type: "object", properties: { order_id: { type: "string" }, reason: { type: "string" } }, required: ["order_id", "reason"] } }]),
    };
    expect(ok(record)).toMatchObject({
      query: "Cancel order #W123.",
      answer: { kind: "calls", calls: [{ name: "cancel_pending_order" }] },
      followUp: [{ role: "tool", content: '{"status": "cancelled"}' }, { role: "assistant", answer: { kind: "text", text: "Order #W123 is cancelled." } }],
    });
    expect(ok(record)).not.toHaveProperty("sourceRecord");
  });

  it("reads FunReason-MT style {role, content} turns with <think> and <tool_call> in the assistant's content", () => {
    const record = {
      conversations: [
        { role: "user", content: "What is AAPL trading at?" },
        { role: "assistant", content: '<think>Look the price up.</think>\n<tool_call>\n{"name": "get_stock_price", "arguments": {"symbol": "AAPL"}}\n</tool_call>' },
        { role: "tool", content: '{"price": 190.1}' },
        { role: "assistant", content: "<think>Report it.</think>\nApple trades at $190.10." },
      ],
      tools: JSON.stringify([{ type: "function", function: stockTool }]),
      error_tool_response: false,
    };
    expect(ok(record)).toEqual({
      sourceId: null,
      query: "What is AAPL trading at?",
      tools: [stockTool],
      answer: { kind: "calls", calls: [{ name: "get_stock_price", arguments: { symbol: "AAPL" } }] },
      cot: "Look the price up.",
      followUp: [
        { role: "tool", content: '{"price": 190.1}' },
        { role: "assistant", cot: "Report it.", answer: { kind: "text", text: "Apple trades at $190.10." } },
      ],
    });
    expect(ok({ ...record, error_tool_response: true })).toMatchObject({ errorToolResponse: true });
  });
  it("reads an OpenAI-style assistant turn's tool_calls (arguments as JSON text) after its <think> content", () => {
    const record = {
      conversations: [
        { role: "user", content: "AAPL?" },
        { role: "assistant", content: "<think>Look it up.</think>", tool_calls: [{ id: "c0", type: "function", function: { name: "get_stock_price", arguments: '{"symbol": "AAPL"}' } }] },
      ],
      tools: JSON.stringify([stockTool]),
    };
    expect(ok(record)).toMatchObject({ cot: "Look it up.", answer: { kind: "calls", calls: [{ name: "get_stock_price", arguments: { symbol: "AAPL" } }] } });
  });
  it("reads a turn's tool_calls the way the OpenAI chat format does: double-encoded arguments too", () => {
    const doubled = JSON.stringify(JSON.stringify({ symbol: "AAPL" }));
    const record = {
      conversations: [
        { role: "user", content: "AAPL?" },
        { role: "assistant", content: null, tool_calls: [{ type: "function", function: { name: "get_stock_price", arguments: doubled } }] },
      ],
      tools: JSON.stringify([stockTool]),
    };
    expect(ok(record)).toMatchObject({ answer: { kind: "calls", calls: [{ name: "get_stock_price", arguments: { symbol: "AAPL" } }] } });
  });
});

describe("Hermes function-calling", () => {
  // The system prompt of hermes-function-calling-v1: tools as a Python literal; its own wording mentions <tools></tools>.
  const system =
    "You are a function calling AI model. You are provided with function signatures within <tools></tools> XML tags. " +
    "You may call one or more functions to assist with the user query. Here are the available tools: <tools> " +
    "[{'type': 'function', 'function': {'name': 'get_stock_price', 'description': 'Get the current stock price of a company', " +
    "'parameters': {'type': 'object', 'properties': {'symbol': {'type': 'string', 'description': 'The stock symbol'}}, 'required': ['symbol']}}}] " +
    "</tools> For each function call return a json object with function name and arguments within <tool_call></tool_call> XML tags as follows:\n" +
    "<tool_call>\n{'arguments': <args-dict>, 'name': <function-name>}\n</tool_call>";

  it("reads tools from the <tools> block and Python-dict calls from <tool_call> blocks; results come back as tool turns", () => {
    const record = {
      id: "85f6c398-69c7-4df2-aed1-29d614a93a26",
      conversations: [
        { from: "system", value: system },
        { from: "human", value: "What are Apple's and Microsoft's stock prices?" },
        { from: "gpt", value: "<tool_call>\n{'arguments': {'symbol': 'AAPL'}, 'name': 'get_stock_price'}\n</tool_call>\n<tool_call>\n{'arguments': {'symbol': 'MSFT'}, 'name': 'get_stock_price'}\n</tool_call>" },
        { from: "tool", value: "<tool_response>\n{'name': 'get_stock_price', 'content': {'price': 150.75}}\n</tool_response>" },
        { from: "gpt", value: "Apple is at $150.75." },
      ],
    };
    expect(detectFormat(record)).toBe("sharegpt");
    expect(ok(record)).toEqual({
      sourceId: "85f6c398-69c7-4df2-aed1-29d614a93a26",
      query: "What are Apple's and Microsoft's stock prices?",
      tools: [stockTool],
      answer: {
        kind: "calls",
        calls: [
          { name: "get_stock_price", arguments: { symbol: "AAPL" } },
          { name: "get_stock_price", arguments: { symbol: "MSFT" } },
        ],
      },
      cot: null,
      followUp: [
        { role: "tool", content: "{'name': 'get_stock_price', 'content': {'price': 150.75}}" },
        { role: "assistant", cot: null, answer: { kind: "text", text: "Apple is at $150.75." } },
      ],
    });
  });

  it("takes a <think> before the calls as the CoT, JSON calls, and a <tool_response> sent back as a human turn as a result", () => {
    const sample = ok({
      conversations: [
        { from: "system", value: `You are a function calling AI model.\n<tools>\n${JSON.stringify([{ type: "function", function: stockTool }])}\n</tools>` },
        { from: "human", value: "AAPL price?" },
        { from: "gpt", value: '<think>\nOne symbol.\n</think>\n<tool_call>\n{"name": "get_stock_price", "arguments": {"symbol": "AAPL"}}\n</tool_call>' },
        { from: "human", value: '<tool_response>\n{"price": 150.75}\n</tool_response>' },
      ],
    });
    expect(sample).toMatchObject({ cot: "One symbol.", tools: [stockTool], answer: { kind: "calls", calls: [{ name: "get_stock_price", arguments: { symbol: "AAPL" } }] } });
    expect(sample.followUp).toEqual([{ role: "tool", content: '{"price": 150.75}' }]);
  });

  it("reads one tool per line in <tools> (Qwen's template) under a messages key, with {role, content} turns", () => {
    const other = { name: "get_time", description: "Current time", parameters: { type: "object", properties: {}, required: [] } };
    const record = {
      messages: [
        { role: "system", content: `# Tools\n<tools>\n${JSON.stringify({ type: "function", function: stockTool })}\n${JSON.stringify({ type: "function", function: other })}\n</tools>` },
        { role: "user", content: "Time please." },
        { role: "assistant", content: '<tool_call>\n{"name": "get_time", "arguments": {}}\n</tool_call>' },
      ],
    };
    expect(detectFormat(record)).toBe("sharegpt");
    expect(ok(record)).toMatchObject({ tools: [stockTool, other], answer: { kind: "calls", calls: [{ name: "get_time", arguments: {} }] } });
    expect(detectFormat({ messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }] })).toBe("chat");
  });
});

describe("malformed call answers are kept as the text they are, never fixed up or refused", () => {
  const tools = JSON.stringify([stockTool]);
  it.each([
    ["a <tool_call> whose JSON does not parse", '<tool_call>\n{"name": "get_stock_price", "arguments": {"symbol": "AAPL"}\n</tool_call>'],
    ["a <tool_call> that is never closed", '<tool_call>\n{"name": "get_stock_price", "arguments": {"symbol": "AAPL"}}'],
    ["text after the calls", '<tool_call>\n{"name": "get_stock_price", "arguments": {"symbol": "AAPL"}}\n</tool_call>\nHope this helps!'],
    ["a call without a name", '<tool_call>\n{"arguments": {"symbol": "AAPL"}}\n</tool_call>'],
    ["arguments that are not an object", '<tool_call>\n{"name": "get_stock_price", "arguments": ["AAPL"]}\n</tool_call>'],
  ])("gpt turn with %s", (_, value) => {
    expect(ok({ conversations: [{ from: "human", value: "AAPL?" }, { from: "gpt", value: `<think>Look it up.</think>\n${value}` }], tools })).toMatchObject({
      cot: "Look it up.",
      answer: { kind: "text", text: value },
    });
  });

  it("a function_call turn whose value is not a call", () => {
    const value = '{"name": "get_stock_price", "arguments": {"symbol": "AAPL"';
    expect(ok({ conversations: [{ from: "human", value: "AAPL?" }, { from: "function_call", value }], tools })).toMatchObject({ answer: { kind: "text", text: value } });
  });
});

describe("errors name the line and the field", () => {
  it.each([
    [{ conversations: "hi" }, "conversations", "expected a list of turns, got a string"],
    [{ conversations: [] }, "conversations", "is empty"],
    [{ conversations: ["hi"] }, "conversations[0]", "expected a turn {from, value} or {role, content}, got a string"],
    [{ conversations: [{ from: "human", value: "q" }, { value: "a" }] }, "conversations[1].role", "is missing: a turn says who speaks in from (or role)"],
    [{ conversations: [{ from: "human", value: "q" }, { from: "bot", value: "a" }] }, "conversations[1].from", 'is "bot"; expected one of'],
    [{ conversations: [{ from: "human", value: 42 }] }, "conversations[0].value", "expected a string, got a number"],
    [{ conversations: [{ from: "gpt", value: "hello" }] }, "conversations", "has no user turn (from human or user)"],
    [{ conversations: [{ from: "human", value: "  " }] }, "conversations[0].value", "is empty"],
    [{ conversations: [{ from: "human", value: "q" }], tools: "[{broken" }, "tools", "is a string but not valid JSON"],
    [{ conversations: [{ from: "human", value: "q" }], tools: [{ description: "no name" }] }, "tools[0].name", "is missing"],
    [{ conversations: [{ from: "system", value: "<tools>[{oops</tools>" }, { from: "human", value: "q" }] }, "conversations[0].value", "holds a <tools> block that is neither JSON nor a Python literal"],
    [{ system: 3, conversations: [{ from: "human", value: "q" }] }, "system", "expected a string, got a number"],
  ])("%j → %s", (record, field, message) => {
    const error = fromRecord(record, at);
    expect(error).toMatchObject({ line: 7, index: 0, field });
    expect((error as { message: string }).message).toContain(message);
  });
});

describe("ShareGPT export", () => {
  const stored = (sample: SampleInput): ExportSample => ({ ...sample, id: 41, datasetId: 1, datasetName: "ds", status: "passed", version: 1 });
  const xlamTool = { name: "forecast", description: "Daily forecast.", parameters: { city: { type: "str", description: "City." }, days: { type: "int, optional", default: 1 } } };
  const calls: SampleInput = {
    sourceId: "7",
    query: "Weather in Lyon for 2 days?",
    tools: [xlamTool],
    answer: { kind: "calls", calls: [{ name: "forecast", arguments: { city: "Lyon", days: 2 } }] },
    cot: "The user wants Lyon,\ntwo days.",
  };
  const text: SampleInput = { sourceId: null, query: "Tell me a joke.", tools: [xlamTool], answer: { kind: "text", text: "No tool tells jokes." }, cot: "Nothing to call." };
  const line = (sample: SampleInput) => JSON.parse(EXPORT_FORMATS.sharegpt.serialize(stored(sample)));

  it("writes what LLaMA-Factory reads: a function_call turn its function formatter parses, tools as JSON Schema text", () => {
    const out = line(calls);
    expect(out.conversations).toEqual([
      { from: "human", value: "Weather in Lyon for 2 days?" },
      { from: "function_call", value: '<think>\nThe user wants Lyon,\ntwo days.\n</think>\n\n[{"name":"forecast","arguments":{"city":"Lyon","days":2}}]' },
    ]);
    // LLaMA-Factory's FunctionFormatter: cut the thought (its default thought_words), json.loads the rest.
    const thought = /<think>\n(.*?)\n<\/think>\n\n/s.exec(out.conversations[1].value);
    expect(thought?.[1]).toBe(calls.cot);
    expect(JSON.parse(out.conversations[1].value.replace(thought![0], ""))).toEqual([{ name: "forecast", arguments: { city: "Lyon", days: 2 } }]);
    expect(JSON.parse(out.tools)).toEqual([
      {
        name: "forecast",
        description: "Daily forecast.",
        parameters: { type: "object", properties: { city: { type: "string", description: "City." }, days: { type: "integer", default: 1 } }, required: ["city"] },
      },
    ]);
    expect(typeof out.studio_tools).toBe("string");
    expect(out.id).toBe("7");
  });

  it("writes a text answer as a gpt turn, and a sample without an answer as its human turn alone", () => {
    expect(line(text).conversations[1]).toEqual({ from: "gpt", value: "<think>\nNothing to call.\n</think>\n\nNo tool tells jokes." });
    expect(line(text).id).toBe("41");
    expect(line({ ...text, answer: null, cot: null }).conversations).toEqual([{ from: "human", value: "Tell me a joke." }]);
  });

  it.each([
    ["calls", calls],
    ["a text answer", text],
    ["calls without a CoT", { ...calls, cot: null }],
  ])("re-imports %s (detected as ShareGPT) to the same sample and content hash", (_, sample) => {
    const exported = line(sample);
    expect(detectFormat(exported)).toBe("sharegpt");
    const again = ok(exported);
    expect(again).toEqual({ ...sample, sourceId: sample.sourceId ?? "41" });
    expect(contentHash(again)).toBe(contentHash(sample));
  });
});
