// The studio's LLM client: an OpenAI-compatible chat endpoint (OpenAI, vLLM, Ollama, LiteLLM, the fake server)
// used as a judge (JSON verdicts) or a teacher (free text). Transient failures never throw: they come back as
// `{ ok: false, kind }`, which the pipeline records as an `error` verdict, never a `fail` (pipeline.md).
//
// Why our own retry loop instead of the SDK's: the SDK's retries are invisible to the caller (we need the attempt
// count and the tokens of every attempt for the verdict record), its backoff (0.5 s → 8 s) is not configurable,
// and an unparseable answer must be retried with the same backoff and the same attempt budget anyway. So the SDK
// runs with maxRetries: 0 and this file retries 429 (honouring Retry-After / retry-after-ms), 408/409/5xx,
// timeouts, connection errors and unparseable answers, up to 1 + maxRetries attempts in all.
import "server-only";
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { REDIRECT_REFUSED } from "./config";
import { httpFetch } from "./http-fetch";
import { VERDICT_JSON_SCHEMA, parseJudgeAnswer, type JudgeAnswer } from "./judge-answer";

export interface LlmClientConfig {
  baseURL: string;
  /** Local servers (vLLM, Ollama, the fake) need none. */
  apiKey?: string;
  model: string;
  /** Per attempt, covering the whole answer (headers and body). Default 60 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** First backoff delay; doubles each retry, with jitter. Default 500 ms. */
  backoffMs?: number;
  /** Cap on the backoff delay. Default 8 s. */
  maxBackoffMs?: number;
  /** A Retry-After longer than this ends the retries at once (waiting minutes would stall a pipeline run). Default 60 s. */
  maxRetryAfterMs?: number;
}

/** A call's tokens as the server's `usage` says: `cached` is the part of `prompt` its prefix cache served. */
export interface TokenUsage {
  prompt: number;
  cached: number;
  completion: number;
}

export const NO_TOKENS: Readonly<TokenUsage> = { prompt: 0, cached: 0, completion: 0 };

/** `a` plus `b`, in place (a run's or a verdict's tokens over several calls). */
export function addTokens(a: TokenUsage, b: Partial<TokenUsage>): TokenUsage {
  a.prompt += b.prompt ?? 0;
  a.cached += b.cached ?? 0;
  a.completion += b.completion ?? 0;
  return a;
}

export const LLM_FAILURE_KINDS = [
  "timeout",
  "rate_limited",
  "server_error",
  "unparseable",
  "connection",
  /** A 4xx other than 408/409/429 (bad key, unknown model, bad request): not retried; likely a configuration error. */
  "rejected",
] as const;
export type LlmFailureKind = (typeof LLM_FAILURE_KINDS)[number];

export interface LlmFailure {
  ok: false;
  kind: LlmFailureKind;
  message: string;
  /** HTTP status of the last attempt, when there was one. */
  status?: number;
  /** The last answer's text, when the failure is an unparseable answer (evidence for the reviewer). */
  raw?: string;
  model: string;
  promptVersion: string;
  attempts: number;
  /** Summed over all attempts. */
  tokens: TokenUsage;
  /** Wall time over all attempts, waits included. */
  latencyMs: number;
}

export interface JudgeSuccess {
  ok: true;
  verdict: "pass" | "fail";
  reason: string;
  evidence: unknown;
  /** The judge's answer text exactly as received. */
  raw: string;
  /** The model that answered (as the server reports it). */
  model: string;
  promptVersion: string;
  tokens: TokenUsage;
  latencyMs: number;
  attempts: number;
}
export type JudgeResult = JudgeSuccess | LlmFailure;

export interface CompletionSuccess {
  ok: true;
  /** The answer, trimmed. */
  text: string;
  /** Every acceptable answer when several were asked for (`n`), in the server's order; `text` is the first. */
  texts: string[];
  raw: string;
  model: string;
  promptVersion: string;
  tokens: TokenUsage;
  latencyMs: number;
  attempts: number;
}
export type CompletionResult = CompletionSuccess | LlmFailure;

export interface JudgeRequest {
  system: string;
  user: string;
  /** e.g. "judge-values.v1": recorded with the verdict. */
  promptVersion: string;
  /** Overrides the client's model for this request (per-stage models). */
  model?: string;
  /** A judge's answer when it is not one verdict (the combined judge's, lib/pipeline/combined.ts); absent: one verdict. */
  answer?: JudgeAnswerFormat;
}

