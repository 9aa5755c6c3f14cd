// ShareGPT / LLaMA-Factory, import and export, and the datasets written in its shape:
// - LLaMA-Factory's sharegpt format (its data/README.md): `conversations: [{from, value}]` with from human | gpt |
//   function_call | observation | system, `tools` as a JSON string, an optional top-level `system`. A function_call
//   value is a JSON call object {name, arguments} or a list of them (parallel calls), arguments an object or JSON text;
// - the same with `from: user | assistant | tool` (ToolACE, APIGen-MT) or `{role, content}` turns (FunReason-MT);
// - Hermes function-calling (NousResearch): tools in the system text inside `<tools>…</tools>` (JSON, or a Python
//   literal with single quotes), calls in assistant turns as `<tool_call>{"name": …, "arguments": {…}}</tool_call>`
//   blocks, results in `<tool_response>` turns; ToolACE's tools are a JSON list inside the system text.
// A `<think>…</think>` at the start of an assistant turn is the chain of thought.
//
// The first user request and the assistant's first answer to it are the sample's first exchange; tool results and
// further turns are its follow-up (conversation.ts). An answer that looks
// like calls but does not parse as calls (a `<tool_call>` whose JSON is broken, text around the blocks) is kept as
// the text it is, never fixed up: the pipeline's stage 1 and 5 judge it.
import type { Answer, RecordError, RecordPosition, SampleInput, Tool, ToolCall } from "@/lib/samples/types";
import { parseCallList, parseLiteral, splitThink } from "@/lib/pipeline/render";
import { closingBracket } from "./brackets";
import { unwrapOpenAiTool } from "./chat";
import { toolCalls } from "./chat-message";
import { callsWithoutIds, conversationMessages, conversationParts, isConversation, marksErrorToolResponse, type ReadMessage } from "./conversation";
import { check, convert, cotOrNull, fail, idText, jsonField, kindOf, querySchema, requireObject, toolsSchema, type ImportContext } from "./fields";
import type { ExportSample } from "./index";
import { toolsJsonOf } from "./json-line";
import { jsonSchemaTool } from "./openai";

type Speaker = "system" | "user" | "assistant" | "call" | "result";

/** Who speaks, for every role spelling in use: LLaMA-Factory's defaults, OpenAI's roles, ToolACE's and Hermes'. */
const SPEAKERS: Record<string, Speaker> = {
  system: "system",
  human: "user",
  user: "user",
  gpt: "assistant",
  assistant: "assistant",
  function_call: "call",
  observation: "result",
  tool: "result",
  function: "result",
};

interface Turn {
  speaker: Speaker;
  text: string;
  /** Where the text sits, for errors: `conversations[3].value`. */
  field: string;
  /** An OpenAI-style turn's `tool_calls`, already read: its calls (the text then holds only its <think> block). */
  calls?: ToolCall[];
  /** An OpenAI-style tool turn's `tool_call_id`. */
  callId?: string;
}

export function fromRecord(value: unknown, pos: RecordPosition, _ctx?: ImportContext): SampleInput | RecordError {
  return convert(pos, () => {
    const record = Array.isArray(value) ? { messages: value } : requireObject(value);
    const { key, turns, list } = readTurns(record);
    const { unplaced, ...conversation } = conversationParts(readMessages(turns), key, "has no user turn (from human or user)");
    return {
      sourceId: idText(record.id, "id"),
      ...conversation,
      tools: recordTools(record, turns),
      ...(marksErrorToolResponse(record, list) ? { errorToolResponse: true } : {}),
      ...(unplaced ? { sourceRecord: record } : {}),
    };
  });
}

/**
 * The turns as messages: a Hermes `<tool_response>` turn (from human, tool or observation) is one tool message per
 * block; an assistant turn holding only a `<think>` block followed by a function_call turn (converters that split
 * reasoning and call) is one answer.
 */
function readMessages(turns: Turn[]): ReadMessage[] {
  const messages: ReadMessage[] = [];
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    const field = turn.field;
    if (turn.speaker === "system") messages.push({ role: "system", text: turn.text, field });
    else if (isToolResponse(turn.text) && (turn.speaker === "user" || turn.speaker === "result")) messages.push(...toolResponses(turn));
    else if (turn.speaker === "user") messages.push({ role: "user", text: turn.text, field });
    else if (turn.speaker === "result") messages.push(...resultMessages(turn));
    else {
      const reply = readReply(turn);
      const next = turns[i + 1];
      if (turn.speaker === "assistant" && reply.answer === null && reply.cot !== null && next?.speaker === "call") {
        messages.push({ role: "assistant", ...readReply(next), cot: reply.cot, field: next.field });
        i++;
      } else messages.push({ role: "assistant", ...reply, field });
    }
  }
  return messages;
}

