// One chat message as people really write it (OpenAI chat completions and what tools around it produce): content
// as a string or an array of parts, the chain of thought in reasoning parts or in a message field, calls in
// `tool_calls`, in the legacy `function_call`, or in tool-call parts.
import type { Answer, ToolCall } from "@/lib/samples/types";
import { parseCallList, splitThink } from "@/lib/pipeline/render";
import { argumentsField, check, cotOrNull, fail, jsonField, kindOf, stringSchema } from "./fields";

export type Message = { role: string } & Record<string, unknown>;

const TEXT_PARTS = new Set(["text", "input_text", "output_text"]);
const REASONING_PARTS = new Set(["reasoning", "thinking", "reasoning_text", "summary_text"]);
const CALL_PARTS = new Set(["tool_call", "function_call"]);
/** Where a reasoning part holds its text, in the order tried (Anthropic `thinking`, OpenAI `summary`, …). */
const REASONING_TEXT_FIELDS = ["text", "thinking", "reasoning", "value", "content", "summary"];
/** Message fields that hold the chain of thought (DeepSeek and vLLM `reasoning_content`, vLLM `reasoning`, …). */
const REASONING_MESSAGE_FIELDS = ["reasoning_content", "reasoning", "thinking"];

/** A message's content split by kind: text, chain-of-thought pieces and calls, each piece with its field. */
interface Content {
  text: string;
  reasoning: { text: string; field: string }[];
  /** `part` is the content part, `field` where the call itself is (the part, or its `value`). */
  calls: { value: unknown; field: string; part: string }[];
}

/** The text of a user message: a string, or text parts joined by newlines. */
export function messageText(message: Message, path: string): string {
  const content = readContent(message.content, `${path}.content`);
  const other = content.reasoning[0]?.field ?? content.calls[0]?.part;
  if (other) fail(other, "is not text; a user message can only hold text");
  return content.text;
}

/**
 * An assistant message as the sample's answer and CoT. Calls come from `tool_calls`, `function_call` or tool-call
 * parts; without calls, the text after an optional `<think>` block is parsed as a call list (FunReason's Python
 * syntax or a JSON list) and is otherwise a text answer, kept as written. The CoT joins, in this order, the
 * reasoning message fields, the reasoning parts and the `<think>` block.
 */
export function assistantReply(message: Message, path: string): { answer: Answer | null; cot: string | null } {
  const content = readContent(message.content, `${path}.content`);
  const { cot: think, rest } = splitThink(content.text);
  const reasoning = [
    ...REASONING_MESSAGE_FIELDS.filter((key) => message[key] !== undefined && message[key] !== null).map((key) => ({
      text: check(stringSchema, message[key], `${path}.${key}`),
      field: `${path}.${key}`,
    })),
    ...content.reasoning,
    ...(think === null ? [] : [{ text: think, field: `${path}.content` }]),
  ].filter((piece) => piece.text.trim());
  const cot = cotOrNull(reasoning.map((piece) => piece.text.trim()).join("\n\n"), reasoning.length === 1 ? reasoning[0].field : `${path}.content`);

  const calls = [...toolCalls(message.tool_calls, `${path}.tool_calls`), ...content.calls.map(({ value, field }) => callOf(value, field))];
  if (message.function_call !== undefined && message.function_call !== null) calls.push(callOf(message.function_call, `${path}.function_call`));
  if (calls.length > 0) return { answer: { kind: "calls", calls }, cot };
  if (!rest.trim()) return { answer: null, cot };
  const parsed = parseCallList(rest);
  return { answer: parsed.ok ? { kind: "calls", calls: parsed.calls } : { kind: "text", text: rest }, cot };
}

function readContent(content: unknown, path: string): Content {
  const result: Content = { text: "", reasoning: [], calls: [] };
  if (content === undefined || content === null) return result;
  if (!Array.isArray(content)) {
    result.text = check(stringSchema, content, path);
    return result;
  }
  const texts: string[] = [];
  content.forEach((part, i) => {
    const field = `${path}[${i}]`;
    if (part === null || typeof part !== "object" || Array.isArray(part)) fail(field, `expected a content part {type, …}, got ${kindOf(part)}`);
    const { type } = part as Record<string, unknown>;
    const value = part as Record<string, unknown>;
    if (typeof type === "string" && TEXT_PARTS.has(type)) texts.push(partText(value, ["text", "value"], field));
    else if (type === "refusal") texts.push(partText(value, ["refusal", "text"], field));
    else if (typeof type === "string" && REASONING_PARTS.has(type)) result.reasoning.push({ text: partText(value, REASONING_TEXT_FIELDS, field), field });
    else if (typeof type === "string" && CALL_PARTS.has(type)) result.calls.push({ value: value.value ?? value, field: value.value === undefined ? field : `${field}.value`, part: field });
    else fail(`${field}.type`, `is ${typeof type === "string" ? JSON.stringify(type) : kindOf(type)}; expected "text", "refusal", "reasoning", "thinking" or "tool_call"`);
  });
  result.text = texts.join("\n");
  return result;
}

/**
 * The text a part holds in the first of `keys` present: a string, `{value}` (the Assistants API's text), or a list
 * of strings or `{text}` parts.
 */
function partText(part: Record<string, unknown>, keys: string[], field: string): string {
  const key = keys.find((k) => part[k] !== undefined && part[k] !== null);
  if (key === undefined) return fail(field, `has no text (expected one of ${keys.join(", ")})`);
  const value = part[key];
  if (typeof value === "string") return value;
  const inner = value !== null && typeof value === "object" ? (value as Record<string, unknown>).value : undefined;
  if (typeof inner === "string") return inner;
  if (Array.isArray(value)) {
    return value
      .map((item, i) => {
        if (typeof item === "string") return item;
        const text = item !== null && typeof item === "object" ? (item as Record<string, unknown>).text : undefined;
        return typeof text === "string" ? text : fail(`${field}.${key}[${i}]`, `expected a string or {text}, got ${kindOf(item)}`);
      })
      .join("\n");
  }
  return fail(`${field}.${key}`, `expected a string, got ${kindOf(value)}`);
}

/**
 * An OpenAI `tool_calls` list, each call's arguments read as an object, JSON text or double-encoded JSON text, and
 * its `id` kept (a tool message names the call it answers by it).
 */
export function toolCalls(value: unknown, path: string): ToolCall[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return fail(path, `expected a list of tool calls, got ${kindOf(value)}`);
  return value.map((call, i) => {
    const field = `${path}[${i}]`;
    if (call === null || typeof call !== "object" || Array.isArray(call)) {
      return fail(field, `expected a tool call {type: "function", function: {name, arguments}}, got ${kindOf(call)}`);
    }
    const { function: fn, id } = call as Record<string, unknown>;
    if (fn === undefined) return fail(`${field}.function`, "is missing");
    const parsed = callOf(fn, `${field}.function`);
    return typeof id === "string" && id ? { ...parsed, id } : parsed;
  });
}

/** `{name, arguments}` (arguments as an object, JSON text, or JSON text of JSON text), or `{function: {…}}`, or JSON text of either. */
function callOf(value: unknown, field: string): ToolCall {
  const call = jsonField(value, field);
  if (call === null || typeof call !== "object" || Array.isArray(call)) return fail(field, `expected an object {name, arguments}, got ${kindOf(call)}`);
  const record = call as Record<string, unknown>;
  if (record.function !== undefined && record.name === undefined) return callOf(record.function, `${field}.function`);
  const name = check(stringSchema.min(1, { error: "is empty" }), record.name, `${field}.name`);
  return { name, arguments: argumentsField(record.arguments, `${field}.arguments`) };
}
