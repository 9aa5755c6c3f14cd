// The fake LLM's OpenAI Files and Batch API (issue 15 §4), as OpenAI documents it:
//   POST /v1/files (multipart: file, purpose=batch)   GET /v1/files?after=&limit=&order=&purpose=   GET /v1/files/:id
//   GET /v1/files/:id/content   DELETE /v1/files/:id
//   POST /v1/batches {input_file_id, endpoint, completion_window, metadata?}   GET /v1/batches/:id
//   POST /v1/batches/:id/cancel   GET /v1/batches?after=&limit= (newest first, a page of 1–100, 20 by default)
// A batch goes validating → in_progress → completed (or failed: an input file that does not validate, e.g. one
// with requests to more than one model; expired; cancelled). Each line is answered exactly as POST
// /v1/chat/completions answers that body (the same answer code, so directives, per-body attempt counts and failures
// work the same); the batch finishes `batchDelayMs` after it was created. Output file: the 2xx answers; error file: the other answers (status_code + body) and the requests
// never run (`error.code` batch_expired / batch_cancelled). Lines carry the answer's body text as it was written,
// so [[fake:badjson]] makes a malformed output line, as a truncated download would.
import { randomInt } from "node:crypto";
import { errorReply, reply, type ChatReply, type HttpReply } from "./fake-http";

/** What goes wrong with one batch (FakeLlmOptions.batchFaults, taken by batches in the order they are created). */
export interface FakeBatchFault {
  /** The completion window runs out after this many requests were answered: the batch ends `expired`. */
  expireAfter?: number;
  /** These lines (1-based) of the output file are written cut off in the middle, so they do not parse. */
  malformedLines?: number[];
  /**
   * These successful answers (1-based, in input order) are left out of the output file although the batch
   * completes and counts them: a partial output, as a cut-off download or a server that lost lines gives.
   */
  missingAnswers?: number[];
  /** The batch is created and runs, but the request that created it is never answered (as when its client dies). */
  createUnanswered?: boolean;
  /**
   * Requests deleting this batch's files (input, output, error) are taken and never answered, and the file stays
   * (as when the client dies meanwhile), while the fault is in batchFaults: setting other faults lifts it.
   */
  deletesUnanswered?: boolean;
}

export interface FakeBatchOptions {
  /** From a batch's creation to its end, in ms. */
  batchDelayMs: number;
  batchFaults: FakeBatchFault[];
}

interface FakeFile {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: "processed";
  status_details: null;
  expires_at: null;
}

const TERMINAL = ["failed", "completed", "expired", "cancelled"];

interface FakeBatch {
  id: string;
  object: "batch";
  endpoint: string;
  errors: { object: "list"; data: { code: string; message: string; param: string | null; line: number | null }[] } | null;
  input_file_id: string;
  completion_window: string;
  status: "validating" | "failed" | "in_progress" | "finalizing" | "completed" | "expired" | "cancelling" | "cancelled";
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

interface InputLine {
  custom_id: string;
  body: unknown;
}

export interface FakeBatchApi {
  /** The answer to a Files or Batch API request, or null when the path is not one of theirs. */
  handle(method: string, url: URL, body: Buffer, contentType: string): Promise<ChatReply | null>;
  reset(): void;
}

export function createFakeBatchApi(deps: {
  /** How the chat completions endpoint answers this request body (without its latency). */
  answer: (raw: string) => Promise<ChatReply>;
  options: () => FakeBatchOptions;
  /** A wait the server cancels on close(). */
  sleep: (ms: number) => Promise<void>;
}): FakeBatchApi {
  const files = new Map<string, { meta: FakeFile; content: string }>();
  const batches = new Map<string, FakeBatch>();
  // Each batch's place in creation order: its fault is batchFaults[place].
  const places = new Map<string, number>();
  // Ids unique across fake servers, as a real server's are: a run whose batch was at another server (one stopped
  // since) then asks this one about ids it never gave, instead of ids it gave to another run's files.
  let ids = randomInt(1, 1_000_000) * 1_000_000;
  let created = 0;
  // Bumped by reset(): a batch still running from before it ends without writing files into the new state.
  let generation = 0;
  const now = () => Math.floor(Date.now() / 1000);

  function addFile(filename: string, purpose: string, content: string): FakeFile {
    const meta: FakeFile = {
      id: `file-fake-${++ids}`,
      object: "file",
      bytes: Buffer.byteLength(content),
      created_at: now(),
      filename,
      purpose,
      status: "processed",
      status_details: null,
      expires_at: null,
    };
    files.set(meta.id, { meta, content });
    return meta;
  }

  async function uploadFile(body: Buffer, contentType: string): Promise<HttpReply> {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
    } catch {
      return errorReply(400, "fake LLM: POST /v1/files takes multipart/form-data with `file` and `purpose`");
    }
    const file = form.get("file");
    const purpose = form.get("purpose");
    if (!(file instanceof Blob)) return errorReply(400, "fake LLM: `file` is missing", {}, "file");
    if (purpose !== "batch") return errorReply(400, `fake LLM: \`purpose\` must be "batch", got ${JSON.stringify(purpose)}`, {}, "purpose");
    const filename = "name" in file && typeof file.name === "string" ? file.name : "upload.jsonl";
    return json(addFile(filename, purpose, await file.text()));
  }