/** How LLaMA-Factory joins the results of one call turn into one observation (see serialize); split on import. */
const RESULT_SEPARATOR = "\n</tool_response>\n<tool_response>\n";

/** A result turn: one tool message per result it holds (several joined by RESULT_SEPARATOR, as LLaMA-Factory joins them). */
function resultMessages(turn: Turn): ReadMessage[] {
  const callId = turn.callId ? { callId: turn.callId } : {};
  return turn.text.split(RESULT_SEPARATOR).map((content) => ({ role: "tool" as const, content, ...callId, field: turn.field }));
}

const TOOL_RESPONSE_BLOCK = /<tool_response>([\s\S]*?)(?:<\/tool_response>|$)/g;

/** Each `<tool_response>` block of a Hermes turn, its content trimmed. */
function toolResponses(turn: Turn): ReadMessage[] {
  return [...turn.text.matchAll(TOOL_RESPONSE_BLOCK)].map(([, body]) => ({ role: "tool" as const, content: body.trim(), field: turn.field }));
}

/** The turns under `conversations` (LLaMA-Factory's default name) or `messages`, each as {from, value} or {role, content}. */
function readTurns(record: Record<string, unknown>): { key: string; turns: Turn[]; list: unknown[] } {
  const key = record.conversations !== undefined ? "conversations" : "messages";
  const list = record[key];
  if (!Array.isArray(list)) fail(key, list === undefined ? "is missing" : `expected a list of turns, got ${kindOf(list)}`);
  if (list.length === 0) fail(key, "is empty");
  const turns = list.map((item: unknown, i): Turn => {
    const path = `${key}[${i}]`;
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      fail(path, `expected a turn {from, value} or {role, content}, got ${kindOf(item)}`);
    }
    const turn = item as Record<string, unknown>;
    const roleKey = turn.from !== undefined ? "from" : "role";
    const textKey = turn.value !== undefined || roleKey === "from" ? "value" : "content";
    const role = turn[roleKey];
    if (typeof role !== "string") {
      fail(`${path}.${roleKey}`, role === undefined ? "is missing: a turn says who speaks in from (or role)" : `expected a string, got ${kindOf(role)}`);
    }
    const speaker = Object.hasOwn(SPEAKERS, role.toLowerCase()) ? SPEAKERS[role.toLowerCase()] : null;
    if (!speaker) fail(`${path}.${roleKey}`, `is ${JSON.stringify(role)}; expected one of ${Object.keys(SPEAKERS).join(", ")}`);
    const text = turn[textKey];
    if (text !== undefined && text !== null && typeof text !== "string") fail(`${path}.${textKey}`, `expected a string, got ${kindOf(text)}`);
    // An OpenAI-style assistant turn ({role, content, tool_calls}): its calls, after the content's <think> block.
    if (Array.isArray(turn.tool_calls) && turn.tool_calls.length > 0) {
      return { speaker: "call", text: text ?? "", field: `${path}.${textKey}`, calls: toolCalls(turn.tool_calls, `${path}.tool_calls`) };
    }
    const callId = speaker === "result" && typeof turn.tool_call_id === "string" && turn.tool_call_id ? turn.tool_call_id : undefined;
    return { speaker, text: text ?? "", field: `${path}.${textKey}`, ...(callId ? { callId } : {}) };
  });
  return { key, turns, list };
}

/** Messages that only the ShareGPT reader understands: {from, value} turns, or Hermes' tags in the text. */
export function hasShareGptTurns(messages: unknown): boolean {
  return (
    Array.isArray(messages) &&
    messages.some((turn) => isObject(turn) && (turn.from !== undefined || (typeof turn.content === "string" && HERMES_TAG.test(turn.content))))
  );
}

const HERMES_TAG = /<tools>|<tool_call>/;

/** Hermes sends tool results back as human turns holding `<tool_response>`: those are results, not requests. */
function isToolResponse(text: string): boolean {
  return text.trimStart().startsWith("<tool_response>");
}

function readReply(turn: Turn): { answer: Answer | null; cot: string | null } {
  const { cot, rest } = splitThink(turn.text);
  const calls = turn.calls ?? (turn.speaker === "call" ? callObjects(rest) : assistantCalls(rest));
  const answer: Answer | null = calls ? { kind: "calls", calls } : rest.trim() ? { kind: "text", text: rest } : null;
  return { answer, cot: cotOrNull(cot, turn.field) };
}

