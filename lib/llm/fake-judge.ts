/**
 * The fake LLM's judgement when no directive decides (lib/llm/fake-server.ts): simple, deterministic evidence from
 * the words of the query and the tools, so that a demo run discards and regenerates what a reader can see is wrong.
 * It is a stand-in, not a judge: it knows no synonyms, no units, no dates written another way.
 *
 * - Stage 2 (query & tools): a tool fits when a word of what it does — its name and description, less its
 *   parameters' names and generic verbs like "calculate" or "get" — occurs in the query (BFCL's irrelevance set is
 *   built this way: "the area of a triangle … base 10 m and height 5 m" with only a body-mass-index tool, whose
 *   description says "height" as a parameter, not as what it does). No tool fits: fail.
 * - Stage 4 (values): every called function must fit the query as above (a BMI call never passes for a triangle),
 *   and every string or number among its arguments must occur in the query (numbers by value, strings word by word
 *   after normalising case, punctuation and plurals) or be the parameter's declared default.
 * - The teacher: the tool that fits the query best, each required value taken from the query where the query has
 *   one (a number for a number, a quoted or capitalised phrase for a string, an enum value the query names); a
 *   regeneration keeps the rejected answer's values that the query supports and drops the optional ones it does not.
 *
 * Pure functions only: the server reads the request, these decide. What they read from a query or a tool is
 * remembered (queryWords, toolSubject): a sample's requests (the teacher's, each judge's) ask about the same query
 * and tools, each several times over (per tool, per value), and the fake shares the CPU with the studio it serves.
 */
import { boundedMemo } from "./memo";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type FakeCall = { name: string; arguments: Record<string, Json> };
export type FakeVerdict = { verdict: "pass" | "fail"; reason: string; evidence: Record<string, unknown> };

/** A tool as the prompts list it: BFCL / JSON-schema-like, xLAM's Python-style types, or OpenAI's wrapper. */
export interface FakeTool {
  name: string;
  description: string;
  params: FakeParam[];
}
export interface FakeParam {
  name: string;
  type: string;
  required: boolean;
  description: string;
  /** The declared default (a `default` field, or "default is X" / "defaults to 'X'" in the description). */
  default?: Json;
  enum?: Json[];
  items?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Words

/** English function words, and the verbs and nouns every tool description uses ("calculate the value of a given …"). */
const STOP_WORDS = new Set(
  `a an the and or but if of to in on at by for with from into onto about as is are was were be been being am do does
  did done have has had this that these those it its it's i me my we our you your he she they them their his her
  what which who whom whose when where why how all any each every some no not only own same so than too very can
  will just should would could may might must shall also there here then than such other another more most less
  without within between after before over under until while during
  please want need like tell show give let know find get fetch retrieve obtain calculate calculation compute
  determine estimate evaluate make perform provide return returns run use using used help check look search lookup
  given based specified specific particular certain information info detail details data value values result results
  number numbers amount function tool api call request query input output type default optional required parameter
  parameters param one two three new current using via per e g eg i e etc`.split(/\s+/),
);

/**
 * A light stemmer, enough to meet "triangles"/"triangle", "cities"/"city", "movies"/"movie", "booked"/"book",
 * "finds"/"find": plurals and -ed/-ing cut, a final -y and -e evened out.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}i`;
  else if (w.length > 4 && /(ss|sh|ch|x)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 5 && w.endsWith("ed")) w = w.slice(0, -2);
  if (w.length > 3 && w.endsWith("y")) w = `${w.slice(0, -1)}i`;
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

/** Lower-case word tokens of any text: snake_case, dotted.names and camelCase split, digits kept as tokens. */
export function tokens(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const STOP_STEMS = new Set([...STOP_WORDS].map(stem));

/** The words that carry meaning: stop words (in any form: "finds", "given") and bare numbers out, the rest stemmed. */
export function contentWords(text: string): Set<string> {
  return new Set(tokens(text).filter(isContent).map(stem).filter((w) => !STOP_STEMS.has(w)));
}

/** Whether a token (one of `tokens`) is a content word once stemmed, as contentWords reads it. */
function isContentToken(token: string): boolean {
  return isContent(token) && !STOP_STEMS.has(stem(token));
}

function isContent(token: string): boolean {
  return token.length > 1 && !/^\d/.test(token) && !STOP_WORDS.has(token);
}

/** What the judges and the teacher read from a query; shared, never to be changed. */
interface QueryWords {
  /** Its content words (those that can name what a tool does), each once, in the order it first says them, stemmed. */
  content: readonly { token: string; stem: string }[];
  /** Every stemmed token of the query (stop words included): what a value's words are looked up in. */
  all: ReadonlySet<string>;
  /** queryNumbers(query) */
  numbers: readonly number[];
  /** sharedWords(query, tool) by tool, filled as tools are asked about (each several times per request). */
  shared: WeakMap<FakeTool, readonly string[]>;
}

/** A query's words, worked out once for the few samples in flight (64 at a time in a run) and their requests. */
const queryWords = boundedMemo(1_000, (query: string): QueryWords => {
  // A token of `tokens` is its own only token (lower-case, no separator), so it is a content word as contentWords(token)
  // would find it: read once, not tokenized again word by word.
  const unique = [...new Set(tokens(query))];
  return {
    content: unique.filter(isContentToken).map((token) => ({ token, stem: stem(token) })),
    all: new Set(unique.map(stem)),
    numbers: queryNumbers(query),
    shared: new WeakMap(),
  };
});

// ---------------------------------------------------------------------------------------------------------------
// Tools

const DEFAULT_IN_DESCRIPTION = /\bdefaults?\s*(?:is|to|:|=|value is)?\s*(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w-]*))/i;

