// The fetch the LLM client gives the openai SDK: one request over node:http(s) with a keep-alive agent, the answer
// read whole before it is handed back. Why not the global fetch: at hundreds of judge calls a second its WHATWG
// streams (the body turned into a stream, written chunk by chunk, the answer read through a stream reader) cost the
// worker about as much CPU as the whole pipeline around them (issue 15 §5, README "where the time went").
//
// What it does not do, on purpose: follow redirects (a 3xx comes back as it is, and the client fails the attempt:
// prompts and key go only to the URL an admin saved), or decompress (it asks for none).
import "server-only";
import http from "node:http";
import https from "node:https";

/** Sockets per host kept open: a run's concurrency is at most 256 (lib/runs/create-run.ts), and panels add their own hosts. */
const MAX_SOCKETS = 256;
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
};

export const httpFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
  const url = new URL(input instanceof Request ? input.url : input);
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new TypeError(`fetch: ${url.protocol} is not http(s)`));
  const body = requestBody(init.body);
  const headers: Record<string, string> = { "accept-encoding": "identity" };
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  const signal = init.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const request = (url.protocol === "https:" ? https : http).request(url, { method: init.method ?? "GET", headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        signal?.removeEventListener("abort", onAbort);
        const status = response.statusCode ?? 0;
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
        }
        resolve(new BufferedResponse(Buffer.concat(chunks), status, response.statusMessage ?? "", responseHeaders, url.href) as unknown as Response);
      });
    });
    const onAbort = () => request.destroy(abortError(signal!));
    signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", (error) => {
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    request.end(body);
  });
};

/**
 * The answer, read whole, as the SDK reads a Response: status, headers, and the body as JSON or text. Not a WHATWG
 * Response: that wraps the body in a stream again and reads it back through a reader, a cost the worker paid on
 * every judge call for nothing. (The SDK touches `body` only to stream or to cancel a retried answer; the client
 * asks for neither: no streaming, maxRetries 0.)
 */
class BufferedResponse {
  readonly redirected = false;
  readonly type = "basic";
  readonly body = null;
  bodyUsed = false;

  constructor(
    private readonly bytes: Buffer,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.bytes.toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return new Uint8Array(this.bytes).buffer;
  }
}

/** The bodies the SDK sends to chat completions: a JSON string (files and batches go through the SDK's own paths). */
function requestBody(body: RequestInit["body"]): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError("fetch: this client sends string or byte bodies only");
}

/** What fetch rejects with when aborted: the SDK reads `name === "AbortError"` as a timeout or a cancel. */
function abortError(signal: AbortSignal): Error {
  const error = new Error(signal.reason instanceof Error ? signal.reason.message : "The operation was aborted.");
  error.name = "AbortError";
  return error;
}
