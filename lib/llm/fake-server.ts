/**
 * A fake OpenAI-compatible LLM server for tests, e2e and benchmarks (no real model is reachable here).
 *
 *   In code:  const llm = await startFakeLlm({ latencyMs: 5 });  new OpenAI({ baseURL: llm.url, ... });  await llm.close();
 *   CLI:      tsx lib/llm/fake-server.ts --port 4010 --latency 200 [--failure-rate 0.1 --seed 7] [--verbose]
 *
 * Routes: POST /v1/chat/completions (non-streaming only), GET /v1/models, GET /health, and the Files and Batch API
 * (/v1/files, /v1/batches: lib/llm/fake-batch.ts; each line answered as chat completions answers it, the batch done
 * batchDelayMs after its creation, CLI --batch-delay; batchFaults script expired batches and malformed output lines).
 *
 * What it answers depends only on the request, so a test scripts pass/fail per sample by writing a directive into the
 * sample's text (which the prompts copy into the request):
 *
 * | Directive                        | Effect                                                                        |
 * |----------------------------------|-------------------------------------------------------------------------------|
 * | (none)                           | judge: decides from evidence (lib/llm/fake-judge.ts): stage 2 fails when no   |
 * |                                  | tool is about the query, stage 4 when a function does not fit it or a value  |
 * |                                  | is not in it (nor a default); other judges pass. teacher: calls of the        |
 * |                                  | best-fitting tool with values from the query (a rejected answer repaired)     |
 * | [[fake:pass]]                    | judge answers pass, whatever the evidence (last of pass/fail wins)            |
 * | [[fake:fail]]                    | judge answers fail, with a reason                                             |
 * | [[fake:429]]                     | HTTP 429 with `Retry-After: 1` (see retryAfterSeconds), every time            |
 * | [[fake:<status>]]                | that HTTP error status every time: 500, 503, 400, 401, ...                    |
 * | [[fake:hang]]                    | never answers; the client has to time out                                     |
 * | [[fake:garbage]]                 | HTTP 200 whose message content is neither JSON nor a think block              |
 * | [[fake:badjson]]                 | HTTP 200 whose body itself is malformed JSON                                  |
 * | [[fake:<one of the above>xN]]    | only the first N requests with this exact body do that, then normal answers;  |
 * |                                  | several in a row are consumed in order: 429x1 then garbagex1 = 429, garbage, ok |
 * | [[fake:slow=<ms>]]               | answers after <ms> more milliseconds (on top of latencyMs)                    |
 * | [[fake:teacher-bad]]             | teacher: the call carries an unknown argument, so stage 4's rules fail it     |
 * | [[fake:teacher-fixes-after=N]]   | teacher: bad for the first N teacher answers for this sample (same query),    |
 * |                                  | good afterwards (regeneration eventually succeeds)                            |
 * | [[fake:teacher-malformed]]       | teacher: prose after the call list (`…]\nHope this helps!`), so stage 5 fails |
 * | [[fake:omit]]                    | judge: the verdict is left out: `{}`, or (combined judge) no key for the      |
 * |                                  | judges in scope, e.g. [[fake:omit@judge-cot]] (a partial combined answer)     |
 * | [[fake:policy-accuracy=<0..1>]]  | policy: right on that share of queries (overrides policyAccuracy); with     |
 * |                                  | @model=<name>, for that model only (see lib/llm/fake-policy.ts)              |
 * | [[fake:style=<style>]]           | answers in that style (FAKE_STYLES below: think, reasoning-field, prose,      |
 * |                                  | fence, tool-call, conflicting, plain); overrides the server-wide `style`      |
 * | [[fake:<directive>@<prompt-id>]] | applies only to prompts whose `prompt:` line starts with <prompt-id>,         |
 * |                                  | e.g. [[fake:fail@judge-values]] fails stage 4's judge but not stage 2's; in  |
 * |                                  | a combined judge's prompt (judge-combined) to the part of that judge          |
 * | [[fake:<directive>@model=<name>]] | applies only to requests for that model: [[fake:fail@model=judge-b]] makes   |
 * |                                  | one member of a judge panel fail and not the others                           |
 *
 * An unknown directive gets HTTP 400 naming it (a typo must not silently pass). "Exact body" = SHA-256 of the raw
 * request body, so a client's retry of the same request sees the sequence. The kind of answer comes from the
 * system prompt's marker line (`task: judge` / `task: teacher`, see FAKE_TASK_MARKERS); judge and teacher read the
 * tools from the JSON list after the `tools:` line, the sample's query between the `query:` and `tools:` lines, and
 * calls from the JSON list after the lines of CALLS_LINES (the answer judged, a rejected or a reference answer).
 * A request with `n` > 1 (up to 16) gets n choices; a teacher's n answers count as n answers in a row, so
 * [[fake:teacher-fixes-after=2]] with n = 4 gives two bad candidates, then two good ones.
 * Global options (setOptions / CLI flags): latencyMs and latencyJitter (each answer's delay drawn within ±that share
 * of it, from the seed and the body), failureRate + failureKinds + seed (random failures for soak
 * tests, drawn from a hash of seed + body + attempt so they do not depend on arrival order), retryAfterSeconds,
 * style (how every answer is written, as real models do: FAKE_STYLES; CLI --style), refuseFormats (response
 * formats the server answers 400 to, as servers without structured outputs or JSON mode do; CLI --refuse) and, for
 * a policy model (`task: policy`: answers the query from the query and tools alone, lib/llm/fake-policy.ts),
 * policyAccuracy (share of queries it gets right, per model or for all; CLI --policy-accuracy 0.7,my-model=0.85) and
 * policyKey (the answers that count as right, query → answer; CLI --policy-key fixtures/bfcl).
 *
 * `usage` is counted as OpenAI counts it: o200k BPE tokens (lib/llm/tokens.ts), and the prompt's cached tokens
 * (`prompt_tokens_details.cached_tokens`) from a simulated prefix cache (lib/llm/prefix-cache.ts: 16-token blocks
 * by default, as vLLM; CLI --cache-block 128 as OpenAI, 0 for none).
 */