function readParam(name: string, spec: unknown, required: boolean): FakeParam {
  const s = isRecord(spec) ? spec : {};
  const type = typeof s.type === "string" ? s.type : typeof spec === "string" ? spec : "string";
  const description = typeof s.description === "string" ? s.description : "";
  const param: FakeParam = { name, type, required, description };
  if (Array.isArray(s.enum)) param.enum = s.enum as Json[];
  if (s.items !== undefined) param.items = s.items;
  if ("default" in s && s.default !== "" && s.default !== undefined) param.default = s.default as Json;
  else {
    const m = DEFAULT_IN_DESCRIPTION.exec(description);
    if (m) param.default = m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2] ?? m[4]);
  }
  return param;
}

/** The tools of a prompt's `tools:` list in one shape; entries without a name are left out. */
export function readTools(list: unknown[]): FakeTool[] {
  const tools: FakeTool[] = [];
  for (const raw of list) {
    const t = isRecord(raw) && isRecord(raw.function) ? raw.function : raw;
    if (!isRecord(t) || typeof t.name !== "string") continue;
    const p = t.parameters;
    const params: FakeParam[] = [];
    if (isRecord(p) && isRecord(p.properties)) {
      const required = new Set(Array.isArray(p.required) ? p.required : []);
      for (const [name, spec] of Object.entries(p.properties)) params.push(readParam(name, spec, required.has(name)));
    } else if (isRecord(p)) {
      // xLAM: {param: {type: "str, optional", description, default}}; no ", optional" = required.
      for (const [name, spec] of Object.entries(p)) {
        const type = isRecord(spec) && typeof spec.type === "string" ? spec.type : "";
        params.push(readParam(name, spec, !/optional/i.test(type)));
      }
    }
    tools.push({ name: t.name, description: typeof t.description === "string" ? t.description : "", params });
  }
  return tools;
}

/**
 * What a tool does, as words: its name's, and its description's less its parameters' names — a description names
 * the inputs ("… given weight and height"), which say what the tool takes, not what it is for.
 */
export function toolSubject(tool: FakeTool): ReadonlySet<string> {
  let subject = subjects.get(tool);
  if (subject === undefined) {
    subject = subjectOf(JSON.stringify([tool.name, tool.description, tool.params.map((p) => p.name)]));
    subjects.set(tool, subject);
  }
  return subject;
}

/** toolSubject by tool object: the server reads a tools list once and asks about its tools on every request. */
const subjects = new WeakMap<FakeTool, ReadonlySet<string>>();