  function createBatch(body: Buffer): ChatReply {
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(body.toString("utf8"));
    } catch {
      return errorReply(400, "fake LLM: the request body is not JSON");
    }
    const input = typeof params.input_file_id === "string" ? files.get(params.input_file_id) : undefined;
    if (!input) return errorReply(400, `fake LLM: no file ${JSON.stringify(params.input_file_id)}`, {}, "input_file_id");
    if (params.endpoint !== "/v1/chat/completions") {
      return errorReply(400, `fake LLM: endpoint must be "/v1/chat/completions", got ${JSON.stringify(params.endpoint)}`, {}, "endpoint");
    }
    if (params.completion_window !== "24h") return errorReply(400, 'fake LLM: completion_window must be "24h"', {}, "completion_window");
    const metadataProblem = checkMetadata(params.metadata);
    if (metadataProblem) return errorReply(400, `fake LLM: metadata ${metadataProblem}`, {}, "metadata");
    const at = now();
    const batch: FakeBatch = {
      id: `batch_fake_${++ids}`,
      object: "batch",
      endpoint: params.endpoint,
      errors: null,
      input_file_id: input.meta.id,
      completion_window: "24h",
      status: "validating",
      output_file_id: null,
      error_file_id: null,
      created_at: at,
      in_progress_at: null,
      expires_at: at + 24 * 3600,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: (params.metadata as Record<string, string> | undefined) ?? null,
    };
    batches.set(batch.id, batch);
    places.set(batch.id, created);
    const fault = deps.options().batchFaults[created++] ?? {};
    void run(batch, input.content, fault);
    return fault.createUnanswered ? { hang: true } : json(batch);
  }

  async function run(batch: FakeBatch, content: string, fault: FakeBatchFault): Promise<void> {
    const started = Date.now();
    const born = generation;
    await deps.sleep(0);
    const lines = readInput(content);
    if ("errors" in lines) {
      Object.assign(batch, { status: "failed", failed_at: now(), errors: { object: "list", data: lines.errors } });
      return;
    }
    Object.assign(batch, { status: "in_progress", in_progress_at: now() });
    batch.request_counts.total = lines.length;
    const output: string[] = [];
    const errors: string[] = [];
    let answered = 0;
    let succeeded = 0;
    for (const line of lines) {
      if (batch.status === "cancelling" || (fault.expireAfter !== undefined && answered >= fault.expireAfter)) {
        const [code, message] =
          batch.status === "cancelling"
            ? ["batch_cancelled", "This request was not executed because the batch was cancelled."]
            : ["batch_expired", "This request could not be executed before the completion window expired."];
        errors.push(resultLine(line.custom_id, null, { code, message }));
        batch.request_counts.failed++;
        continue;
      }
      answered++;
      const reply = await deps.answer(JSON.stringify(line.body));
      if ("hang" in reply) {
        errors.push(resultLine(line.custom_id, null, { code: "request_timeout", message: "The request timed out." }));
        batch.request_counts.failed++;
      } else if (reply.status >= 200 && reply.status < 300) {
        batch.request_counts.completed++;
        if (fault.missingAnswers?.includes(++succeeded)) continue;
        const text = resultLine(line.custom_id, reply, null);
        output.push(fault.malformedLines?.includes(output.length + 1) ? text.slice(0, Math.floor(text.length / 2)) : text);
      } else {
        errors.push(resultLine(line.custom_id, reply, null));
        batch.request_counts.failed++;
      }
    }
    await deps.sleep(Math.max(0, started + deps.options().batchDelayMs - Date.now()));
    if (born !== generation) return;
    const end = (batch.status as FakeBatch["status"]) === "cancelling" ? "cancelled" : fault.expireAfter !== undefined && answered < lines.length ? "expired" : "completed";
    Object.assign(batch, {
      status: end,
      [`${end}_at`]: now(),
      finalizing_at: now(),
      output_file_id: output.length > 0 ? addFile(`${batch.id}_output.jsonl`, "batch_output", jsonl(output)).id : null,
      error_file_id: errors.length > 0 ? addFile(`${batch.id}_error.jsonl`, "batch_output", jsonl(errors)).id : null,
    });
  }

  /** A page of the files (newest first unless order=asc, of one purpose if given): those after the file `after` names. */
  function listFiles(query: URLSearchParams): HttpReply {
    const limit = Number(query.get("limit") ?? 10_000);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) return errorReply(400, "fake LLM: limit must be a whole number from 1 to 10000", {}, "limit");
    const order = query.get("order") ?? "desc";
    if (order !== "asc" && order !== "desc") return errorReply(400, 'fake LLM: order must be "asc" or "desc"', {}, "order");
    const purpose = query.get("purpose");
    const all = [...files.values()].map((f) => f.meta).filter((f) => purpose === null || f.purpose === purpose);
    return page(order === "asc" ? all : all.reverse(), query.get("after"), limit, "file");
  }

  /** A page of the batches, newest first: those after the batch `after` names (from the newest when unset). */
  function listBatches(query: URLSearchParams): HttpReply {
    const limit = Number(query.get("limit") ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return errorReply(400, "fake LLM: limit must be a whole number from 1 to 100", {}, "limit");
    return page([...batches.values()].reverse(), query.get("after"), limit, "batch");
  }

  /** Whether a request deleting the file `fileId` goes unanswered (its batch's deletesUnanswered fault). */
  function deleteUnanswered(fileId: string): boolean {
    const batch = [...batches.values()].find((b) => [b.input_file_id, b.output_file_id, b.error_file_id].includes(fileId));
    return batch !== undefined && deps.options().batchFaults[places.get(batch.id)!]?.deletesUnanswered === true;
  }

  function resultLine(customId: string, reply: HttpReply | null, error: { code: string; message: string } | null): string {
    const id = ++ids;
    // The body goes in as written (not re-serialised): a malformed answer makes a malformed line.
    const response = reply ? `{"status_code":${reply.status},"request_id":"req_fake_${id}","body":${reply.body}}` : "null";
    return `{"id":"batch_req_fake_${id}","custom_id":${JSON.stringify(customId)},"response":${response},"error":${JSON.stringify(error)}}`;
  }

  return {
    async handle(method, url, body, contentType) {
      const parts = url.pathname.split("/").filter(Boolean); // ["v1", "files" | "batches", id?, action?]
      if (parts[0] !== "v1" || (parts[1] !== "files" && parts[1] !== "batches")) return null;
      const [, kind, id, action] = parts;
      const route = `${method} ${kind}${id === undefined ? "" : "/:id"}${action === undefined ? "" : `/${action}`}`;
      if (route === "POST files") return uploadFile(body, contentType);
      if (route === "POST batches") return createBatch(body);
      if (route === "GET batches") return listBatches(url.searchParams);
      if (route === "GET files") return listFiles(url.searchParams);
      if (kind === "files" && id !== undefined) {
        const file = files.get(id);
        if (!file) return errorReply(404, `fake LLM: no file ${id}`);
        if (route === "GET files/:id") return json(file.meta);
        if (route === "GET files/:id/content") return reply(200, file.content, { "content-type": "application/octet-stream" });
        if (route === "DELETE files/:id") {
          if (deleteUnanswered(id)) return { hang: true };
          files.delete(id);
          return json({ id, object: "file", deleted: true });
        }
      }
      if (kind === "batches" && id !== undefined) {
        const batch = batches.get(id);
        if (!batch) return errorReply(404, `fake LLM: no batch ${id}`);
        if (route === "GET batches/:id") return json(batch);
        if (route === "POST batches/:id/cancel") {
          if (!TERMINAL.includes(batch.status)) Object.assign(batch, { status: "cancelling", cancelling_at: now() });
          return json(batch);
        }
      }
      return errorReply(404, `fake LLM: no route ${method} ${url.pathname}`);
    },
    reset() {
      files.clear();
      batches.clear();
      places.clear();
      created = 0;
      generation++;
    },
  };
}