import { createHash, hash as digest } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createFakeBatchApi, type FakeBatchOptions } from "./fake-batch";
import { errorReply, reply, type ChatReply } from "./fake-http";
import { judgeQueryTools, judgeValues, readTools, teacherCalls, type FakeCall, type FakeTool, type FakeVerdict } from "./fake-judge";
import { policyAnswer, policyKeyOf, thinkThenCalls, type PolicyTruth } from "./fake-policy";
import { readPolicyKey } from "./fake-policy-key";
import { CALLS_LINES, COMBINED_JUDGES_LINE, PROMPT_LINE_PREFIX, QUERY_LINE, TASK_MARKERS, TOOLS_LINE, type LlmTask } from "./markers";
import { boundedMemo } from "./memo";
import { createPrefixCache, type PrefixCacheOptions } from "./prefix-cache";
import { chatTokenRuns, countTokens, runsLength } from "./tokens";

/** The marker lines the prompts put in their system prompt; the fake answers according to them. */
export const FAKE_TASK_MARKERS = TASK_MARKERS;

/** The models GET /v1/models lists. Any model name is accepted by chat completions. */
export const FAKE_MODELS = ["fake-judge", "fake-teacher"];

/** What a malformed teacher answer writes after its call list. */
export const FAKE_TRAILING_TEXT = "Hope this helps!";

/** The unknown argument a bad teacher answer carries. */
export const FAKE_BAD_ARGUMENT = "fake_unknown_argument";

/**
 * How the fake writes its answers, as real servers and models do (issue 13). A judge's verdict object: alone, after a
 * reasoning block, beside a `reasoning_content` field, inside prose, in a Markdown fence mid-text, or as a tool call's
 * arguments with no content; `conflicting` writes two objects whose verdicts disagree (no verdict can be read: the
 * judge's answer is an error). A teacher's reasoning goes in `reasoning_content` in that style; its answer keeps
 * the call list every other style writes after `<think>` (a teacher must write calls).
 */
export const FAKE_STYLES = ["plain", "think", "reasoning-field", "prose", "fence", "tool-call", "conflicting"] as const;
export type FakeStyle = (typeof FAKE_STYLES)[number];

/** The response formats a server may refuse (`refuseFormats`): what the studio's judge client asks for first. */
export const FAKE_REFUSABLE_FORMATS = ["json_schema", "json_object"] as const;
export type FakeRefusableFormat = (typeof FAKE_REFUSABLE_FORMATS)[number];

/** What a script sees; it returns extra directives (without the brackets, e.g. "fail" or "429x2"). */
export interface FakeScriptInput {
  task: LlmTask | null;
  promptId: string | null;
  system: string;
  user: string;
  body: ChatRequestBody;
  /** 1 for the first request with this exact body, 2 for its first retry, ... */
  attempt: number;
}
export type FakeScript = (input: FakeScriptInput) => string | string[] | null | undefined;

export interface FakeLlmOptions extends FakeBatchOptions {
  /** Delay before every answer, in ms. */
  latencyMs: number;
  /**
   * Spread of that delay (0..1): each answer waits latencyMs × (1 ± up to this), drawn from the seed and the body,
   * the mean unchanged. Real servers vary; a constant delay keeps a run's samples in lockstep, every call arriving at
   * once.
   */
  latencyJitter: number;
  /** Fraction (0..1) of requests that fail at random, for soak tests. */
  failureRate: number;
  /** What a random failure is, drawn evenly: directives such as "500", "429", "garbage", "hang". */
  failureKinds: string[];
  seed: number;
  /** The Retry-After header of a 429, in whole seconds. */
  retryAfterSeconds: number;
  /** How many entries `requests` keeps (oldest dropped first), so a long benchmark does not grow memory. */
  logLimit: number;
  /** How every answer is written unless a style directive says otherwise. */
  style: FakeStyle;
  /** `response_format` types answered with HTTP 400, the way OpenAI and vLLM refuse an unsupported one. */
  refuseFormats: FakeRefusableFormat[];
  /** Share (0..1) of queries a policy model gets right: `default` for every model, or by model name. */
  policyAccuracy: { default: number; byModel: Record<string, number> };
  /** The right answer of each query a policy model may be asked, by policyKeyOf; others: the fake teacher's calls. */
  policyKey: ReadonlyMap<string, PolicyTruth>;
  /**
   * The simulated prefix cache (lib/llm/prefix-cache.ts) whose hits are reported as cached tokens; null: none. A
   * change empties it.
   */
  prefixCache: PrefixCacheOptions | null;
  script?: FakeScript;
  /** Called once per chat completion request, when its outcome is decided (the CLI's --verbose uses it). */
  onRequest?: (entry: FakeRequestLog) => void;
}

export interface FakeRequestLog {
  /** 1-based order of arrival. */
  seq: number;
  receivedAt: number;
  task: LlmTask | null;
  promptId: string | null;
  model: string;
  /** Directives that applied to this request (after @scope filtering), as written. */
  directives: string[];
  /** How many times this exact body has been received, this one included. */
  attempt: number;
  bodyHash: string;
  /** What the server did: "answer", "garbage", "badjson", "hang", "client gone" (nothing sent) or "http <status>". */
  outcome: string;
  /** HTTP status sent (0 for hang). */
  status: number;
  /** How long it waited before answering (latencyMs, jittered, plus slow directives). */
  waitedMs?: number;
  usage?: FakeUsage;
  body: ChatRequestBody;
}

/** `usage` as OpenAI and vLLM report it: prompt tokens counted with o200k, the cached part of them in the details. */
export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

export interface FakeApiCall {
  method: string;
  path: string;
  /** The Authorization header as received (null: none). */
  authorization: string | null;
}

export interface FakeLlm {
  /** Base URL for the OpenAI SDK, ending in /v1. */
  url: string;
  port: number;
  /** Chat completion requests received, oldest first (capped at logLimit). */
  requests: FakeRequestLog[];
  /** Files and Batch API requests received, oldest first (capped at logLimit), with the key each carried. */
  batchApiCalls: FakeApiCall[];
  setOptions(partial: Partial<FakeLlmOptions>): void;
  /** Forget the request log and the per-body / per-sample counters. */
  reset(): void;
  close(): Promise<void>;
}