/** toolSubject by what it depends on (name, description, parameters' names): a set's tools recur across samples. */
const subjectOf = boundedMemo(10_000, (key: string): ReadonlySet<string> => {
  const [name, description, paramNames] = JSON.parse(key) as [string, string, string[]];
  const paramWords = new Set(paramNames.flatMap((p) => tokens(p).map(stem)));
  return new Set([...contentWords(name), ...[...contentWords(description)].filter((w) => !paramWords.has(w))]);
});

/** Two stemmed words meet when equal, or when one begins the other and is at least 5 letters ("discover", "discoverer"). */
function meet(a: string, b: string): boolean {
  if (a === b) return true;
  return a.length <= b.length ? a.length >= 5 && b.startsWith(a) : b.length >= 5 && a.startsWith(b);
}

/** The query's words (as the query writes them) that meet a word of what the tool does. */
export function sharedWords(query: string, tool: FakeTool): readonly string[] {
  const words = queryWords(query);
  let shared = words.shared.get(tool);
  if (shared === undefined) {
    const subject = [...toolSubject(tool)];
    shared = words.content.filter((t) => subject.some((w) => meet(t.stem, w))).map((t) => t.token);
    words.shared.set(tool, shared);
  }
  return shared;
}

// ---------------------------------------------------------------------------------------------------------------
// Stage 2

export function judgeQueryTools(query: string, tools: readonly FakeTool[]): FakeVerdict {
  const fits = tools.map((t) => ({ tool: t.name, shared: sharedWords(query, t) })).filter((f) => f.shared.length > 0);
  if (fits.length > 0) {
    const best = fits.reduce((a, b) => (b.shared.length > a.shared.length ? b : a));
    return {
      verdict: "pass",
      reason: `Fake judge: passes — the query asks about "${best.shared.join(", ")}", which ${best.tool} is about.`,
      evidence: { fake: true, needed_tools: fits.map((f) => f.tool), shared_words: best.shared },
    };
  }
  const names = tools.map((t) => t.name);
  return {
    verdict: "fail",
    reason:
      tools.length === 0
        ? "Fake judge: no tool is listed, so no call can serve the query."
        : `Fake judge: no tool fits the query — ${names.join(", ")} ${names.length === 1 ? "shares" : "share"} no word of what ${names.length === 1 ? "it does" : "they do"} with it.`,
    evidence: { fake: true, needed_tools: [], missing_capabilities: [query.slice(0, 200)], tools: names },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Stage 4

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, twenty: 20, hundred: 100, thousand: 1000, once: 1, twice: 2, half: 0.5, dozen: 12, single: 1, double: 2,
};
const SCALE: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

/**
 * Numbers the query says, by value: as digits ("10", "1,500", "2.5", "-3", "1e-9"), with a scale ("213 million"),
 * as a percentage ("5%" is 5 and 0.05), or as a word ("six", "twice").
 */
export function queryNumbers(query: string): number[] {
  const numbers: number[] = [];
  for (const m of query.matchAll(/(-?\d[\d,]*(?:\.\d+)?(?:e-?\d+)?)(\s*%|\s+(?:thousand|million|billion|trillion)\b)?/gi)) {
    const n = Number(m[1].replace(/,/g, ""));
    if (!Number.isFinite(n)) continue;
    numbers.push(n);
    const suffix = m[2]?.trim().toLowerCase();
    if (suffix === "%") numbers.push(n / 100);
    else if (suffix) numbers.push(n * SCALE[suffix]);
  }
  for (const word of tokens(query)) if (word in NUMBER_WORDS) numbers.push(NUMBER_WORDS[word]);
  return numbers;
}

/** Whether a scalar value is said by the query: a number by value (10 = 10.0), a string word by word. */
export function occursInQuery(value: string | number, query: string): boolean {
  const { all, numbers } = queryWords(query);
  if (typeof value === "number") return numbers.some((n) => Math.abs(n - value) <= 1e-9 * Math.max(1, Math.abs(value)));
  const words = tokens(value).map(stem);
  if (words.length === 0) return true;
  return words.every((w) => all.has(w) || (/^\d/.test(w) && numbers.includes(Number(w))));
}

function sameValue(a: Json, b: Json | undefined): boolean {
  if (b === undefined) return false;
  if (typeof a === "string" && typeof b === "string") return a.trim().toLowerCase() === b.trim().toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b) || (typeof a !== "object" && String(a) === String(b));
}

