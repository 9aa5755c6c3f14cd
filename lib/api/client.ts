// The browser's one way to call the studio's API. `api("POST /api/samples/[id]/decision", { params, body })`: the
// endpoint names a route of lib/api/endpoints.ts, whose spec types the params, query and body, and whose handler
// types the answer (as JSON delivers it). A refusal or a network failure is thrown as an ApiError carrying the
// server's words and its details (a 409's `current`, a 422's `failing`). Pages read through SWR (./use-api.ts).
import type { z } from "zod";
import { failureMessage } from "@/lib/http/failure";
import type { Jsonified } from "@/lib/http/json";
import type { JsonResponse } from "@/lib/http/route";
import type { Endpoints } from "./endpoints";

export type Endpoint = keyof Endpoints;
/** The endpoints a page reads (GET): what useApi takes. */
export type ReadEndpoint = Extract<Endpoint, `GET ${string}`>;

type SpecOf<E extends Endpoint> = Endpoints[E]["spec"];
type PathOf<E extends Endpoint> = E extends `${string} ${infer Path}` ? Path : never;
/** The dynamic segments of a URL template: "id" of /api/samples/[id], "all" of /api/auth/[...all]. */
type SegmentsOf<Template extends string> = Template extends `${string}[${infer Segment}]${infer Rest}`
  ? (Segment extends `...${infer Name}` ? Name : Segment) | SegmentsOf<Rest>
  : never;
type InputOf<S, Key extends "query" | "body"> = S extends { [K in Key]: z.ZodType } ? z.input<S[Key]> : undefined;

type ParamsPart<E extends Endpoint> = [SegmentsOf<PathOf<E>>] extends [never] ? { params?: undefined } : { params: Record<SegmentsOf<PathOf<E>>, string | number> };
/** A route without a query schema reads the table filter straight from the URL: it takes URLSearchParams. */
type QueryPart<E extends Endpoint> = { query?: InputOf<SpecOf<E>, "query"> extends undefined ? URLSearchParams | string : InputOf<SpecOf<E>, "query"> | URLSearchParams };
/** A JSON body, an upload's Blob, or a form (sent url-encoded, as the route reads it); never two. */
type BodyPart<E extends Endpoint> = SpecOf<E> extends { body: z.ZodType }
  ? { body: z.input<SpecOf<E>["body"]>; form?: undefined }
  : SpecOf<E> extends { upload: object }
    ? { body: Blob; form?: undefined }
    : SpecOf<E> extends { form: z.ZodType }
      ? { form: z.input<SpecOf<E>["form"]>; body?: undefined }
      : { body?: undefined; form?: undefined };

export type ApiRequest<E extends Endpoint> = ParamsPart<E> & QueryPart<E> & BodyPart<E> & { signal?: AbortSignal };

/** What the handler's answer holds as JSON: a value, or a JsonResponse's value; a bare Response (a download) holds none. */
type JsonOf<R> = R extends JsonResponse<infer T> ? T : R extends Response ? never : R;
type AnswerOf<E extends Endpoint> = JsonOf<NonNullable<Endpoints[E]["answer"]>>;
/** What a call resolves to: the handler's answer as JSON delivers it, or the Response itself for a download. */
export type ApiAnswer<E extends Endpoint> = [AnswerOf<E>] extends [never] ? Response : Jsonified<AnswerOf<E>>;

/** A request the studio refused (status and the server's message and details), or one it never answered (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The refusal's JSON as sent: `{error, ...details}`. */
    readonly body: { error?: string; [detail: string]: unknown } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The URL of an endpoint with its params filled in and its query appended. */