export interface ChatRequestBody {
  model?: string;
  messages: { role: string; content?: unknown }[];
  stream?: boolean;
  response_format?: { type?: string };
  temperature?: number;
  [key: string]: unknown;
}

const DEFAULT_OPTIONS: FakeLlmOptions = {
  latencyMs: 0,
  latencyJitter: 0,
  failureRate: 0,
  failureKinds: ["500", "429"],
  seed: 1,
  retryAfterSeconds: 1,
  logLimit: 1000,
  style: "plain",
  refuseFormats: [],
  policyAccuracy: { default: 0.7, byModel: {} },
  policyKey: new Map(),
  batchDelayMs: 0,
  batchFaults: [],
  // vLLM's default block size; room for a few thousand samples' prompts, as a real server's spare GPU memory.
  prefixCache: { blockTokens: 16, capacityBlocks: 100_000 },
};

const MAX_BODY_BYTES = 20 * 1024 * 1024;
/** A batch input file may be as large as OpenAI takes (200 MB). */
const MAX_FILE_BYTES = 200 * 1024 * 1024;
const DIRECTIVE_PATTERN = /\[\[fake:([^\]\s]+)\]\]/g;

// ---------------------------------------------------------------------------------------------------------------
// Directives

type Transport = { kind: "status"; status: number } | { kind: "hang" | "garbage" | "badjson" };
type Directive =
  | { type: "verdict"; verdict: "pass" | "fail" }
  | { type: "transport"; transport: Transport; count?: number }
  | { type: "slow"; ms: number }
  | { type: "style"; style: FakeStyle }
  | { type: "policy-accuracy"; accuracy: number }
  | { type: "omit" }
  | { type: "teacher-bad" }
  | { type: "teacher-malformed" }
  | { type: "teacher-fixes-after"; n: number };

/** Parses one behaviour (no brackets, no scope); null when unknown. */
function parseBehaviour(text: string): Directive | null {
  if (text === "pass" || text === "fail") return { type: "verdict", verdict: text };
  if (text === "teacher-bad" || text === "teacher-malformed" || text === "omit") return { type: text };
  let m = /^teacher-fixes-after=(\d+)$/.exec(text);
  if (m) return { type: "teacher-fixes-after", n: Number(m[1]) };
  m = /^style=(.+)$/.exec(text);
  if (m) return isStyle(m[1]) ? { type: "style", style: m[1] } : null;
  m = /^policy-accuracy=(0(?:\.\d+)?|1(?:\.0+)?)$/.exec(text);
  if (m) return { type: "policy-accuracy", accuracy: Number(m[1]) };
  m = /^slow=(\d+)$/.exec(text);
  if (m) return { type: "slow", ms: Number(m[1]) };
  m = /^(?:(\d{3})|(hang|garbage|badjson))(?:x(\d+))?$/.exec(text);
  if (m) {
    const status = m[1] === undefined ? undefined : Number(m[1]);
    if (status !== undefined && (status < 400 || status > 599)) return null;
    const transport: Transport =
      status !== undefined ? { kind: "status", status } : { kind: m[2] as "hang" | "garbage" | "badjson" };
    return { type: "transport", transport, count: m[3] === undefined ? undefined : Number(m[3]) };
  }
  return null;
}

/**
 * `fail@judge-values` applies only to prompts whose id starts with `judge-values`; `fail@model=judge-b` only to
 * requests for that model (a judge panel's members disagree this way).
 */
function inScope(raw: string, promptId: string | null, model: string): { behaviour: string; applies: boolean } {
  const at = raw.indexOf("@");
  if (at < 0) return { behaviour: raw, applies: true };
  const scope = raw.slice(at + 1);
  const behaviour = raw.slice(0, at);
  if (scope.startsWith("model=")) return { behaviour, applies: model === scope.slice("model=".length) };
  return { behaviour, applies: promptId !== null && promptId.startsWith(scope) };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the request

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    // The SDK's content-part form: [{ type: "text", text }]
    return content
      .map((part) => (part && typeof part === "object" && typeof part.text === "string" ? part.text : ""))
      .join("\n");
  }
  return "";
}

function messagesText(body: ChatRequestBody, roles: string[]): string {
  return body.messages
    .filter((m) => roles.includes(m.role))
    .map((m) => contentText(m.content))
    .join("\n");
}

// A prompt's marker lines: in the system text (v1 prompts) or after the sample, before the question (v2 prompts, whose
// system text is the same for every stage so that a sample's calls share their prefix). A marker is a line of its own,
// whitespace around it aside; the text is searched, not split into lines (it is several kB on every request).
// The marker is looked for first (a fast search), the line only where it occurs.
function detectTask(text: string): LlmTask | null {
  return TASK_LINES.find(([, marker, line]) => text.includes(marker) && line.test(text))?.[0] ?? null;
}

/** `[^\S\n]`: whitespace within a line, what String.trim removes from a line (it removes \s, the same characters). */
const TASK_LINES = Object.entries(TASK_MARKERS).map(
  ([task, marker]) => [task as LlmTask, marker, new RegExp(`(?:^|\\n)[^\\S\\n]*${escapeRegExp(marker)}[^\\S\\n]*(?:\\n|$)`)] as const,
);

/** The text after the last line's `prompt: ` (whitespace before it aside; on a line with more than whitespace after). */
const PROMPT_LINES = new RegExp(`(?:^|\\n)[^\\S\\n]*${escapeRegExp(PROMPT_LINE_PREFIX)}(?=[^\\n]*\\S)([^\\n]*)`, "g");

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The judges a combined judge's prompt asks, by task id (its `judges:` line); none for any other prompt. */
function combinedTasks(promptId: string | null, user: string): string[] {
  if (!promptId?.startsWith("judge-combined")) return [];
  const line = user.split("\n").findLast((l) => l.startsWith(COMBINED_JUDGES_LINE));
  return line ? line.slice(COMBINED_JUDGES_LINE.length).split(",").map((t) => t.trim()).filter(Boolean) : [];
}

