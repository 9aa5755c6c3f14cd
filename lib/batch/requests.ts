// The pure pieces of a batch run (issue 15 §4; the design note is in lib/batch/pass.ts): a request's Chat Completions
// body and custom_id, the Batch JSONL input file, and the output and error files read back per custom_id.
import { createHash } from "node:crypto";
import { PROMPT_LINE_PREFIX } from "@/lib/llm/markers";
import { COMBINED_STAGE_IDS } from "@/lib/pipeline/judge-modes";
import { STAGE_REGISTRY, type StageId } from "@/lib/pipeline/stage-registry";
import { NO_TOKENS, chatRequestBody, readCompletion, statusFailure, type AnswerParser, type Attempt, type ChatRequest, type ResponseFormatMode } from "@/lib/llm/client";

/** The only endpoint a batch run uses. */
export const BATCH_ENDPOINT = "/v1/chat/completions";

export interface BatchRequest {
  /** A hash of the body: the same request (same sample, stage, prompt, model) has the same id in every pass. */
  customId: string;
  body: ReturnType<typeof chatRequestBody>;
  /** The prompt that asks it (not sent): says which stage the answer is for (requestStage). */
  promptVersion?: string;
  /** The sample whose walk asked it (not sent). */
  sampleId?: number;
  /** Where it goes (not sent): unset, the judge's endpoint; else the base URL of the panel member that asks it. */
  endpoint?: string;
}

/**
 * The body the live client would send for this request, and its custom_id: the body's hash, and the endpoint's
 * when it goes to a panel member's (the same body at two endpoints is two requests).
 */
export function batchRequest(req: ChatRequest, defaultModel: string, format: ResponseFormatMode | null, endpoint?: string): BatchRequest {
  const body = chatRequestBody(req, defaultModel, format);
  const hash = createHash("sha256").update(JSON.stringify(body));
  if (endpoint) hash.update(`\n${endpoint}`);
  return { customId: `req-${hash.digest("hex")}`, body, promptVersion: req.promptVersion, ...(endpoint ? { endpoint } : {}) };
}

/** One line of the Batch API's input file: `{custom_id, method, url, body}`. */
export const inputLine = (r: Pick<BatchRequest, "customId" | "body">) => `${JSON.stringify({ custom_id: r.customId, method: "POST", url: BATCH_ENDPOINT, body: r.body })}\n`;

/** The Batch API's input file: one `{custom_id, method, url, body}` per line. */
export function toJsonl(requests: readonly BatchRequest[]): string {
  return requests.map(inputLine).join("");
}

/** What OpenAI takes in one batch: 50,000 requests, a file of 200 MB (a margin kept). */
export const BATCH_LIMITS = { requests: 50_000, bytes: 190 * 1024 * 1024 };

/**
 * Whether a line of `lineBytes` goes in an input file that holds `file` so far, within the limits. A file's first
 * line always goes (a line larger than the limit goes alone: the Batch API says what is wrong with it).
 */
export function fitsInFile(file: { requests: number; bytes: number }, lineBytes: number, limits = BATCH_LIMITS): boolean {
  return file.requests === 0 || (file.requests < limits.requests && file.bytes + lineBytes <= limits.bytes);
}

/** What the server did with one request: an HTTP answer (status and body), or an error instead of one. */
export type BatchAnswer = { status: number; body: unknown } | { error: { code: string; message: string } };

/** A line of a batch's output or error file that is not a result: its 1-based number in its file, and why. */
export interface MalformedLine {
  line: number;
  message: string;
}

/** A downloaded file's lines as they come in (its body streamed, never held whole: an output file may be GBs). */
export async function* linesOf(file: Response): AsyncGenerator<string> {
  if (!file.body) return;
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of file.body) {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
    rest = lines.pop()!;
    yield* lines;
  }
  rest += decoder.decode();
  if (rest !== "") yield rest;
}

/**
 * Reads an output or error file (vLLM's run-batch writes the same lines) line by line: every `{custom_id, response,
 * error}` line by custom_id, handed to `apply` `pageSize` at a time. A malformed line names no request we can trust,
 * so it is returned by number, and the requests it held count as missing (retried in the next pass).
 */
export async function readBatchResults(lines: AsyncIterable<string>, apply: (answers: Map<string, BatchAnswer>) => Promise<void>, pageSize = 1000): Promise<MalformedLine[]> {
  const malformed: MalformedLine[] = [];
  let page = new Map<string, BatchAnswer>();
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === "") continue;
    const read = readResultLine(line);
    if ("problem" in read) malformed.push({ line: number, message: read.problem });
    else page.set(read.customId, read.answer);
    if (page.size >= pageSize) {
      await apply(page);
      page = new Map();
    }
  }
  if (page.size > 0) await apply(page);
  return malformed;
}