export function apiUrl<E extends Endpoint>(endpoint: E, request: { params?: unknown; query?: unknown } & Partial<ParamsPart<E> & QueryPart<E>> = {}): string {
  const template = endpoint.slice(endpoint.indexOf(" ") + 1);
  const params = (request.params ?? {}) as Record<string, string | number>;
  // A segment's value is encoded whole ("a/b" is one dataset name); a catch-all's slashes separate its segments.
  const path = template.replace(/\[(\.\.\.)?([^\]]+)\]/g, (_, catchAll: string | undefined, name: string) => {
    const value = encodeURIComponent(String(params[name]));
    return catchAll ? value.replace(/%2F/g, "/") : value;
  });
  const query = encoded(request.query as Record<string, unknown> | URLSearchParams | string | undefined);
  return query ? `${path}?${query}` : path;
}

/** A query or form as URL-encoded text, leaving out its empty values. */
function encoded(fields: Record<string, unknown> | URLSearchParams | string | undefined): string {
  if (fields === undefined) return "";
  if (typeof fields === "string" || fields instanceof URLSearchParams) return String(fields);
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null) search.set(key, String(value));
  return String(search);
}

export async function api<E extends Endpoint>(endpoint: E, ...[request]: {} extends ApiRequest<E> ? [ApiRequest<E>?] : [ApiRequest<E>]): Promise<ApiAnswer<E>> {
  const method = endpoint.slice(0, endpoint.indexOf(" "));
  const { body, form, signal } = (request ?? {}) as { body?: unknown; form?: Record<string, unknown>; signal?: AbortSignal };
  const init: RequestInit = { method, cache: "no-store", signal };
  if (body instanceof Blob) init.body = body;
  else if (form !== undefined) {
    init.headers = { "Content-Type": "application/x-www-form-urlencoded" };
    init.body = encoded(form);
  } else if (body !== undefined) {
    init.headers = { "Content-Type": "application/json" };
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(endpoint, request), init);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, "The studio did not answer (the server may be restarting, or the network is down).");
  }
  const json = response.headers.get("content-type")?.includes("application/json");
  if (!response.ok) {
    const refusal = json ? ((await response.json().catch(() => ({}))) as ApiError["body"]) : {};
    throw new ApiError(response.status, failureMessage(response, refusal), refusal);
  }
  return (json ? await response.json() : response) as ApiAnswer<E>;
}

/**
 * A file upload to an endpoint that streams its body (POST /api/import): the same call as `api`, sent with
 * XMLHttpRequest because fetch cannot report upload progress; `onSent` hears the bytes sent so far.
 */
export function apiUpload<E extends Endpoint>(endpoint: E, request: ApiRequest<E> & { body: Blob }, onSent: (bytes: number) => void): Promise<ApiAnswer<E>> {
  const { body } = request;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(endpoint.slice(0, endpoint.indexOf(" ")), apiUrl(endpoint, request));
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (event) => onSent(event.loaded);
    xhr.upload.onload = () => onSent(body.size);
    xhr.onload = () => {
      let json: ApiError["body"] | null = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: said below.
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        if (json) resolve(json as ApiAnswer<E>);
        else reject(new ApiError(xhr.status, "The server's answer could not be read."));
        return;
      }
      reject(new ApiError(xhr.status, failureMessage(new Response(null, { status: xhr.status }), json ?? {}), json ?? {}));
    };
    xhr.onerror = () => reject(new ApiError(0, "The upload was interrupted: the server could not be reached or closed the connection."));
    xhr.onabort = () => reject(new ApiError(0, "The upload was cancelled."));
    xhr.send(body);
  });
}

/** The fields a 400 refusal names (its `fields`: path → message), none when it is another failure. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const fields = error instanceof ApiError ? error.body.fields : undefined;
  return fields && typeof fields === "object" ? (fields as Record<string, string>) : {};
}

/**
 * The message to show for a failed call (an ApiError's, else the error's own); `unanswered`, when given, replaces the
 * generic one for a call the studio never answered (a page that says what was not saved).
 */
export function errorMessage(error: unknown, unanswered?: string): string {
  if (unanswered !== undefined && error instanceof ApiError && error.status === 0) return unanswered;
  return error instanceof Error ? error.message : String(error);
}