function detectPromptId(text: string): string | null {
  const last = [...text.matchAll(PROMPT_LINES)].at(-1);
  return last ? last[1].trim() : null;
}

/** The directives written in a text, without their brackets. Most texts have none: a fast search for one first. */
function writtenDirectives(text: string): string[] {
  return text.includes("[[fake:") ? [...text.matchAll(DIRECTIVE_PATTERN)].map((m) => m[1]) : [];
}

/**
 * What a system text says: its task, prompt id and directives. A run's requests share a few system texts (v2 prompts
 * one for every stage), each several kB: read once each. Shared, never to be changed.
 */
const systemFacts = boundedMemo(100, (system: string) => ({
  task: detectTask(system),
  promptId: detectPromptId(system),
  directives: writtenDirectives(system) as readonly string[],
}));

/**
 * The sample's query, which identifies the sample across teacher prompts: inside `<query>…</query>` after the
 * `query:` line (v2 prompts), or between the `query:` and `tools:` lines (v1).
 */
function sampleKey(user: string): string {
  const m = QUERY_V2.exec(user) ?? QUERY_V1.exec(user);
  return m ? m[1] : user;
}
const QUERY_V2 = new RegExp(`^${QUERY_LINE}[ \\t]*\\n<query>\\n([\\s\\S]*?)\\n</query>$`, "m");
const QUERY_V1 = new RegExp(`^${QUERY_LINE}[ \\t]*\\n([\\s\\S]*?)\\n+${TOOLS_LINE}[ \\t]*$`, "m");

/** The JSON list right after the `tools:` line (pretty-printed or not), or null. */
export function extractToolsList(text: string): unknown[] | null {
  const list = jsonListTextAfter(text, TOOLS_HEADING);
  return list === null ? null : parseList(list);
}
const TOOLS_HEADING = new RegExp(`^${TOOLS_LINE}[ \\t]*$`, "m");

/** The tools listed after the `tools:` line (none when there is no list). Shared, never to be changed. */
function toolsIn(text: string): readonly FakeTool[] {
  const list = jsonListTextAfter(text, TOOLS_HEADING);
  return list === null ? [] : toolsOf(list);
}

/** A tools list's tools, read once: a sample's requests (the teacher's, each judge's) all list the same. */
const toolsOf = boundedMemo(1_000, (list: string): readonly FakeTool[] => readTools(parseList(list) ?? []));

/** The calls listed as JSON after the line (or lines, up to one ending in ":") that start with `heading`, or null. */
function extractCalls(text: string, heading: (typeof CALLS_LINES)[keyof typeof CALLS_LINES]): FakeCall[] | null {
  const listText = jsonListTextAfter(text, CALLS_HEADINGS[heading]);
  const list = listText === null ? null : parseList(listText);
  if (!list) return null;
  const calls = list.filter((c): c is FakeCall => isRecord(c) && typeof c.name === "string" && isRecord(c.arguments));
  return calls.length === list.length ? calls : null;
}

/** What finds each of CALLS_LINES: its line, or lines up to one ending in ":" (built once, not per request). */
const CALLS_HEADINGS = Object.fromEntries(
  Object.values(CALLS_LINES).map((heading) => [heading, new RegExp(`^(?=${escapeRegExp(heading)})(?:[^\\n]*\\n)*?[^\\n]*:[ \\t]*$`, "m")]),
) as Record<(typeof CALLS_LINES)[keyof typeof CALLS_LINES], RegExp>;

const [BACKSLASH, QUOTE, OPEN_BRACKET, OPEN_BRACE, CLOSE_BRACKET, CLOSE_BRACE] = ["\\", '"', "[", "{", "]", "}"].map((c) => c.charCodeAt(0));

/** The text of the JSON list right after what `heading` finds (up to its matching "]"), or null when none follows. */
function jsonListTextAfter(text: string, heading: RegExp): string | null {
  const found = heading.exec(text);
  if (!found) return null;
  const start = text.indexOf("[", found.index + found[0].length);
  if (start < 0 || text.slice(found.index + found[0].length, start).trim() !== "") return null;
  // Find the matching "]", skipping brackets inside JSON strings.
  let depth = 0;
  let inString = false;
  // Character codes, not one-character strings: this scans every character of the tools list on every request.
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) depth++;
    else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return null;
}

/** A JSON list's items, or null when the text is not one. */
function parseList(text: string): unknown[] | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Answers


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The sample's query as the prompt gives it, without the directives written into it (they are not its words). */
function queryOf(user: string): string {
  return sampleKey(user).replace(DIRECTIVE_PATTERN, " ");
}

function teacherAnswer(user: string, promptId: string | null, bad: boolean): string {
  const tools = toolsIn(user);
  const query = queryOf(user);
  // A CoT for a reference answer reasons its way to it; otherwise the teacher makes (or repairs) the calls. In v2
  // prompts the sample's answer is the reference of a CoT request and the rejected answer of a regeneration.
  const answer = extractCalls(user, CALLS_LINES.answer);
  const reference = extractCalls(user, CALLS_LINES.reference) ?? (promptId?.startsWith("teacher-cot") ? answer : null);
  const calls = reference ?? teacherCalls(query, tools, extractCalls(user, CALLS_LINES.rejected) ?? answer);
  if (calls.length === 0) return "<think>\nNo tool is listed, so no call can be made.\n</think>\n\nI cannot do that with the tools available.";
  if (bad) calls[0].arguments[FAKE_BAD_ARGUMENT] = "unexpected";
  return thinkThenCalls(query, tools, calls);
}

/** The judgement when no directive forces one: from the evidence for stages 2 and 4, a pass for the others. */
function evidenceVerdict(user: string, promptId: string | null): string {
  // The query and tools are read only for the judges that look at them (judge-cot's pass needs neither).
  const query = () => queryOf(user);
  const tools = () => toolsIn(user);
  let verdict: FakeVerdict | null = null;
  if (promptId?.startsWith("judge-query-tools")) verdict = judgeQueryTools(query(), tools());
  if (promptId?.startsWith("judge-values")) {
    const calls = extractCalls(user, CALLS_LINES.answer);
    if (calls) verdict = judgeValues(query(), tools(), calls);
  }
  return verdict ? JSON.stringify({ ...verdict, evidence: { ...verdict.evidence, prompt: promptId } }) : judgeAnswer("pass", promptId, false);
}