/** The strings and numbers inside an argument value (booleans and null say nothing the query could). */
function scalars(value: Json): (string | number)[] {
  if (typeof value === "string" || typeof value === "number") return [value];
  if (Array.isArray(value)) return value.flatMap(scalars);
  if (isRecord(value)) return Object.values(value as Record<string, Json>).flatMap(scalars);
  return [];
}

/** A value the query does not support: why, or null when it is fine. */
function unsupported(query: string, param: FakeParam | undefined, value: Json): string | null {
  if (param && sameValue(value, param.default)) return null;
  const missing = scalars(value).filter((v) => !occursInQuery(v, query));
  return missing.length === 0 ? null : JSON.stringify(missing[0]);
}

export function judgeValues(query: string, tools: readonly FakeTool[], calls: FakeCall[]): FakeVerdict {
  const problems: { call: number; function: string; parameter: string | null; value: Json; issue: string }[] = [];
  calls.forEach((call, index) => {
    const tool = tools.find((t) => t.name === call.name);
    if (tool && sharedWords(query, tool).length === 0) {
      problems.push({ call: index, function: call.name, parameter: null, value: null, issue: `${call.name} does not do what the query asks` });
      return;
    }
    for (const [name, value] of Object.entries(call.arguments ?? {})) {
      const bad = unsupported(query, tool?.params.find((p) => p.name === name), value);
      if (bad !== null) {
        problems.push({ call: index, function: call.name, parameter: name, value, issue: `${bad} occurs nowhere in the query and is not the default` });
      }
    }
  });
  if (problems.length === 0) {
    return { verdict: "pass", reason: "Fake judge: passes — every function fits the query and every value comes from it or is a default.", evidence: { fake: true, problems } };
  }
  const first = problems[0];
  const where = first.parameter === null ? `call ${first.function}` : `${first.function}(${first.parameter}=…)`;
  return {
    verdict: "fail",
    reason: `Fake judge: ${where}: ${first.issue}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}.`,
    evidence: { fake: true, problems },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The teacher

/** The tool that shares the most words with the query (the first listed on a tie, or when none does). */
export function bestTool(query: string, tools: readonly FakeTool[]): FakeTool | undefined {
  let best: FakeTool | undefined;
  let bestScore = -1;
  for (const tool of tools) {
    const score = sharedWords(query, tool).length;
    if (score > bestScore) [best, bestScore] = [tool, score];
  }
  return best;
}

function baseType(type: string): string {
  return type.toLowerCase().replace(/,\s*optional$/, "").trim();
}

/** A phrase of the query a string parameter could take: a quoted one, else a run of capitalised words not at the start. */
function queryPhrases(query: string): string[] {
  const quoted = [...query.matchAll(/["'“‘]([^"'”’]{1,80})["'”’]/g)].map((m) => m[1]);
  const capitalised = [...query.matchAll(/(?<=[a-z0-9,;:]\s+)([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)/g)].map((m) => m[1]);
  return [...quoted, ...capitalised];
}

/** A value for a parameter from the query, or undefined when the query has none to give. */
function valueFromQuery(query: string, param: FakeParam, used: { numbers: number[]; phrases: string[] }): Json | undefined {
  if (param.enum) return param.enum.find((v) => (typeof v === "string" || typeof v === "number") && occursInQuery(v, query));
  const type = baseType(typeof param.type === "string" ? param.type : "");
  if (/^(int|integer|float|number|double)$/.test(type)) {
    const n = used.numbers.shift();
    return n === undefined ? undefined : /^int/.test(type) ? Math.trunc(n) : n;
  }
  if (/^(str|string)$/.test(type)) return used.phrases.shift();
  return undefined;
}

/** A placeholder of the declared type, for a required value the query does not give (stage 4 then says so). */
function placeholder(name: string, spec: { type?: unknown; enum?: Json[]; items?: unknown }): Json {
  if (spec.enum && spec.enum.length > 0) return spec.enum[0];
  const type = baseType(typeof spec.type === "string" ? spec.type : "string");
  if (/^(int|integer)$/.test(type)) return 1;
  if (/^(float|number|double)$/.test(type)) return 1.5;
  if (/^(bool|boolean)$/.test(type)) return true;
  if (/^(list|array|tuple|set)\b/.test(type)) {
    // List[int] (xLAM) or {type: "array", items: {...}} (BFCL): one item of the item type.
    const items = spec.items ?? /^\w+\[(.+)\]$/.exec(type)?.[1];
    if (items === undefined) return [];
    return [placeholder(name, isRecord(items) ? (items as { type?: unknown; enum?: Json[]; items?: unknown }) : { type: items })];
  }
  if (/^(dict|object|mapping)\b/.test(type)) return {};
  return `sample ${name}`; // "any" and unknown type strings: a string is the most forgiving guess
}

/**
 * The teacher's calls: repairing `previous` (a rejected answer) when there is one — its values the query supports
 * kept, unsupported optional ones dropped, unsupported required ones taken again from the query — else a call of the
 * best-fitting tool with its required values from the query. A required value the query does not give is the
 * parameter's default, else a placeholder of its type (which stage 4 then fails, as it should).
 */
export function teacherCalls(query: string, tools: readonly FakeTool[], previous: FakeCall[] | null): FakeCall[] {
  if (previous && previous.length > 0) {
    return previous.map((call) => {
      const tool = tools.find((t) => t.name === call.name);
      if (!tool || sharedWords(query, tool).length === 0) return teacherCalls(query, tools, null)[0] ?? call;
      return { name: call.name, arguments: fillArguments(query, tool, call.arguments) };
    });
  }
  const tool = bestTool(query, tools);
  return tool ? [{ name: tool.name, arguments: fillArguments(query, tool, {}) }] : [];
}

/** A tool's arguments: the `kept` values the query supports, and every other required one from the query. */
function fillArguments(query: string, tool: FakeTool, kept: Record<string, Json>): Record<string, Json> {
  const supported = tool.params.filter((p) => kept[p.name] !== undefined && unsupported(query, p, kept[p.name]) === null);
  const taken = supported.flatMap((p) => scalars(kept[p.name]));
  // What the query offers that no kept value already uses, in the order the query says it.
  const left = {
    numbers: queryWords(query).numbers.filter((n) => !taken.includes(n)),
    phrases: queryPhrases(query).filter((p) => !taken.some((t) => typeof t === "string" && t.toLowerCase() === p.toLowerCase())),
  };
  const args: Record<string, Json> = {};
  for (const param of tool.params) {
    if (supported.includes(param)) args[param.name] = kept[param.name];
    else if (param.required) args[param.name] = valueFromQuery(query, param, left) ?? param.default ?? placeholder(param.name, param);
  }
  return args;
}

/** The teacher's reasoning for its calls: why each function, where each value comes from. */
export function teacherReasoning(query: string, tools: readonly FakeTool[], calls: FakeCall[]): string {
  const lines: string[] = [];
  for (const call of calls) {
    const tool = tools.find((t) => t.name === call.name);
    const shared = tool ? sharedWords(query, tool) : [];
    const does = tool?.description ? ` (${tool.description.split(/(?<=\.)\s/)[0].replace(/\.$/, "")})` : "";
    lines.push(shared.length > 0 ? `The request is about ${shared.join(", ")}: ${call.name} does that${does}.` : `${call.name} is the closest tool listed${does}.`);
    for (const [name, value] of Object.entries(call.arguments)) {
      const param = tool?.params.find((p) => p.name === name);
      const source = param && sameValue(value, param.default) ? "its default" : unsupported(query, undefined, value) === null ? "the request gives it" : "the request does not give it";
      lines.push(`${name} = ${JSON.stringify(value)}: ${source}.`);
    }
  }
  lines.push(`So I call ${calls.map((c) => c.name).join(", then ")}.`);
  return lines.join("\n");
}

/**
 * Whether the fake judge passes a sample at stages 2 and 4: sets meant to go through every stage (the pipeline
 * bench, the fault tests) keep to these, so that what they measure is the studio, not the judge's discards.
 */
export function fakeJudgePasses(query: string, toolList: unknown[], calls: FakeCall[]): boolean {
  const tools = readTools(toolList);
  return judgeQueryTools(query, tools).verdict === "pass" && judgeValues(query, tools, calls).verdict === "pass";
}
