// glaive-function-calling-v2 (Glaive AI, Apache-2.0): `{system, chat}`, both plain text.
// - system: "SYSTEM: You are a helpful assistant with access to the following functions. Use them if required -"
//   then zero or more function JSON objects one after another (pretty-printed, newline-separated), or a sentence
//   saying there are no functions;
// - chat: "USER: …\n\n\nASSISTANT: <functioncall> {"name": "f", "arguments": '{"a": 1}'} <|endoftext|>\n\n\n
//   FUNCTION RESPONSE: {…}\n\n\nASSISTANT: … <|endoftext|>\n\n\nUSER: …", the arguments usually a single-quoted JSON
//   text, sometimes an object.
// The first USER turn and the ASSISTANT turn after it are the first exchange; FUNCTION RESPONSE turns and further
// turns are the follow-up (conversation.ts). An assistant turn that is exactly one
// well-formed call is a call answer (whatever the name: the rule stages judge undeclared ones); anything else —
// plain text, text around a call, a truncated or garbled call — is a text answer holding the turn as written, so
// the pipeline sees the malformed call instead of a silently repaired one.
import type { Answer, RecordError, RecordPosition, SampleInput, Tool, ToolCall } from "@/lib/samples/types";
import { closingBracket } from "./brackets";
import { conversationParts, type ReadMessage } from "./conversation";
import { FieldError, argumentsField, check, checkKept, convert, fail, idText, querySchema, requireObject, stringSchema, toolsSchema, type ImportContext } from "./fields";

type Turn = { role: string; text: string };

/** A role marker at the start of the chat or after whitespace. */
const TURN_MARKER = /(?<=^|\s)(USER|ASSISTANT|FUNCTION RESPONSE):/g;
const END_OF_TEXT = /(?:\s*<\|endoftext\|>)+\s*$/;
const CALL_TAG = "<functioncall>";

export function fromRecord(value: unknown, pos: RecordPosition, _ctx?: ImportContext): SampleInput | RecordError {
  return convert(pos, () => {
    const record = requireObject(value);
    const tools = functionsOf(check(stringSchema, record.system, "system"));
    const { preamble, turns } = splitTurns(check(stringSchema, record.chat, "chat"));
    const userAt = turns.findIndex((turn) => turn.role === "USER");
    if (userAt === -1) fail("chat", 'has no "USER:" turn');
    if (!turns[userAt].text) fail("chat", 'the first "USER:" turn is empty');
    const { unplaced, ...conversation } = conversationParts(turns.map(readMessage), "chat");
    return {
      sourceId: idText(record.id, "id"),
      ...conversation,
      tools,
      ...(unplaced || preamble !== "" ? { sourceRecord: record } : {}),
    };
  });
}

function readMessage(turn: Turn): ReadMessage {
  const field = "chat";
  if (turn.role === "USER") return { role: "user", text: turn.text, field };
  if (turn.role === "ASSISTANT") return { role: "assistant", answer: assistantAnswer(turn.text), cot: null, field };
  return { role: "tool", content: turn.text, field };
}

/** The turns in order, each without its marker, trailing `<|endoftext|>` and surrounding whitespace. */
function splitTurns(chat: string): { preamble: string; turns: Turn[] } {
  const markers = [...chat.matchAll(TURN_MARKER)];
  const turns = markers.map((marker, i) => {
    const start = marker.index + marker[0].length;
    const end = i + 1 < markers.length ? markers[i + 1].index : chat.length;
    return { role: marker[1], text: chat.slice(start, end).replace(END_OF_TEXT, "").trim() };
  });
  return { preamble: chat.slice(0, markers[0]?.index ?? chat.length).trim(), turns };
}

function assistantAnswer(text: string): Answer | null {
  if (!text) return null;
  const call = text.startsWith(CALL_TAG) ? wellFormedCall(text.slice(CALL_TAG.length).trim()) : null;
  return call ? { kind: "calls", calls: [call] } : { kind: "text", text };
}

/** `{"name": …, "arguments": …}` and nothing after it, arguments single-quoted JSON text, JSON text or an object; else null. */
function wellFormedCall(text: string): ToolCall | null {
  if (!text.startsWith("{")) return null;
  const end = endOf(text, 0);
  if (end === -1 || text.slice(end).trim()) return null;
  const json = withSingleQuotesAsJson(text.slice(0, end));
  let call: unknown;
  try {
    call = json === null ? null : JSON.parse(json);
  } catch {
    return null;
  }
  if (call === null || typeof call !== "object" || Array.isArray(call)) return null;
  const { name, arguments: args } = call as Record<string, unknown>;
  if (typeof name !== "string" || !name.trim()) return null;
  try {
    return { name, arguments: argumentsField(args, "arguments") };
  } catch (error) {
    if (error instanceof FieldError) return null;
    throw error;
  }
}

/**
 * The functions listed in the system text: every JSON object from the first `{` on, one after another with only
 * whitespace between them (the text around the list is the prompt's wording, not data).
 */
function functionsOf(system: string): Tool[] {
  const functions: unknown[] = [];
  for (let at = system.indexOf("{"); system[at] === "{"; at = nextNonSpace(system, at)) {
    const end = endOf(system, at);
    if (end === -1) fail("system", `function ${functions.length + 1} is cut off: its JSON object never closes`);
    try {
      functions.push(JSON.parse(system.slice(at, end)));
    } catch (error) {
      fail("system", `function ${functions.length + 1} is not valid JSON (${(error as Error).message})`);
    }
    at = end;
  }
  return checkKept(toolsSchema, functions, "system");
}

function nextNonSpace(text: string, from: number): number {
  let at = from;
  while (at < text.length && /\s/.test(text[at])) at++;
  return at;
}

/**
 * Glaive's call with each single-quoted value turned into a JSON string, or null when a quote never closes. A
 * quoted `{…}` runs to its matching brace (so an apostrophe inside, as in "User's Name", does not end it); any other
 * quoted value runs to the next unescaped `'`. An escaped quote `\'` inside stands for `'`.
 */
function withSingleQuotesAsJson(text: string): string | null {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      if (end === -1) return null;
      out += text.slice(i, end);
      i = end;
    } else if (ch === "'") {
      const open = nextNonSpace(text, i + 1);
      const innerEnd = text[open] === "{" || text[open] === "[" ? endOf(text, open) : -1;
      const close = innerEnd === -1 ? unescapedQuote(text, i + 1) : nextNonSpace(text, innerEnd);
      if (close === -1 || text[close] !== "'") return null;
      out += JSON.stringify(unescapeQuotes(innerEnd === -1 ? text.slice(i + 1, close) : text.slice(open, innerEnd)));
      i = close + 1;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** `\'` → `'` inside a single-quoted value (never valid JSON, so no meaning is lost); `\\` pairs stay as they are. */
function unescapeQuotes(text: string): string {
  return text.replace(/\\([\\'])/g, (pair, ch: string) => (ch === "'" ? "'" : pair));
}

/** Index just past the double-quoted string starting at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

function unescapedQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "'") return i;
  }
  return -1;
}

/** Index just past the JSON object or array starting at `start`, or -1 when it never closes. */
function endOf(text: string, start: number): number {
  const close = closingBracket(text, start);
  return close === -1 ? -1 : close + 1;
}
