// Python call syntax, as BFCL writes a model's answer: `[name(k=v, k2=v2), other()]`, both ways.
import { setOwn } from "@/lib/formats/json-value";
import { MAX_NESTING } from "@/lib/formats/limits";
import type { ToolCall } from "@/lib/samples/types";

/**
 * Why a text is not a call list, when that is one of the shapes stage 5 names exactly: text after the closing `]`
 * ("trailing-text", offset = where it starts), no `[` at the start ("not-a-list"), or the text ending before the
 * list's `]` ("unclosed-list"); anything else is a "syntax" error inside the list.
 */
export type ParseFailure = "trailing-text" | "not-a-list" | "unclosed-list" | "syntax";

export type ParseResult = { ok: true; calls: ToolCall[] } | { ok: false; error: string; offset: number; failure: ParseFailure };

// ---------------------------------------------------------------------------------------------------------------
// Rendering

/** Renders calls the way BFCL writes them: `[name(k=v, …), …]`, values as Python literals. */
export function renderCalls(calls: ToolCall[]): string {
  return `[${calls.map(renderCall).join(", ")}]`;
}

function renderCall(call: ToolCall): string {
  const args = Object.entries(call.arguments).map(([key, value]) => `${key}=${pythonLiteral(value)}`);
  return `${call.name}(${args.join(", ")})`;
}

/** A JSON value as Python source: repr() for strings, True/False/None, lists and dicts. */
export function pythonLiteral(value: unknown): string {
  if (typeof value === "string") return pythonRepr(value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0.0" : String(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value === null || value === undefined) return "None";
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => `${pythonRepr(k)}: ${pythonLiteral(v)}`);
    return `{${entries.join(", ")}}`;
  }
  throw new TypeError(`cannot render a ${typeof value} as a Python literal`);
}