/** The directives among `raw` that apply to any of `scopes` (a combined answer's part: the prompt's id or the judge's). */
function partDirectives(raw: readonly string[], scopes: (string | null)[], model: string): Directive[] {
  return raw.flatMap((r) => {
    const parsed = scopes.some((id) => inScope(r, id, model).applies) ? parseBehaviour(inScope(r, null, model).behaviour) : null;
    return parsed ? [parsed] : [];
  });
}

/**
 * A combined judge's answer: each judge's verdict as its own prompt would get it (forced by a directive in its scope,
 * else from the evidence), keyed by its task id; a judge with an `omit` directive in scope is left out.
 */
function combinedAnswer(user: string, promptId: string | null, tasks: string[], directivesFor: (task: string) => Directive[]): string {
  const parts: Record<string, unknown> = {};
  for (const task of tasks) {
    const own = directivesFor(task);
    if (own.some((d) => d.type === "omit")) continue;
    const forced = own.filter((d) => d.type === "verdict").at(-1);
    parts[task] = JSON.parse(forced ? judgeAnswer(forced.verdict, task) : evidenceVerdict(user, task));
  }
  return JSON.stringify(parts);
}

/** A verdict a directive forced, or (`forced` false) the pass of a judge the fake has no evidence for. */
function judgeAnswer(verdict: "pass" | "fail", promptId: string | null, forced = true): string {
  // The reason never contains the directive's brackets: a reason copied into a later prompt must not re-trigger it.
  const who = promptId ?? "judge";
  const reason = !forced
    ? `Fake judge (${who}): passes — the fake checks no evidence at this stage.`
    : verdict === "pass"
      ? `Fake judge (${who}): the sample carries the fake:pass directive, so it passes.`
      : `Fake judge (${who}): the sample carries the fake:fail directive, so it fails.`;
  return JSON.stringify({ verdict, reason, evidence: { fake: true, prompt: promptId } });
}

function isStyle(text: string): text is FakeStyle {
  return (FAKE_STYLES as readonly string[]).includes(text);
}

/** What a reasoning model thinks before a verdict (the fake has nothing to think: a fixed sentence). */
const JUDGE_REASONING = "Let me check the sample against the question this stage asks.";

interface FakeMessage {
  role: "assistant";
  content: string | null;
  refusal: null;
  reasoning_content?: string;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
}

/** A judge's verdict object (JSON text) written in `style`. */
function styledVerdict(style: FakeStyle, verdict: string): FakeMessage {
  const message = (content: string | null): FakeMessage => ({ role: "assistant", content, refusal: null });
  switch (style) {
    case "plain":
      return message(verdict);
    case "think":
      return message(`<think>\n${JUDGE_REASONING}\n</think>\n\n${verdict}`);
    case "reasoning-field":
      return { ...message(verdict), reasoning_content: JUDGE_REASONING };
    case "prose":
      return message(`I checked the sample. My verdict is ${verdict} and that settles it.`);
    case "fence":
      return message(`Here is my assessment.\n\n\`\`\`json\n${JSON.stringify(JSON.parse(verdict), null, 2)}\n\`\`\`\n\nAsk if anything is unclear.`);
    case "tool-call":
      return { ...message(null), tool_calls: [{ id: "call_fake_verdict", type: "function", function: { name: "submit_verdict", arguments: verdict } }] };
    case "conflicting": {
      const other = JSON.stringify(flipped(JSON.parse(verdict)));
      return message(`My first reading: ${verdict}\nOn second thought: ${other}`);
    }
  }
}

/** A verdict object with the other verdict; a combined answer with each judge's flipped. */
function flipped(answer: Record<string, unknown>): Record<string, unknown> {
  if (typeof answer.verdict === "string") return { ...answer, verdict: answer.verdict === "pass" ? "fail" : "pass" };
  return Object.fromEntries(Object.entries(answer).map(([task, part]) => [task, isRecord(part) ? flipped(part) : part]));
}

/** A teacher's `<think>…</think>` + calls in `style`: only a reasoning field changes it (the reasoning moves there). */
function styledTeacher(style: FakeStyle, answer: string): FakeMessage {
  const think = /^<think>\n?([\s\S]*?)\n?<\/think>\s*/.exec(answer);
  if (style !== "reasoning-field" || !think) return { role: "assistant", content: answer, refusal: null };
  return { role: "assistant", content: answer.slice(think[0].length), refusal: null, reasoning_content: think[1] };
}

const GARBAGE = "Sorry, I am not able to help with that right now. Please try again later!";

/** A deterministic number in [0, 1) from a string: the seeded draw for random failures. */
function hashFloat(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0) / 2 ** 32;
}


// ---------------------------------------------------------------------------------------------------------------
// The server

