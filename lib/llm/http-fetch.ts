// The fetch the LLM client gives the openai SDK: one request through undici's low-level dispatch (a keep-alive
// connection pool per server), the answer collected whole into a Buffer before it is handed back, no stream in
// between. Why not the global fetch (undici's fetch): at hundreds of judge calls a second its WHATWG streams (the
// body turned into a stream, written chunk by chunk, the answer read through a stream reader) cost the worker about
// as much CPU as the whole pipeline around them. Why not node:http, used before: its request and response objects
// cost the worker ~80 µs more a call one at a time, ~20–30 µs at 64 in flight (issue 15 §5, README "Where the time
// goes").
//
// What it does not do, on purpose: follow redirects (a 3xx comes back as it is, and the client fails the attempt:
// prompts and key go only to the URL an admin saved), or decompress (it asks for none).
import "server-only";
import { Agent, type Dispatcher } from "undici";

/** Connections per origin kept open: a run's concurrency is at most 256 (lib/runs/create-run.ts). */
const MAX_CONNECTIONS = 256;
// maxRedirections 0 (the default, said here because it matters): a 3xx is the answer.
const dispatcher = new Agent({ connections: MAX_CONNECTIONS, maxRedirections: 0 });

export const httpFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
  const url = new URL(input instanceof Request ? input.url : input);
  if (url.protocol !== "http:" && url.protocol !== "https:") return Promise.reject(new TypeError(`fetch: ${url.protocol} is not http(s)`));
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise<Response>((resolve, reject) => {
    // The SDK sends its methods uppercase; undici sets content-length for a string or Buffer body itself.
    const method = (init.method ?? "GET") as Dispatcher.HttpMethod;
    dispatcher.dispatch(
      { origin: url.origin, path: url.pathname + url.search, method, headers: requestHeaders(init.headers), body: requestBody(init.body) },
      new AnswerCollector(url.href, signal, resolve, reject),
    );
  });
};

/** The request headers as undici's flat [name, value, …] list, asking for no compression whatever the caller asked. */
function requestHeaders(headers: HeadersInit | undefined): string[] {
  const list: string[] = [];
  const add = (value: string, name: string) => {
    if (name !== "accept-encoding") list.push(name, value);
  };
  // The SDK hands a Headers: read as it is, not copied into another one.
  if (headers instanceof Headers) headers.forEach(add);
  else if (headers) new Headers(headers).forEach(add);
  list.push("accept-encoding", "identity");
  return list;
}

/** undici's dispatch handler: keeps the status and headers, collects the body, and settles the fetch's promise. */
class AnswerCollector implements Dispatcher.DispatchHandlers {
  private status = 0;
  private statusText = "";
  private rawHeaders: Buffer[] = [];
  private readonly chunks: Buffer[] = [];
  /** undici's abort for this request, once it is being sent; an abort before that is remembered in abortedBy. */
  private abortRequest: ((error: Error) => void) | null = null;
  private abortedBy: Error | null = null;

  constructor(
    private readonly url: string,
    private readonly signal: AbortSignal | undefined,
    private readonly resolve: (response: Response) => void,
    private readonly reject: (error: Error) => void,
  ) {
    signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  /** Rejects at once, even while the request waits for a free connection; undici drops it once it gets one. */
  private readonly onAbort = () => {
    const error = abortError(this.signal!);
    this.reject(error);
    if (this.abortRequest) this.abortRequest(error);
    else this.abortedBy = error;
  };

  onConnect(abort: (error: Error) => void): void {
    if (this.abortedBy) abort(this.abortedBy);
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    this.status = statusCode;
    this.statusText = statusText;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.signal?.removeEventListener("abort", this.onAbort);
    const headers = new Headers();
    for (let i = 0; i < this.rawHeaders.length; i += 2) headers.append(this.rawHeaders[i].toString("latin1"), this.rawHeaders[i + 1].toString("latin1"));
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.resolve(new BufferedResponse(body, this.status, this.statusText, headers, this.url) as unknown as Response);
  }

  onError(error: Error): void {
    this.signal?.removeEventListener("abort", this.onAbort);
    this.reject(error);
  }
}

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
