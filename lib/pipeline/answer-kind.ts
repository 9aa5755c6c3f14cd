// Call or text? Stage 1's rule, as a pure function of the answer and the sample's tools (pipeline.md: "Stage 1
// decides call or text generously").
//
// A text answer is a call answer when it parses as a call list, and also when it merely contains something shaped
// like a call — wrapped in prose, cut short, with stray `<think>` tags — because a malformed call kept as a "text
// sample" would go into the refined set unseen. Such an answer is `malformed`: a call answer whose shape stage 5
// then fails, naming the problem. Only an answer that calls nothing is text.
//
// "Shaped like a call" needs the call's shape, not just a tool's name, so "I can't get the weather for you" stays
// text with a tool called get_weather:
//   - `tool_name(` for one of the sample's tools, anywhere (not inside a longer name);
//   - a Python call list opening: `[name(` at the start of the answer, or `[name()` / `[name(key=` anywhere, for
//     any name (a call to an unknown function is still a call: stage 2 then says it is unknown);
//   - `name(key=` at the very start of the answer, for any name;
//   - a JSON call object: `{"name": "<tool>"`, or `{"name": "<any>", "arguments": …` (or "parameters");
//   - `<tool_call>`, `</tool_call>`, `<functioncall>` tags (Hermes, glaive);
//   - a stray `<think>` or `</think>` (the importers split a leading think block off as the CoT, so one left in the
//     answer is a broken think block, never a clean text sample).
import type { Answer, ToolCall } from "@/lib/samples/types";
import { parseCallList, renderCalls } from "./render";

export type CallSignForm = "tool-call" | "call-list" | "json-object" | "tag" | "think-tag";

/** The first thing in a text that makes it a call answer: what kind, where, and the characters themselves. */
export interface CallSign {
  form: CallSignForm;
  at: number;
  found: string;
}

export type Classification =
  | { kind: "calls"; calls: ToolCall[] }
  /** A call answer that does not parse as a call list; stage 5 fails it with the exact problem. */
  | { kind: "malformed"; sign: CallSign }
  | { kind: "text" }
  /** The judge must decide (an empty call list); `calls` is what a text answer parses to. */
  | { kind: "ambiguous"; why: string; answerText: string; calls?: ToolCall[] }
  | { kind: "missing" };

// Stages 1–5 each ask what a text answer is; a sample's answer object does not change while they run, so each
// reading is kept per answer object (and tools list) instead of parsing the text five times.
const TEXT_READINGS = new WeakMap<Answer, { tools: readonly { name: string }[]; found: Classification }>();

const EMPTY_LIST = { kind: "ambiguous", why: "the answer is an empty call list", answerText: renderCalls([]) } as const;

/** What the answer is: calls (a text answer that parses as a non-empty call list counts), malformed calls, or text. */
export function classifyAnswer(answer: Answer | null, tools: readonly { name: string }[]): Classification {
  if (answer === null) return { kind: "missing" };
  if (answer.kind === "calls") return answer.calls.length > 0 ? { kind: "calls", calls: answer.calls } : EMPTY_LIST;
  const known = TEXT_READINGS.get(answer);
  if (known?.tools === tools) return known.found;
  const found = classifyText(answer.text, tools);
  TEXT_READINGS.set(answer, { tools, found });
  return found;
}

function classifyText(text: string, tools: readonly { name: string }[]): Classification {
  if (text.trim() === "") return { kind: "missing" };
  const parsed = parseCallList(text);
  if (parsed.ok) return parsed.calls.length > 0 ? { kind: "calls", calls: parsed.calls } : { ...EMPTY_LIST, answerText: text, calls: [] };
  const sign = findCallSign(text, tools.map((t) => t.name));
  return sign ? { kind: "malformed", sign } : { kind: "text" };
}

const TAG = /<\/?(?:tool_call|functioncall|think)>/;
const NAME_CHAR = /[\w.-]/;
const LIST_AT_START = /^\s*\[\s*[A-Za-z_][\w.-]*\s*\(/;
const LIST_ANYWHERE = /\[\s*[A-Za-z_][\w.-]*\s*\(\s*(?:\)|[A-Za-z_]\w*\s*=(?!=))/;
const KEYWORD_CALL_AT_START = /^\s*[A-Za-z_][\w.-]*\s*\(\s*[A-Za-z_]\w*\s*=(?!=)/;
const JSON_NAME = /\{\s*(["'])name\1\s*:\s*(["'])((?:(?!\2)[^\\])*)\2(\s*,\s*(["'])(?:arguments|parameters)\5\s*:)?/g;

/** The first call sign in `text` (see the header), or null when the text calls nothing. */
export function findCallSign(text: string, toolNames: readonly string[]): CallSign | null {
  const signs: CallSign[] = [];
  const add = (form: CallSignForm, at: number, found: string) => signs.push({ form, at, found });

  const tag = TAG.exec(text);
  if (tag) add(tag[0].includes("think") ? "think-tag" : "tag", tag.index, tag[0]);
  const list = LIST_AT_START.exec(text) ?? LIST_ANYWHERE.exec(text);
  if (list) add("call-list", list.index + list[0].indexOf("["), list[0].trim());
  const keywordCall = KEYWORD_CALL_AT_START.exec(text);
  if (keywordCall) add("tool-call", keywordCall[0].length - keywordCall[0].trimStart().length, keywordCall[0].trim());
  for (const name of toolNames) {
    const at = toolCallAt(text, name);
    if (at !== -1) add("tool-call", at, `${name}(`);
  }
  for (const m of text.matchAll(JSON_NAME)) {
    if (m[4] !== undefined || toolNames.includes(m[3])) {
      add("json-object", m.index, m[0]);
      break;
    }
  }
  return signs.reduce<CallSign | null>((first, sign) => (first === null || sign.at < first.at ? sign : first), null);
}

/** Where `name(` first appears as a whole name (not the end of a longer one), or -1. */
function toolCallAt(text: string, name: string): number {
  if (!name) return -1;
  const needle = `${name}(`;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (at === 0 || !NAME_CHAR.test(text[at - 1])) return at;
  }
  return -1;
}