// Python's str.isprintable() is false for these categories and for every space separator (Zs) but " ".
const NON_PRINTABLE = String.raw`\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000`;
const ESCAPE_SINGLE = new RegExp(String.raw`[\\'${NON_PRINTABLE}]`, "gu");
const ESCAPE_DOUBLE = new RegExp(String.raw`[\\"${NON_PRINTABLE}]`, "gu");
const SHORT_ESCAPES: Record<string, string> = { "\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Python's repr() of a str: single quotes unless the text has a ' and no ", escapes as Python writes them. */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(quote === "'" ? ESCAPE_SINGLE : ESCAPE_DOUBLE, (ch) => {
    const short = SHORT_ESCAPES[ch];
    if (short) return short;
    const code = ch.codePointAt(0)!;
    if (code < 0x100) return `\\x${hex(code, 2)}`;
    if (code < 0x10000) return `\\u${hex(code, 4)}`;
    return `\\U${hex(code, 8)}`;
  });
  return quote + escaped + quote;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

/**
 * Parses a call list: the Python form `[name(k=v, …), …]` (dotted names, keyword arguments only, Python literals:
 * strings with either quote and escapes, ints, floats, True/False/None, lists, tuples → arrays, dicts with string
 * keys) or the JSON form `[{"name": …, "arguments": {…}}, …]`. Whitespace and newlines may appear between tokens;
 * anything after the closing `]` is an error.
 *
 * Names and parameter names are read leniently (any run of characters other than whitespace, brackets, quotes,
 * `,` `=` `:`), so a tool called `get-weather` or a parameter called `$filter` round-trips through renderCalls.
 */
export function parseCallList(text: string): ParseResult {
  try {
    return { ok: true, calls: new CallListParser(text).parse() };
  } catch (error) {
    if (error instanceof SyntaxProblem) return { ok: false, error: `${error.message} (offset ${error.offset})`, offset: error.offset, failure: error.failure };
    throw error;
  }
}

/**
 * One value written as JSON or, failing that, as a Python literal (either quote, True/False/None, tuples): how
 * hand-made datasets write call objects and tool lists (Hermes' `<tool_call>{'name': …}`). Null unless the whole
 * text is one value.
 */
export function parseLiteral(text: string): { value: unknown } | null {
  try {
    return { value: JSON.parse(text) };
  } catch {
    try {
      return { value: new CallListParser(text).literal() };
    } catch (error) {
      if (error instanceof SyntaxProblem) return null;
      throw error;
    }
  }
}

// Thrown inside the parser and always caught (parseCallList, parseLiteral). Not an Error: capturing a stack trace for every
// text that is not a call list would cost more than parsing it (stage 1 tries every text answer).
class SyntaxProblem {
  constructor(
    readonly message: string,
    readonly offset: number,
    readonly failure: ParseFailure,
  ) {}
}

// Characters that cannot be part of a (leniently read) name.
const NAME = /[^\s()[\]{},=:'"]+/y;
const NUMBER = /[-+]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?/y;
const WORD = /[A-Za-z_]\w*/y;
const PYTHON_WORDS: Record<string, unknown> = { True: true, False: false, None: null };
const JSON_WORDS: Record<string, unknown> = { true: true, false: false, null: null };
const PYTHON_ESCAPES: Record<string, string> = {
  "\\": "\\", "'": "'", '"': '"', n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", a: "\x07", "\n": "",
};
const JSON_ESCAPES: Record<string, string> = { "\\": "\\", '"': '"', "/": "/", n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };

type Mode = "python" | "json";

class CallListParser {
  private pos = 0;
  private mode: Mode = "python";
  /** How many lists, tuples and dicts the parser is inside: held to MAX_NESTING so it never recurses past the stack. */
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): ToolCall[] {
    this.skipSpace();
    if (this.peek() !== "[") this.fail("a call list must start with '['", this.pos, "not-a-list");
    this.pos++;
    this.skipSpace();
    if (this.peek() === "{") this.mode = "json";
    const calls: ToolCall[] = [];
    while (this.skipSpace(), this.peek() !== "]") {
      if (this.atEnd()) this.fail("the call list is not closed with ']'", this.pos, "unclosed-list");
      calls.push(this.mode === "json" ? this.jsonCall(calls.length) : this.pythonCall());
      this.skipSpace();
      if (this.peek() === ",") this.pos++;
      else if (this.atEnd()) this.fail("the call list is not closed with ']'", this.pos, "unclosed-list");
      else if (this.peek() !== "]") this.fail("expected ',' or ']' after a call");
    }
    this.pos++;
    this.skipSpace();
    if (!this.atEnd()) this.fail("unexpected text after the closing ']'", this.pos, "trailing-text");
    return calls;
  }

  /** One Python literal and nothing else. */
  literal(): unknown {
    const value = this.value();
    this.skipSpace();
    if (!this.atEnd()) this.fail("unexpected text after the value");
    return value;
  }

  private pythonCall(): ToolCall {
    const name = this.name("expected a function name");
    this.skipSpace();
    this.expect("(", `expected '(' after the function name ${name}`);
    const args: Record<string, unknown> = {};
    while (this.skipSpace(), this.peek() !== ")") {
      if (this.atEnd()) this.fail(`the arguments of ${name} are not closed with ')'`);
      const keyAt = this.pos;
      const key = this.name("expected a parameter name (positional arguments are not supported)");
      this.skipSpace();
      if (this.peek() !== "=") this.fail(`expected '=' after ${key}: only keyword arguments (name=value) are supported`);
      this.pos++;
      if (Object.hasOwn(args, key)) this.fail(`the argument ${key} is given twice`, keyAt);
      setOwn(args, key, this.value());
      this.skipSpace();
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== ")") this.fail(this.atEnd() ? `the arguments of ${name} are not closed with ')'` : `expected ',' or ')' in the arguments of ${name}`);
    }
    this.pos++;
    return { name, arguments: args };
  }

  private jsonCall(index: number): ToolCall {
    const at = this.pos;
    const value = this.value();
    if (value === null || typeof value !== "object" || Array.isArray(value)) this.fail(`call ${index} is not an object`, at);
    const { name, arguments: args, ...rest } = value as Record<string, unknown>;
    if (typeof name !== "string" || !name) this.fail(`call ${index} has no "name" string`, at);
    if (args === null || typeof args !== "object" || Array.isArray(args)) this.fail(`call ${index} has no "arguments" object`, at);
    const extra = Object.keys(rest);
    if (extra.length) this.fail(`call ${index} has an unexpected key "${extra[0]}" (expected only "name" and "arguments")`, at);
    return { name: name as string, arguments: args as Record<string, unknown> };
  }

  private value(): unknown {
    this.skipSpace();
    const ch = this.peek();
    if (ch === "'" || ch === '"') return this.string();
    if (ch === "[") return this.nested(() => this.sequence("[", "]"));
    if (ch === "(" && this.mode === "python") return this.nested(() => this.tuple());
    if (ch === "{") return this.nested(() => this.dict());
    NUMBER.lastIndex = this.pos;
    const number = NUMBER.exec(this.text);
    if (number) {
      this.pos += number[0].length;
      return Number(number[0].replaceAll("_", ""));
    }
    WORD.lastIndex = this.pos;
    const word = WORD.exec(this.text)?.[0];
    const words = this.mode === "python" ? PYTHON_WORDS : JSON_WORDS;
    if (word !== undefined && Object.hasOwn(words, word)) {
      this.pos += word.length;
      return words[word];
    }
    if (this.atEnd()) this.fail("expected a value, found the end of the text");
    this.fail(word ? `expected a value, found ${word}` : `expected a value, found '${ch}'`);
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) this.fail(`values are nested more than ${MAX_NESTING} levels deep (the limit)`);
    const value = parse();
    this.depth--;
    return value;
  }

  private sequence(open: string, close: string): unknown[] {
    this.expect(open, `expected '${open}'`);
    const items: unknown[] = [];
    while (this.skipSpace(), this.peek() !== close) {
      items.push(this.value());
      this.skipSpace();
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== close) this.fail(`expected ',' or '${close}'`);
    }
    this.pos++;
    return items;
  }

  /** `(a, b)` and `(a,)` are tuples (→ arrays); `(a)` is just a parenthesised value. */
  private tuple(): unknown {
    const start = this.pos;
    this.pos++;
    this.skipSpace();
    if (this.peek() === ")") {
      this.pos++;
      return [];
    }
    const first = this.value();
    this.skipSpace();
    if (this.peek() === ")") {
      this.pos++;
      return first;
    }
    this.pos = start;
    return this.sequence("(", ")");
  }

  private dict(): Record<string, unknown> {
    this.pos++;
    const dict: Record<string, unknown> = {};
    while (this.skipSpace(), this.peek() !== "}") {
      const ch = this.peek();
      if (ch !== "'" && ch !== '"') this.fail(this.atEnd() ? "a dict is not closed with '}'" : "dict keys must be strings");
      const key = this.string();
      this.skipSpace();
      this.expect(":", "expected ':' after a dict key");
      setOwn(dict, key, this.value());
      this.skipSpace();
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== "}") this.fail("expected ',' or '}' in a dict");
    }
    this.pos++;
    return dict;
  }

  private string(): string {
    const start = this.pos;
    const quote = this.text[this.pos++];
    if (this.mode === "json" && quote !== '"') this.fail("JSON strings use double quotes", start);
    const escapes = this.mode === "json" ? JSON_ESCAPES : PYTHON_ESCAPES;
    let out = "";
    for (;;) {
      // Copy the run up to the next quote, backslash or newline in one go.
      let end = this.pos;
      while (end < this.text.length) {
        const c = this.text[end];
        if (c === quote || c === "\\" || c === "\n") break;
        end++;
      }
      out += this.text.slice(this.pos, end);
      this.pos = end;
      const c = this.text[this.pos];
      if (c === undefined || c === "\n") this.fail("unterminated string", start);
      this.pos++;
      if (c === quote) return out;
      out += this.escape(escapes);
    }
  }

  /** One escape sequence, the backslash already read. */
  private escape(escapes: Record<string, string>): string {
    const at = this.pos - 1;
    const c = this.text[this.pos];
    if (c === undefined) this.fail("unterminated string", at);
    this.pos++;
    if (Object.hasOwn(escapes, c)) return escapes[c];
    const width = c === "x" && this.mode === "python" ? 2 : c === "u" ? 4 : c === "U" && this.mode === "python" ? 8 : 0;
    if (width) {
      const digits = this.text.slice(this.pos, this.pos + width);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== width) this.fail(`bad \\${c} escape: expected ${width} hex digits`, at);
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) this.fail(`bad \\${c} escape: not a Unicode code point`, at);
      this.pos += width;
      return String.fromCodePoint(code);
    }
    if (this.mode === "python" && /[0-7]/.test(c)) {
      const digits = c + (/^[0-7]{0,2}/.exec(this.text.slice(this.pos, this.pos + 2))?.[0] ?? "");
      this.pos += digits.length - 1;
      return String.fromCodePoint(parseInt(digits, 8));
    }
    if (this.mode === "json") this.fail(`bad escape \\${c} in a JSON string`, at);
    return `\\${c}`; // Python keeps an unknown escape as it is
  }

  private name(problem: string): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.text);
    if (!match) this.fail(problem);
    this.pos += match[0].length;
    return match[0];
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private expect(token: string, problem: string): void {
    if (this.text[this.pos] !== token) this.fail(problem);
    this.pos++;
  }

  private fail(message: string, offset = this.pos, failure: ParseFailure = "syntax"): never {
    throw new SyntaxProblem(message, offset, failure);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reasoning block

/**
 * Splits an assistant message `<think>…</think>\n\n<rest>` into its chain of thought (trimmed) and the rest (leading
 * whitespace removed). Without a leading think block, cot is null and rest is the text unchanged. The first
 * `</think>` closes the block.
 */
export function splitThink(text: string): { cot: string | null; rest: string } {
  const start = text.length - text.trimStart().length;
  if (!text.startsWith("<think>", start)) return { cot: null, rest: text };
  const end = text.indexOf("</think>", start + 7);
  if (end === -1) return { cot: null, rest: text };
  return { cot: text.slice(start + 7, end).trim(), rest: text.slice(end + 8).trimStart() };
}

export type ThinkBlock = { ok: true; cot: string; rest: string } | { ok: false; problem: string };

/**
 * Reads a training text's reasoning strictly: exactly one non-empty `<think>…</think>` block, first (whitespace
 * around the text aside), then something. `rest` is what follows `</think>`, trimmed. Otherwise names the problem:
 * "two <think> blocks", "<think> is never closed", "text before <think>: 'Sure!'", ...
 */
export function readThinkBlock(text: string): ThinkBlock {
  const opens = occurrences(text, "<think>");
  const closes = occurrences(text, "</think>");
  if (opens === 0 && closes === 0) return { ok: false, problem: "there is no <think> block" };
  if (opens > 1) return { ok: false, problem: `${countWord(opens)} <think> blocks` };
  if (opens === 0) return { ok: false, problem: "</think> without an opening <think>" };
  const trimmed = text.trim();
  const open = trimmed.indexOf("<think>");
  if (open > 0) return { ok: false, problem: `text before <think>: ${excerpt(trimmed.slice(0, open))}` };
  if (closes === 0) return { ok: false, problem: "<think> is never closed" };
  if (closes > 1) return { ok: false, problem: "a stray </think> after the think block" };
  const close = trimmed.indexOf("</think>");
  const cot = trimmed.slice("<think>".length, close).trim();
  if (cot === "") return { ok: false, problem: "the <think> block is empty" };
  const rest = trimmed.slice(close + "</think>".length).trim();
  if (rest === "") return { ok: false, problem: "nothing follows </think>" };
  return { ok: true, cot, rest };
}

function occurrences(text: string, tag: string): number {
  let count = 0;
  for (let at = text.indexOf(tag); at !== -1; at = text.indexOf(tag, at + tag.length)) count++;
  return count;
}

function countWord(n: number): string {
  return ["zero", "one", "two", "three", "four", "five"][n] ?? String(n);
}

/** A piece of sample text quoted in a problem: whitespace runs as one space, at most 60 characters. */
export function excerpt(text: string): string {
  const flat = text.trim().replace(/\s+/g, " ");
  return `'${flat.length > 60 ? `${flat.slice(0, 59)}…` : flat}'`;
}