/** What is wrong with a batch's metadata as OpenAI takes it (up to 16 pairs, keys ≤ 64 and values ≤ 512 characters), or null. */
function checkMetadata(metadata: unknown): string | null {
  if (metadata === undefined || metadata === null) return null;
  if (typeof metadata !== "object" || Array.isArray(metadata)) return "must be an object of strings";
  const entries = Object.entries(metadata);
  if (entries.length > 16) return "takes at most 16 key-value pairs";
  for (const [key, value] of entries) {
    if (key.length > 64) return `key ${JSON.stringify(key.slice(0, 20))}… is over 64 characters`;
    if (typeof value !== "string") return `value of ${JSON.stringify(key)} must be a string`;
    if (value.length > 512) return `value of ${JSON.stringify(key)} is over 512 characters`;
  }
  return null;
}

/** The input file's requests, or why the batch fails validation (OpenAI's `errors.data`, by line). */
function readInput(content: string): InputLine[] | { errors: NonNullable<FakeBatch["errors"]>["data"] } {
  const lines: InputLine[] = [];
  const errors: NonNullable<FakeBatch["errors"]>["data"] = [];
  const lineNumbers: number[] = [];
  const seen = new Set<string>();
  content.split("\n").forEach((text, index) => {
    if (text.trim() === "") return;
    const line = index + 1;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text);
    } catch {
      errors.push({ code: "invalid_json_line", message: "This line is not parseable as valid JSON.", param: null, line });
      return;
    }
    if (typeof parsed.custom_id !== "string") errors.push({ code: "missing_required_parameter", message: "custom_id is missing", param: "custom_id", line });
    else if (seen.has(parsed.custom_id)) errors.push({ code: "duplicate_custom_id", message: "The custom_id for this request is a duplicate of another request.", param: "custom_id", line });
    else if (parsed.method !== "POST") errors.push({ code: "invalid_method", message: "method must be POST", param: "method", line });
    else if (parsed.url !== "/v1/chat/completions") errors.push({ code: "invalid_url", message: "url must match the batch's endpoint", param: "url", line });
    else if (typeof parsed.body !== "object" || parsed.body === null) errors.push({ code: "missing_required_parameter", message: "body is missing", param: "body", line });
    else {
      seen.add(parsed.custom_id);
      lines.push({ custom_id: parsed.custom_id, body: parsed.body });
      lineNumbers.push(line);
    }
  });
  if (lines.length === 0 && errors.length === 0) errors.push({ code: "empty_file", message: "The input file has no requests.", param: null, line: null });
  // OpenAI's guide: "each input file can only include requests to a single model" (the code is the fake's own).
  const firstModel = (lines[0]?.body as { model?: unknown } | undefined)?.model;
  const other = lines.findIndex((l) => (l.body as { model?: unknown }).model !== firstModel);
  if (other >= 0) {
    errors.push({ code: "mixed_models", message: "Each input file can only include requests to a single model.", param: "body.model", line: lineNumbers[other] });
  }
  return errors.length > 0 ? { errors } : lines;
}

/** A cursor page as OpenAI's list endpoints give it: `limit` items after the one whose id is `after` (from the first when unset). */
function page(items: { id: string }[], after: string | null, limit: number, kind: string): HttpReply {
  const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
  if (after !== null && start === 0) return errorReply(400, `fake LLM: no ${kind} ${after} to list after`, {}, "after");
  const data = items.slice(start, start + limit);
  return json({ object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + limit < items.length });
}

function jsonl(lines: string[]): string {
  return lines.map((l) => `${l}\n`).join("");
}

function json(value: unknown): HttpReply {
  return reply(200, JSON.stringify(value));
}