export async function startFakeLlm(
  options: Partial<FakeLlmOptions> & { port?: number; host?: string } = {},
): Promise<FakeLlm> {
  const { port: wantedPort = 0, host = "127.0.0.1", ...rest } = options;
  let opts: FakeLlmOptions = { ...DEFAULT_OPTIONS };
  const requests: FakeRequestLog[] = [];
  const batchApiCalls: FakeApiCall[] = [];
  const seenBodies = new Map<string, number>(); // body hash → requests received
  const teacherAnswers = new Map<string, number>(); // sample key → teacher answers given
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  const batchApi = createFakeBatchApi({ answer: (raw) => answerChat(raw, { wait: false }), options: () => opts, sleep });
  let prefixCache: ReturnType<typeof createPrefixCache> | null = null;

  function setOptions(partial: Partial<FakeLlmOptions>): void {
    const next = { ...opts, ...partial };
    if (!(next.failureRate >= 0 && next.failureRate <= 1)) throw new Error("fake LLM: failureRate must be in 0..1");
    for (const accuracy of [next.policyAccuracy.default, ...Object.values(next.policyAccuracy.byModel)]) {
      if (!(accuracy >= 0 && accuracy <= 1)) throw new Error("fake LLM: policyAccuracy must be in 0..1");
    }
    if (!isStyle(next.style)) throw new Error(`fake LLM: style must be one of ${FAKE_STYLES.join(", ")}`);
    for (const kind of next.failureKinds) {
      const d = parseBehaviour(kind);
      if (!d || d.type !== "transport" || d.count !== undefined) {
        throw new Error(`fake LLM: failureKinds entry "${kind}" is not one of <status>, hang, garbage, badjson`);
      }
    }
    if (!(next.latencyJitter >= 0 && next.latencyJitter <= 1)) throw new Error("fake LLM: latencyJitter must be within 0..1");
    if (next.prefixCache && !(next.prefixCache.blockTokens >= 1 && next.prefixCache.capacityBlocks >= 1)) {
      throw new Error("fake LLM: prefixCache needs blockTokens ≥ 1 and capacityBlocks ≥ 1 (or null for none)");
    }
    if (!prefixCache || next.prefixCache !== opts.prefixCache) prefixCache = next.prefixCache ? createPrefixCache(next.prefixCache) : null;
    opts = next;
  }
  setOptions(rest);

  function sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.writableEnded) return; // the client gave up (timeout) while we waited
    // With its length known, Node sends the head and the body in one write, not as chunked encoding's three parts.
    res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers });
    res.end(body);
  }

  function sendError(res: http.ServerResponse, status: number, message: string, extra: Record<string, string> = {}) {
    const { body, headers } = errorReply(status, message, extra);
    send(res, status, body, headers);
  }

  /** The Files and Batch API, or a 404. */
  async function batchRoute(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    batchApiCalls.push({ method: req.method ?? "GET", path: url.pathname, authorization: req.headers.authorization ?? null });
    if (batchApiCalls.length > opts.logLimit) batchApiCalls.splice(0, batchApiCalls.length - opts.logLimit);
    const body = await readBytes(req, MAX_FILE_BYTES);
    if (body === null) return sendError(res, 413, `fake LLM: request body over ${MAX_FILE_BYTES} bytes`);
    const answer = await batchApi.handle(req.method ?? "GET", url, body, req.headers["content-type"] ?? "");
    if (!answer) return sendError(res, 404, `fake LLM: no route ${req.method} ${url.pathname}`);
    if (!("hang" in answer)) send(res, answer.status, answer.body, answer.headers);
  }

  async function chatCompletion(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (raw === null) return sendError(res, 413, `fake LLM: request body over ${MAX_BODY_BYTES} bytes`);
    const answer = await answerChat(raw, { wait: true, gone: () => res.destroyed });
    if (!("hang" in answer)) send(res, answer.status, answer.body, answer.headers);
  }

  /**
   * The answer to one chat completion request body, as the live endpoint gives it (a batch's lines get the same).
   * `wait`: apply latencyMs and slow directives (a batch answers at its own pace, see batchDelayMs); `gone`: whether
   * the client has closed the connection meanwhile.
   */
  async function answerChat(raw: string, { wait, gone }: { wait: boolean; gone?: () => boolean }): Promise<ChatReply> {
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw);
    } catch {
      return errorReply(400, "fake LLM: the request body is not JSON");
    }
    if (!isRecord(body) || !Array.isArray(body.messages)) {
      return errorReply(400, "fake LLM: `messages` must be an array");
    }
    if (body.stream === true) {
      return errorReply(400, "fake LLM: streaming is not supported; send stream: false (or leave it out)");
    }

    const receivedAt = Date.now();
    const system = messagesText(body, ["system", "developer"]);
    const user = messagesText(body, ["user"]);
    const fromSystem = systemFacts(system);
    const task = fromSystem.task ?? detectTask(user);
    const promptId = fromSystem.promptId ?? detectPromptId(user);
    const bodyHash = digest("sha256", raw, "hex");
    const previous = seenBodies.get(bodyHash) ?? 0;
    seenBodies.set(bodyHash, previous + 1);

    // Directives: from the system and user content, then from the script.
    // A directive has no whitespace: none spans the line break between system and user texts.
    const written = [...fromSystem.directives, ...writtenDirectives(user)];
    const scripted = opts.script?.({ task, promptId, system, user, body, attempt: previous + 1 }) ?? [];
    const model = typeof body.model === "string" ? body.model : "";
    // A combined judge's prompt answers for several judges: a directive scoped to one of them applies to the request
    // (its transport, style), and a verdict or omission to that judge's part of the answer (combinedAnswer).
    const asked = combinedTasks(promptId, user);
    const allDirectives = [...written, ...(Array.isArray(scripted) ? scripted : [scripted])];
    const applied: string[] = [];
    const directives: Directive[] = [];
    for (const rawDirective of allDirectives) {
      const { behaviour } = inScope(rawDirective, promptId, model);
      const applies = [promptId, ...asked].some((id) => inScope(rawDirective, id, model).applies);
      const parsed = parseBehaviour(behaviour);
      if (!parsed) {
        return errorReply(
          400,
          `fake LLM: unknown directive [[fake:${rawDirective}]] (see the table at the top of lib/llm/fake-server.ts)`,
        );
      }
      if (!applies) continue;
      applied.push(rawDirective);
      directives.push(parsed);
    }

    const entry: FakeRequestLog = {
      seq: ++seq,
      receivedAt,
      task,
      promptId,
      model,
      directives: applied,
      attempt: previous + 1,
      bodyHash,
      outcome: "answer",
      status: 200,
      body,
    };
    requests.push(entry);
    if (requests.length > opts.logLimit) requests.splice(0, requests.length - opts.logLimit);
    const done = () => opts.onRequest?.(entry);

    const format = body.response_format?.type;
    if ((opts.refuseFormats as (string | undefined)[]).includes(format)) {
      // OpenAI's words for it; vLLM's and others' also name response_format, which is what clients look for.
      entry.outcome = "http 400";
      entry.status = 400;
      done();
      return errorReply(400, `Invalid parameter: 'response_format' of type '${format}' is not supported with this model.`);
    }

    // Which transport behaviour, if any: counted ones are consumed in order, an uncounted one applies for good.
    let transport: Transport | null = null;
    let offset = 0;
    for (const d of directives) {
      if (d.type !== "transport") continue;
      if (d.count === undefined || previous < offset + d.count) {
        transport = d.transport;
        break;
      }
      offset += d.count;
    }
    if (!transport && opts.failureRate > 0 && opts.failureKinds.length > 0) {
      const key = `${opts.seed}:${bodyHash}:${previous}`;
      if (hashFloat(key) < opts.failureRate) {
        const kind = opts.failureKinds[Math.floor(hashFloat(`${key}:kind`) * opts.failureKinds.length)];
        transport = (parseBehaviour(kind) as Extract<Directive, { type: "transport" }>).transport;
        entry.directives.push(`random:${kind}`);
      }
    }

    const slowMs = directives.reduce((sum, d) => sum + (d.type === "slow" ? d.ms : 0), 0);

    if (transport?.kind === "hang") {
      // Keep the socket open and never answer; close() or the client's timeout ends it.
      entry.outcome = "hang";
      entry.status = 0;
      done();
      return { hang: true };
    }

    if (wait) {
      const jitter = opts.latencyJitter * (2 * hashFloat(`${opts.seed}:${bodyHash}:${previous}:latency`) - 1);
      entry.waitedMs = Math.round(opts.latencyMs * (1 + jitter)) + slowMs;
      await sleep(entry.waitedMs);
      // A client that gave up (its timeout) gets nothing, and its prompt reaches no cache: a real server drops a
      // request whose client has gone. Answered late, it filled the prefix cache of whatever ran next.
      if (gone?.()) {
        entry.outcome = "client gone";
        entry.status = 0;
        done();
        return { hang: true };
      }
    }

    if (transport?.kind === "status") {
      entry.outcome = `http ${transport.status}`;
      entry.status = transport.status;
      done();
      const headers: Record<string, string> = transport.status === 429 ? { "retry-after": String(opts.retryAfterSeconds) } : {};
      return errorReply(transport.status, `fake LLM: scripted HTTP ${transport.status}`, headers);
    }
    if (transport?.kind === "badjson") {
      entry.outcome = "badjson";
      done();
      return reply(200, '{"id": "chatcmpl-fake", "object": "chat.completion", "choices": [{"index": 0, "message": {"content": "');
    }

    const style = directives.filter((d) => d.type === "style").at(-1)?.style ?? opts.style;
    // `n` answers to one request (OpenAI's and vLLM's `n`): a teacher's come one after another, as if asked n times.
    const wanted = Number.isInteger(body.n) && (body.n as number) > 1 ? Math.min(body.n as number, 16) : 1;
    const messages = Array.from({ length: wanted }, () => answerMessage());
    function answerMessage(): FakeMessage {
      if (transport?.kind === "garbage") {
        entry.outcome = "garbage";
        return { role: "assistant", content: GARBAGE, refusal: null };
      }
      if (task === "judge" || (task === null && (format === "json_object" || format === "json_schema"))) {
        if (asked.length > 0) return styledVerdict(style, combinedAnswer(user, promptId, asked, (task) => partDirectives(allDirectives, [promptId, task], model)));
        if (directives.some((d) => d.type === "omit")) return styledVerdict(style, "{}");
        const forced = directives.filter((d) => d.type === "verdict").at(-1);
        return styledVerdict(style, forced ? judgeAnswer(forced.verdict, promptId) : evidenceVerdict(user, promptId));
      }
      if (task === "teacher") {
        const key = sampleKey(user);
        const given = teacherAnswers.get(key) ?? 0;
        teacherAnswers.set(key, given + 1);
        const bad = directives.some((d) => d.type === "teacher-bad" || (d.type === "teacher-fixes-after" && given < d.n));
        let answer = teacherAnswer(user, promptId, bad);
        if (directives.some((d) => d.type === "teacher-malformed")) answer += `\n${FAKE_TRAILING_TEXT}`;
        return styledTeacher(style, answer);
      }
      if (task === "policy") {
        const model = typeof body.model === "string" ? body.model : "";
        const accuracy = directives.filter((d) => d.type === "policy-accuracy").at(-1)?.accuracy ?? opts.policyAccuracy.byModel[model] ?? opts.policyAccuracy.default;
        const query = queryOf(user).trim();
        const tools = toolsIn(user);
        const sample = typeof body.seed === "number" ? body.seed : 0;
        const truth = opts.policyKey.get(policyKeyOf(query, tools.map((t) => t.name))) ?? opts.policyKey.get(policyKeyOf(query, []));
        return styledTeacher(style, policyAnswer({ model, query, tools, truth, accuracy, sample }).text);
      }
      const content = `This is the fake LLM. Start the system prompt with "${TASK_MARKERS.judge}" or "${TASK_MARKERS.teacher}" to get a scripted answer.`;
      return { role: "assistant", content, refusal: null };
    }
    const prompt = chatTokenRuns(body.messages.map((m) => ({ role: String(m.role), content: contentText(m.content) })));
    const promptTokens = runsLength(prompt);
    const completionTokens = messages
      .flatMap((message) => [message.reasoning_content, message.content, ...(message.tool_calls ?? []).map((c) => c.function.arguments)])
      .reduce((sum, part) => sum + countTokens(part ?? ""), 0);
    entry.usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: prefixCache?.lookup(prompt) ?? 0 },
    };
    done();
    return reply(
      200,
      JSON.stringify({
        id: `chatcmpl-fake-${entry.seq}`,
        object: "chat.completion",
        created: Math.floor(receivedAt / 1000),
        model: entry.model || FAKE_MODELS[0],
        choices: messages.map((message, index) => ({ index, message, finish_reason: message.tool_calls ? "tool_calls" : "stop", logprobs: null })),
        usage: entry.usage,
      }),
    );
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const pathname = url.pathname;
    const route = `${req.method} ${pathname}`;
    let handled: Promise<void> | void;
    if (route === "GET /health" || route === "GET /") handled = send(res, 200, JSON.stringify({ ok: true }));
    else if (route === "GET /v1/models") {
      const data = FAKE_MODELS.map((id) => ({ id, object: "model", created: 0, owned_by: "funreason-fake" }));
      handled = send(res, 200, JSON.stringify({ object: "list", data }));
    } else if (route === "POST /v1/chat/completions") handled = chatCompletion(req, res);
    else handled = batchRoute(req, res, url);
    Promise.resolve(handled).catch((err: unknown) => sendError(res, 500, `fake LLM bug: ${String(err)}`));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(wantedPort, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    requests,
    batchApiCalls,
    setOptions,
    reset() {
      requests.length = 0;
      batchApiCalls.length = 0;
      seenBodies.clear();
      teacherAnswers.clear();
      batchApi.reset();
      prefixCache?.clear();
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Hanging requests and idle keep-alive sockets would otherwise keep close() waiting.
        server.closeAllConnections();
      });
    },
  };
}