/** What a judge answers: its JSON schema (for structured outputs) and how its text is read into a verdict. */
export interface JudgeAnswerFormat {
  schema: { name: string; strict: boolean; schema: Record<string, unknown> };
  parse: AnswerParser<JudgeAnswer>;
}

export interface CompletionRequest extends JudgeRequest {
  /** Default 0: the pipeline wants reproducible answers. */
  temperature?: number;
  /** Sent as the request's `seed` (OpenAI, vLLM): several samples of one query at a temperature differ, reproducibly. */
  seed?: number;
  /** Says what is wrong with an answer (then it is retried as unparseable), or nothing when it is acceptable. */
  validate?: (text: string) => string | null | undefined;
  /**
   * Answers wanted from one request (the API's `n`; the prompt is paid once). Answers that fail `validate` are left
   * out; the request is retried only when none is acceptable. A server that ignores `n` gives fewer.
   */
  n?: number;
}

export interface LlmClient {
  judge(req: JudgeRequest): Promise<JudgeResult>;
  complete(req: CompletionRequest): Promise<CompletionResult>;
  /** How this client asks `model` (default: its own) for a judge's JSON, as found out so far (RESPONSE_FORMATS). */
  responseFormat(model?: string): ResponseFormatMode;
}

const DEFAULTS = {
  timeoutMs: 60_000,
  maxRetries: 3,
  backoffMs: 500,
  maxBackoffMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/** One attempt's outcome: the parsed answer, or a failure saying whether to try again. */
export type Attempt<T> =
  | { ok: true; value: T; values: T[]; raw: string; model: string; tokens: TokenUsage }
  | {
      ok: false;
      kind: LlmFailureKind;
      message: string;
      retryable: boolean;
      retryAfterMs?: number;
      status?: number;
      raw?: string;
      tokens: TokenUsage;
      /** The server refused the response_format asked for (a 400 saying so): ask again with a simpler one. */
      formatRefused?: boolean;
    };

/**
 * How a judge is asked for its JSON, best first: structured outputs (a schema the server holds the model to), JSON
 * mode, then plain text (the parser finds the object, lib/llm/judge-answer.ts). OpenAI and vLLM take the first;
 * some servers only the second or neither.
 */
export const RESPONSE_FORMATS = ["json_schema", "json_object", "text"] as const;
export type ResponseFormatMode = (typeof RESPONSE_FORMATS)[number];

/** How each format is named to people (the Settings page's connection test). */
export const RESPONSE_FORMAT_LABELS: Record<ResponseFormatMode, string> = {
  json_schema: "structured outputs (json_schema)",
  json_object: "JSON mode (json_object)",
  text: "plain text (the verdict read from the answer)",
};

/** What each server and model was found to accept: found out once per process, by the first refusal. */
const acceptedFormats = new Map<string, ResponseFormatMode>();

/** The verdict's shape for structured outputs; `strict: false` because each stage's evidence has its own shape. */
const VERDICT_SCHEMA = { name: "verdict", strict: false, schema: VERDICT_JSON_SCHEMA };

/** How a judge request's answer is read: its own format's reader, or one verdict's. */
export function judgeParser(req: JudgeRequest): AnswerParser<JudgeAnswer> {
  return req.answer?.parse ?? parseJudgeAnswer;
}

function responseFormat(mode: ResponseFormatMode | null, schema: JudgeAnswerFormat["schema"] = VERDICT_SCHEMA) {
  if (mode === "json_schema") return { response_format: { type: "json_schema" as const, json_schema: schema } };
  if (mode === "json_object") return { response_format: { type: "json_object" as const } };
  return {};
}

/** A 400 that names the response format: the server does not support the one asked for. */
const FORMAT_REFUSAL = /response_format|json_schema|json_object|structured output|guided/i;

export function createLlmClient(config: LlmClientConfig): LlmClient {
  const settings = { ...DEFAULTS, ...withoutUndefined(config) };
  const openai = new OpenAI({
    baseURL: config.baseURL,
    // The SDK refuses an empty key; local servers ignore whatever we send.
    apiKey: config.apiKey || "not-needed",
    maxRetries: 0,
    timeout: settings.timeoutMs,
    // Never follows a redirect (one could lead the prompts and the key anywhere): a 3xx fails the attempt.
    fetch: httpFetch,
  });

  async function attempt<T>(req: ChatRequest, format: ResponseFormatMode | null, parse: AnswerParser<T>): Promise<Attempt<T>> {
    const noTokens = { ...NO_TOKENS };
    // The SDK's timeout covers the whole answer: it runs until our fetch resolves, which is once the body is in.
    try {
      const body = chatRequestBody(req, config.model, format);
      // The body sent as our JSON's bytes (RequestOptions.body: the SDK sends bytes as they are).
      const completion: unknown = await openai.chat.completions.create(body, { body: chatRequestBytes(body), headers: JSON_CONTENT });
      return readCompletion(completion, parse, req.model ?? config.model);
    } catch (err) {
      if (err instanceof APIConnectionTimeoutError) {
        const message = `no answer within ${settings.timeoutMs} ms`;
        return { ok: false, kind: "timeout", message, retryable: true, tokens: noTokens };
      }
      if (err instanceof APIConnectionError) {
        const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
        const message = `cannot reach ${config.baseURL} (${err.message}${cause})`;
        return { ok: false, kind: "connection", message, retryable: true, tokens: noTokens };
      }
      if (err instanceof APIError && typeof err.status === "number") return statusFailure(err.status, err.message, err.headers, format);
      if (err instanceof SyntaxError) {
        // A 200 whose body is not JSON (the SDK's response.json() threw).
        const message = `the server's response is not valid JSON (${err.message})`;
        return { ok: false, kind: "unparseable", message, retryable: true, tokens: noTokens };
      }
      throw err; // anything else is a bug in our code, not a flaky server
    }
  }

  /** A judge's attempt in the best format the server is known to take, moving down the list when it refuses one. */
  async function judgeAttempt(req: JudgeRequest) {
    const key = formatKey(req.model);
    for (;;) {
      const format = acceptedFormats.get(key) ?? RESPONSE_FORMATS[0];
      const result = await attempt(req, format, judgeParser(req));
      if (result.ok || !result.formatRefused) return result;
      acceptedFormats.set(key, RESPONSE_FORMATS[RESPONSE_FORMATS.indexOf(format) + 1]);
    }
  }

  function formatKey(model: string | undefined): string {
    return `${config.baseURL} ${model ?? config.model}`;
  }

  async function run<T>(req: ChatRequest, once: () => Promise<Attempt<T>>) {
    const started = performance.now();
    const tokens = { ...NO_TOKENS };
    const maxAttempts = 1 + Math.max(0, Math.floor(settings.maxRetries));
    for (let n = 1; ; n++) {
      const result = await once();
      addTokens(tokens, result.tokens);
      let stop = result.ok || !result.retryable || n >= maxAttempts;
      let note = "";
      if (!result.ok && !stop && result.retryAfterMs !== undefined && result.retryAfterMs > settings.maxRetryAfterMs) {
        note = ` (the server asks to wait ${result.retryAfterMs} ms, over the ${settings.maxRetryAfterMs} ms allowed)`;
        stop = true;
      }
      if (stop) return settle(req, result, { attempts: n, tokens, latencyMs: elapsed(started), model: req.model ?? config.model, note });
      await sleep((result.ok ? undefined : result.retryAfterMs) ?? backoff(n, settings.backoffMs, settings.maxBackoffMs));
    }
  }

  return {
    async judge(req) {
      return toJudgeResult(await run(req, () => judgeAttempt(req)));
    },
    responseFormat(model) {
      return acceptedFormats.get(formatKey(model)) ?? RESPONSE_FORMATS[0];
    },
    async complete(req) {
      return toCompletionResult(await run(req, () => attempt(req, null, completionParser(req))));
    },
  };
}

/** What one request asks, whatever the client: the fields of the Chat Completions body. */
export type ChatRequest = JudgeRequest & { temperature?: number; seed?: number; n?: number };

/** Reads one answer's text: its value, or what is wrong with it (then it is retried as unparseable). */
export type AnswerParser<T> = (text: string) => { ok: true; value: T } | { ok: false; message: string };

/** A teacher's answer: the text, trimmed, unless the request's `validate` finds something wrong with it. */
export function completionParser(req: CompletionRequest): AnswerParser<string> {
  return (text) => {
    const problem = req.validate?.(text);
    return problem ? { ok: false, message: problem } : { ok: true, value: text.trim() };
  };
}

/** The Chat Completions body the client sends for a request (a batch run writes the same body into its file). */
export function chatRequestBody(req: ChatRequest, defaultModel: string, format: ResponseFormatMode | null) {
  return {
    model: req.model ?? defaultModel,
    temperature: req.temperature ?? 0,
    ...(req.seed === undefined ? {} : { seed: req.seed }),
    messages: [
      { role: "system" as const, content: req.system },
      { role: "user" as const, content: req.user },
    ],
    ...(req.n && req.n > 1 ? { n: req.n } : {}),
    ...responseFormat(format, req.answer?.schema),
  };
}

const JSON_CONTENT = { "content-type": "application/json" };

/**
 * A Chat Completions body as the UTF-8 bytes of its JSON, as JSON.stringify writes it but for the system text, built
 * from parts. Every request of a run repeats the same few kB of system text: its JSON bytes are made once per text,
 * in ASCII (characters beyond it as \u escapes, which every JSON reader reads back), because one character beyond
 * Latin-1 in it (the shared text has "…") makes the server read the whole body as a two-byte string, slower to parse.
 * Bytes, not a string: writing the body as a string and then converting it (as the SDK's fetch does with a string)
 * allocated it twice over, about a fifth of all the bytes the worker allocated in a run.
 */
export function chatRequestBytes(body: ReturnType<typeof chatRequestBody>): Buffer {
  const { messages, ...fields } = body;
  const head = JSON.stringify(fields); // never "{}": model and temperature are always there
  const parts: Buffer[] = [Buffer.from(`${head.slice(0, -1)},"messages":[`)];
  messages.forEach((m, i) => {
    const content = m.role === "system" ? systemJsonBytes(m.content) : Buffer.from(JSON.stringify(m.content));
    parts.push(Buffer.from(`${i > 0 ? "," : ""}{"role":"${m.role}","content":`), content, CLOSE_OBJECT);
  });
  parts.push(CLOSE_BODY);
  return Buffer.concat(parts);
}

const CLOSE_OBJECT = Buffer.from("}");
const CLOSE_BODY = Buffer.from("]}");

/** The system texts' JSON, in ASCII, by text: a run uses a few (the v2 prompts one for all); emptied if it ever holds many. */
const systemJsonByText = new Map<string, Buffer>();

function systemJsonBytes(text: string): Buffer {
  let json = systemJsonByText.get(text);
  if (json === undefined) {
    if (systemJsonByText.size >= 64) systemJsonByText.clear();
    json = Buffer.from(JSON.stringify(text).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
    systemJsonByText.set(text, json);
  }
  return json;
}

/** A 200's body read as one attempt (live or from a batch's output file): the parsed answer, or unparseable. */
export function readCompletion<T>(completion: unknown, parse: AnswerParser<T>, requestedModel: string): Attempt<T> {
  // A server that answers 200 with a non-JSON content type makes the SDK return a string.
  const body = completion as Partial<OpenAI.Chat.Completions.ChatCompletion>;
  const usage = typeof completion === "object" && completion !== null ? body.usage : undefined;
  // OpenAI and vLLM report the cached part of the prompt in prompt_tokens_details (absent: nothing cached).
  const tokens = {
    prompt: usage?.prompt_tokens ?? 0,
    cached: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    completion: usage?.completion_tokens ?? 0,
  };
  const choices = Array.isArray(body?.choices) && body.choices.length > 0 ? body.choices : [undefined];
  // Each answer read on its own; the first problem stands for all when none is acceptable.
  const read = choices.map((choice) => readChoice(choice, parse));
  const values = read.flatMap((r) => (r.ok ? [r.value] : []));
  const first = read.find((r) => r.ok) ?? read[0];
  if (!first.ok) return { ok: false, kind: "unparseable", message: first.message, retryable: true, ...(first.raw !== undefined ? { raw: first.raw } : {}), tokens };
  const model = typeof body.model === "string" && body.model ? body.model : requestedModel;
  return { ok: true, value: first.value, values, raw: first.raw, model, tokens };
}

/** An HTTP error status as one failed attempt (live or from a batch's error file): its kind, and whether to retry. */
export function statusFailure(status: number, message: string, headers: Headers | undefined, format: ResponseFormatMode | null): Attempt<never> {
  const base = { ok: false as const, status, message: `HTTP ${message}`, tokens: { ...NO_TOKENS } };
  if (status === 429) return { ...base, kind: "rate_limited", retryable: true, retryAfterMs: retryAfterMs(headers) };
  if (status >= 300 && status < 400) return { ...base, message: `HTTP ${status}: ${REDIRECT_REFUSED}`, kind: "rejected", retryable: false };
  if ((status === 400 || status === 422) && format !== null && format !== "text" && FORMAT_REFUSAL.test(message)) {
    return { ...base, kind: "rejected", retryable: false, formatRefused: true };
  }
  if (status === 408) return { ...base, kind: "timeout", retryable: true };
  if (status === 409 || status >= 500) return { ...base, kind: "server_error", retryable: true, retryAfterMs: retryAfterMs(headers) };
  return { ...base, kind: "rejected", retryable: false };
}

type Settled<T> =
  | { ok: true; value: T; values: T[]; raw: string; model: string; promptVersion: string; attempts: number; tokens: TokenUsage; latencyMs: number }
  | LlmFailure;

/** A request's last attempt as its result (live, or a batch run's stored answer): `note` adds why it stopped there. */
export function settle<T>(
  req: ChatRequest,
  result: Attempt<T>,
  run: { attempts: number; tokens: TokenUsage; latencyMs: number; model: string; note?: string },
): Settled<T> {
  const common = { promptVersion: req.promptVersion, attempts: run.attempts, tokens: run.tokens, latencyMs: run.latencyMs };
  if (result.ok) {
    const { value, values, raw, model } = result;
    return { ...common, ok: true, value, values, raw, model };
  }
  const message = result.message + (run.note ?? "");
  const failure: LlmFailure = {
    ...common,
    ok: false,
    kind: result.kind,
    message: run.attempts > 1 ? `${message} (after ${run.attempts} attempts)` : message,
    model: run.model,
  };
  if (result.status !== undefined) failure.status = result.status;
  if (result.raw !== undefined) failure.raw = result.raw;
  return failure;
}

export function toJudgeResult(result: Settled<JudgeAnswer>): JudgeResult {
  if (!result.ok) return result;
  const { value, values: _values, ...rest } = result;
  return { ...rest, verdict: value.verdict, reason: value.reason, evidence: value.evidence };
}

export function toCompletionResult(result: Settled<string>): CompletionResult {
  if (!result.ok) return result;
  const { value, values, ...rest } = result;
  return { ...rest, text: value, texts: values };
}

type ChoiceRead<T> = { ok: true; value: T; raw: string } | { ok: false; message: string; raw?: string };

/** One choice of an answer: its text, unless it has none, was cut off, or does not parse. */
function readChoice<T>(choice: Partial<OpenAI.Chat.Completions.ChatCompletion.Choice> | undefined, parse: AnswerParser<T>): ChoiceRead<T> {
  const content = answerText(choice?.message);
  if (content === null) return { ok: false, message: "the answer has no text content" };
  if (choice?.finish_reason === "length") return { ok: false, message: "the answer was cut off at the token limit", raw: content };
  const parsed = parse(content);
  return parsed.ok ? { ok: true, value: parsed.value, raw: content } : { ok: false, message: parsed.message, raw: content };
}

/** A message with the reasoning fields reasoning servers add (vLLM and DeepSeek: reasoning_content; others: reasoning). */
type ReasoningMessage = Partial<OpenAI.Chat.Completions.ChatCompletionMessage> & { reasoning_content?: unknown; reasoning?: unknown };

/**
 * The text of an answer as the parsers read it. A server that does not support response_format may answer with a
 * tool call: its arguments are the answer. A reasoning model's separate reasoning comes first, as the `<think>` block
 * it would otherwise have written (the teacher's CoT; a judge's parser skips it), unless the content has one.
 */
export function answerText(message: ReasoningMessage | undefined): string | null {
  let content = typeof message?.content === "string" ? message.content : "";
  const call = message?.tool_calls?.find((c) => c.type === "function");
  if (!content.trim() && call && call.type === "function") content = call.function.arguments;
  const reasoning = [message?.reasoning_content, message?.reasoning].find((r): r is string => typeof r === "string" && r.trim() !== "");
  if (!content.trim()) return null;
  return reasoning && !/<think>/i.test(content) ? `<think>${reasoning.trim()}</think>\n\n${content.trimStart()}` : content;
}

/** Retry-After as ms: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Exponential backoff with up to 25 % jitter, so parallel workers do not retry in lockstep. */
function backoff(failedAttempt: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** (failedAttempt - 1), maxMs) * (1 - Math.random() * 0.25);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