/**
 * One line of an output or error file, or what is wrong with it (naming the field). OpenAI writes `{id, custom_id,
 * response: {status_code, request_id, body}, error}`, the error (`{code, message}`) only for a request never run;
 * `vllm run-batch` writes a request that failed with `response.body` null and the error beside it (a message, or an
 * error object): read as that status with the error's message, as a live error answer reads.
 */
export function readResultLine(line: string): { customId: string; answer: BatchAnswer } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    return { problem: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!isRecord(parsed)) return { problem: "not a JSON object" };
  if (typeof parsed.custom_id !== "string" || parsed.custom_id === "") return { problem: "custom_id: missing (the request's id, a string)" };
  const { custom_id: customId, response, error } = parsed;
  if (isRecord(response)) {
    if (typeof response.status_code !== "number") return { problem: "response.status_code: must be a number" };
    if (response.body == null && error != null) return { customId, answer: { status: response.status_code, body: { error: { message: errorMessage(error) } } } };
    if (!isRecord(response.body)) return { problem: "response.body: must be an object (the chat completion)" };
    return { customId, answer: { status: response.status_code, body: response.body } };
  }
  if (isRecord(error)) return { customId, answer: { error: { code: String(error.code ?? "error"), message: String(error.message ?? "the batch gave no answer") } } };
  return { problem: "response: missing (a result line has a response with status_code and body, or an error)" };
}

/** An error's message as vLLM writes it: the message itself, or an error object ({error: {message}} or {message}). */
function errorMessage(error: unknown): string {
  if (typeof error === "string") return error;
  const inner = isRecord(error) && isRecord(error.error) ? error.error : error;
  return isRecord(inner) && typeof inner.message === "string" ? inner.message : JSON.stringify(error);
}

/** The answer missing from a finished batch's files, and a malformed line's: retried like a server error. */
export const MISSING_ANSWER: BatchAnswer = { error: { code: "missing", message: "the batch's output has no (readable) answer for this request" } };

/** One request's batch answer as one attempt, read exactly as the live client reads a live answer. */
export function attemptFromAnswer<T>(answer: BatchAnswer, parse: AnswerParser<T>, model: string, format: ResponseFormatMode | null): Attempt<T> {
  if ("error" in answer) {
    const kind = answer.error.code === "request_timeout" ? "timeout" : "server_error";
    return { ok: false, kind, message: `batch: ${answer.error.message} (${answer.error.code})`, retryable: true, tokens: { ...NO_TOKENS } };
  }
  if (answer.status >= 200 && answer.status < 300) return readCompletion(answer.body, parse, model);
  const error = isRecord(answer.body) && isRecord(answer.body.error) ? answer.body.error : {};
  const message = typeof error.message === "string" ? error.message : "no message";
  return statusFailure(answer.status, `${answer.status} ${message}`, undefined, format);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A prompt version without its version: "judge-values.v2" → "judge-values". */
const promptId = (promptVersion: string) => promptVersion.replace(/\.v\d+$/, "");

/**
 * The prompts no stage names, and the stage that waits for their answer (from the registry, so a new stage moves
 * them along): a CoT is written before the first judge that votes (stage 1's judge sorts calls from text), a
 * regenerated answer is judged again from the first judged stage that checks the answer, the combined judge answers
 * for its first stage and the others at once.
 */
const OTHER_PROMPT_STAGES: Record<string, StageId | undefined> = {
  "judge-combined": COMBINED_STAGE_IDS[0],
  "teacher-cot": STAGE_REGISTRY.find((s) => s.judges.length > 0 && s.onFail !== "save-as-text")?.id,
  "regenerate-answer": STAGE_REGISTRY.find((s) => s.judges.length > 0 && s.checksAnswer)?.id,
};

/**
 * The prompt version a request's body names (lib/llm/markers.ts): a v1 prompt's `prompt: <id>.v<n>` line is in its
 * system text, a v2 prompt's is the last such line of the user text (after the sample, which may hold anything).
 */
export function promptVersionOf(body: BatchRequest["body"]): string | undefined {
  const [system, user] = body.messages;
  const lastLine = (text: string) => [...text.matchAll(PROMPT_VERSION_LINE)].at(-1)?.[1];
  return lastLine(system.content) ?? lastLine(user.content);
}

const PROMPT_VERSION_LINE = new RegExp(`^[^\\S\\n]*${PROMPT_LINE_PREFIX}([\\w-]+\\.v\\d+)[^\\S\\n]*$`, "gm");

/**
 * The stage a request's answer is for (what `studio batch export --stage` picks): a judge's request its stage's, the
 * teacher's and the combined judge's the stage that waits for it; null for any other prompt.
 */
export function requestStage(promptVersion: string | undefined): StageId | null {
  if (!promptVersion) return null;
  const id = promptId(promptVersion);
  return STAGE_REGISTRY.find((s) => s.judges.some((j) => promptId(j) === id))?.id ?? OTHER_PROMPT_STAGES[id] ?? null;
}