/** The request body as text, or null when it is over the size limit. */
async function readBody(req: http.IncomingMessage): Promise<string | null> {
  return (await readBytes(req))?.toString("utf8") ?? null;
}

/** The request body, or null when it is over the size limit. */
async function readBytes(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------------------------------------------
// CLI: tsx lib/llm/fake-server.ts --port 4010 --latency 200

const USAGE = `usage: tsx lib/llm/fake-server.ts [--port 4010] [--host 127.0.0.1] [--latency <ms>] [--latency-jitter <0..1>]
       [--failure-rate <0..1>] [--failure-kinds 500,429] [--seed <n>] [--retry-after <s>]
       [--style ${FAKE_STYLES.join("|")}] [--refuse ${FAKE_REFUSABLE_FORMATS.join(",")}]
       [--policy-accuracy <0..1>[,<model>=<0..1>…]] [--policy-key <dir of BFCL files>]
       [--cache-block <tokens per block, 0 = no prefix cache>] [--batch-delay <ms>] [--verbose]`;

/** `0.7,policy-b=0.85`: the share for every model, then per model (each part optional). */
export function parsePolicyAccuracy(text: string): FakeLlmOptions["policyAccuracy"] {
  const out: FakeLlmOptions["policyAccuracy"] = { default: DEFAULT_OPTIONS.policyAccuracy.default, byModel: {} };
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const at = part.lastIndexOf("=");
    const share = Number(part.slice(at + 1));
    if (part.slice(at + 1).trim() === "" || !(share >= 0 && share <= 1)) throw new Error(`--policy-accuracy takes shares in 0..1 ("0.7" or "model=0.85"), got "${part}"`);
    if (at < 0) out.default = share;
    else out.byModel[part.slice(0, at)] = share;
  }
  return out;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      latency: { type: "string", default: "0" },
      "latency-jitter": { type: "string", default: "0" },
      "failure-rate": { type: "string", default: "0" },
      "failure-kinds": { type: "string", default: DEFAULT_OPTIONS.failureKinds.join(",") },
      seed: { type: "string", default: "1" },
      "retry-after": { type: "string", default: "1" },
      style: { type: "string", default: DEFAULT_OPTIONS.style },
      refuse: { type: "string", default: "" },
      "policy-accuracy": { type: "string", default: "" },
      "policy-key": { type: "string" },
      "batch-delay": { type: "string", default: "0" },
      "cache-block": { type: "string", default: String(DEFAULT_OPTIONS.prefixCache!.blockTokens) },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const number = (flag: string, text: string): number => {
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n) || n < 0) throw new Error(`--${flag} must be a number ≥ 0, got "${text}"`);
    return n;
  };
  if (!isStyle(values.style)) throw new Error(`--style must be one of ${FAKE_STYLES.join(", ")}, got "${values.style}"`);
  const refuseFormats = values.refuse.split(",").map((f) => f.trim()).filter(Boolean);
  const unknownFormat = refuseFormats.find((f) => !(FAKE_REFUSABLE_FORMATS as readonly string[]).includes(f));
  if (unknownFormat) throw new Error(`--refuse takes ${FAKE_REFUSABLE_FORMATS.join(", ")} (comma-separated), got "${unknownFormat}"`);
  const llm = await startFakeLlm({
    port: number("port", values.port),
    // Nobody reads the request log of a server in its own process (--verbose prints each request as it comes): kept,
    // it holds a thousand request bodies alive, which the garbage collector copies and promotes on every request.
    logLimit: 0,
    style: values.style,
    refuseFormats: refuseFormats as FakeRefusableFormat[],
    policyAccuracy: parsePolicyAccuracy(values["policy-accuracy"]),
    policyKey: values["policy-key"] ? await readPolicyKey(values["policy-key"]) : new Map(),
    host: values.host,
    latencyMs: number("latency", values.latency),
    latencyJitter: number("latency-jitter", values["latency-jitter"]),
    failureRate: number("failure-rate", values["failure-rate"]),
    failureKinds: values["failure-kinds"].split(",").map((k) => k.trim()).filter(Boolean),
    seed: number("seed", values.seed),
    retryAfterSeconds: number("retry-after", values["retry-after"]),
    batchDelayMs: number("batch-delay", values["batch-delay"]),
    prefixCache: number("cache-block", values["cache-block"]) > 0
      ? { ...DEFAULT_OPTIONS.prefixCache!, blockTokens: number("cache-block", values["cache-block"]) }
      : null,
    onRequest: values.verbose
      ? (e) => console.log(`#${e.seq} ${e.task ?? "-"} ${e.promptId ?? "-"} attempt ${e.attempt} → ${e.outcome}${e.directives.length ? ` [${e.directives.join(" ")}]` : ""}`)
      : undefined,
  });
  console.log(`fake LLM listening on ${llm.url}`);
  const stop = () => void llm.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(path.resolve(invokedPath)).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    console.error(USAGE);
    process.exit(2);
  });
}