/** Calls in an assistant's text: `<tool_call>` blocks and nothing else, a call list, or a JSON call object. */
function assistantCalls(text: string): ToolCall[] | null {
  if (!text.trim()) return null;
  if (text.includes("<tool_call>")) return taggedCalls(text);
  const list = parseCallList(text);
  if (list.ok) return list.calls;
  return /^\s*\{/.test(text) ? callObjects(text) : null;
}

const TOOL_CALL_BLOCK = /<tool_call>([\s\S]*?)<\/tool_call>/g;

/** Hermes: every `<tool_call>` block holds a call (or a list of them) and there is nothing but blocks. */
function taggedCalls(text: string): ToolCall[] | null {
  const calls: ToolCall[] = [];
  let broken = false;
  const outside = text.replace(TOOL_CALL_BLOCK, (_, body: string) => {
    const found = callObjects(body);
    if (found) calls.push(...found);
    else broken = true;
    return "";
  });
  return broken || outside.trim() || calls.length === 0 ? null : calls;
}

/** A call object `{name, arguments}` or a list of them, as JSON or a Python literal; null if it is not exactly that. */
function callObjects(text: string): ToolCall[] | null {
  const parsed = parseLiteral(text.trim());
  if (!parsed) return null;
  const items = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  const calls = items.map(callObject);
  return calls.length > 0 && calls.every((call) => call !== null) ? (calls as ToolCall[]) : null;
}

/** Arguments may be an object or JSON text of one (OpenAI style); Llama 3 names them `parameters`; none is {}. */
function callObject(item: unknown): ToolCall | null {
  if (!isObject(item) || typeof item.name !== "string" || !item.name) return null;
  const given = item.arguments !== undefined ? item.arguments : (item.parameters ?? {});
  const args = typeof given === "string" ? parseLiteral(given)?.value : given;
  return isObject(args) ? { name: item.name, arguments: args } : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The tools: our export's `studio_tools` (the tools as imported), else `tools` (a JSON string or a list; OpenAI's
 * `{type: "function", function}` wrapping removed), else found in the system text (Hermes' `<tools>` block,
 * ToolACE's JSON list). A record with none has no tools (a plain chat record: its answer is text).
 */
function recordTools(record: Record<string, unknown>, turns: Turn[]): Tool[] {
  for (const field of ["studio_tools", "tools"]) {
    const value = record[field];
    if (value === undefined || value === null || value === "") continue;
    const tools = jsonField(value, field);
    return check(toolsSchema, Array.isArray(tools) ? tools.map(unwrapOpenAiTool) : tools, field);
  }
  if (record.system !== undefined && record.system !== null && typeof record.system !== "string") {
    fail("system", `expected a string, got ${kindOf(record.system)}`);
  }
  const systems = [...(record.system ? [{ text: record.system as string, field: "system" }] : []), ...turns.filter((t) => t.speaker === "system")];
  for (const system of systems) {
    const tools = toolsInText(system.text, system.field);
    if (tools) return check(toolsSchema, tools.map(unwrapOpenAiTool), system.field);
  }
  return [];
}

const TOOLS_BLOCK = /<tools>([\s\S]*?)<\/tools>/g;

/** Tools written into a system text: a non-empty `<tools>` block (one list, or one tool per line), or a JSON list of tools. */
function toolsInText(text: string, field: string): unknown[] | null {
  for (const [, body] of text.matchAll(TOOLS_BLOCK)) {
    const inside = body.trim();
    if (!inside) continue; // "…within <tools></tools> XML tags" in the prompt's own wording
    const whole = parseLiteral(inside);
    if (whole) return Array.isArray(whole.value) ? whole.value : [whole.value];
    const lines = inside.split("\n").filter((line) => line.trim()).map((line) => parseLiteral(line.trim()));
    if (lines.every((line) => line !== null)) return lines.map((line) => line!.value);
    fail(field, "holds a <tools> block that is neither JSON nor a Python literal (one list, or one tool per line)");
  }
  return embeddedToolList(text);
}

/** The first `[{…}, …]` in a text that parses as a list of objects with a name (ToolACE's system prompt). */
function embeddedToolList(text: string): unknown[] | null {
  const start = /\[\s*\{/g;
  for (let match = start.exec(text); match; match = start.exec(text)) {
    const end = closingBracket(text, match.index, `"'`);
    const parsed = end === -1 ? null : parseLiteral(text.slice(match.index, end + 1));
    const list = parsed?.value;
    if (Array.isArray(list) && list.every((tool) => isObject(tool) && (typeof tool.name === "string" || tool.type === "function"))) return list;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Export

/**
 * One LLaMA-Factory sharegpt line: `conversations` = the query (human) and the answer — calls as a function_call
 * turn holding the JSON list `[{"name", "arguments": {…}}]`, text as a gpt turn — and `tools` as JSON text in JSON
 * Schema (what LLaMA-Factory's tool formatters read: parameters.properties, required).
 *
 * A conversation goes on in order: each assistant turn as function_call or gpt (an empty gpt turn for one without
 * an answer), each further request as human, and the tool results that follow a call turn as ONE observation turn,
 * joined as LLaMA-Factory's own OpenAI-format converter joins them (RESULT_SEPARATOR, which its templates' tool
 * response tags complete). The calls carry no ids (LLaMA-Factory's function_call has no place for them): the
 * results answer the calls in order. LLaMA-Factory skips a conversation whose turns do not alternate (human or
 * observation, then gpt or function_call, ending with the assistant's): cannotWrite says so and the export
 * withholds it.
 *
 * The CoT goes inside its turn as `<think>\n…\n</think>\n\n` before the calls or the text. That is the
 * one place LLaMA-Factory trains it from: its function formatter cuts exactly this block (the template's
 * thought_words, `<think>\n` and `\n</think>\n\n` by default) off a function_call value, parses the rest as the
 * calls and puts the block back in front of the formatted calls, so the model learns to reason, then call; a
 * separate gpt turn with the reasoning would break the human/observation – gpt/function_call alternation it
 * requires, and its reasoning templates drop the thought of every turn but the last.
 *
 * `id` is the source id (or the studio's sample id) and `studio_tools` the tools as imported (xLAM type strings or
 * BFCL dicts, which JSON Schema cannot say exactly): trainers ignore both, and they make the line re-import to the
 * same sample. A single exchange without an answer has only its human turn.
 */
export function serialize(sample: ExportSample): string {
  return JSON.stringify({
    id: sample.sourceId ?? String(sample.id),
    conversations: shareGptTurns(sample),
    tools: JSON.stringify(sample.tools.map(jsonSchemaTool)),
    studio_tools: toolsJsonOf(sample),
  });
}

/** Why LLaMA-Factory would skip this sample's line (see serialize), or null. */
export function cannotWrite(sample: ExportSample): string | null {
  if (!isConversation(sample)) return null;
  const turns = shareGptTurns(sample);
  const at = turns.findIndex((turn, i) => (i % 2 === 0) !== (turn.from === "human" || turn.from === "observation"));
  const rule = "LLaMA-Factory needs a human turn or tool results, then the assistant's turn, ending with the assistant's";
  if (at !== -1) return `its turns do not alternate: conversations[${at}] is ${turns[at].from} after ${turns[at - 1].from} (${rule})`;
  if (turns.length % 2 === 1) return `ends with ${turns.at(-1)!.from === "human" ? "a user turn" : "tool results"} (${rule})`;
  return null;
}

type ShareGptTurn = { from: "human" | "gpt" | "function_call" | "observation"; value: string };

function shareGptTurns(sample: ExportSample): ShareGptTurn[] {
  if (!isConversation(sample)) {
    const answer = answerTurn(sample.cot, sample.answer);
    return [{ from: "human", value: sample.query }, ...(answer ? [answer] : [])];
  }
  const turns: ShareGptTurn[] = [];
  for (const message of conversationMessages(sample)) {
    const last = turns.at(-1);
    if (message.role === "user") turns.push({ from: "human", value: message.content });
    else if (message.role === "assistant") turns.push(answerTurn(message.cot, message.answer) ?? { from: "gpt", value: withThought(message.cot, "") });
    else if (last?.from === "observation") last.value += RESULT_SEPARATOR + message.content;
    else turns.push({ from: "observation", value: message.content });
  }
  return turns;
}

/** The assistant's turn: calls as function_call (without ids), text as gpt, each after its CoT; none without an answer. */
function answerTurn(cot: string | null, answer: Answer | null): ShareGptTurn | null {
  if (answer?.kind === "calls") return { from: "function_call", value: withThought(cot, JSON.stringify(callsWithoutIds(answer.calls))) };
  return answer ? { from: "gpt", value: withThought(cot, answer.text) } : null;
}

function withThought(cot: string | null, body: string): string {
  return cot ? `<think>\n${cot}\n</think>\n\n${body}` : body;
}
