// THE way into the studio's API: every route handler is `route(spec, handler)`. In this order it
//   1. refuses a cross-site request that would change something (403; lib/http/origin.ts),
//   2. finds the session (401) and checks the named permission (403; lib/auth/permissions.ts),
//   3. parses the path params, the query and the body with the spec's zod schemas (400 naming the field; a JSON
//      body must say `application/json` (415) and stay under JSON_BODY_MAX_BYTES (413); no string anywhere may hold
//      a NUL or a lone surrogate),
//   4. runs the handler, and answers a thrown DomainError (lib/errors.ts) with its status and message; the database
//      out of reach (lib/db/outage.ts) is a 503 that says so; anything else is a 500 with a request id, the stack in
//      the server log, never in the answer.
// proxy.ts's cookie check is only an early turn-away; this is the check.
import "server-only";
import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { can, leastRoleFor, type Permission } from "@/lib/auth/permissions";
import { sessionUser, type CurrentUser } from "@/lib/auth/session";
import { isDatabaseOutageOrCause, lastLine } from "@/lib/db/outage";
import { DomainError, ForbiddenError, InvalidRequestError, TooLargeError, UnauthenticatedError, UnsupportedMediaTypeError } from "@/lib/errors";
import { formatBytes } from "@/lib/format-bytes";
import { crossSiteRefusal } from "./origin";
import { unsafeTextIn } from "./safe-text";

/** A JSON request body larger than this is refused unread (413): the largest real one, an edit, is far smaller. */
export const JSON_BODY_MAX_BYTES = 4 * 1024 * 1024;

type Schema = z.ZodType;
type Out<S> = S extends Schema ? z.output<S> : undefined;

/** What a route is: who may call it and what it reads. Read by the wrapper, and by the tests that list every route. */
export interface RouteSpec {
  /** The named permission the caller needs; "public" = no session needed (sign-in, health, CSP reports). */
  permission: Permission | "public";
  /** The path's dynamic segments, e.g. z.object({ id: idParam("the sample id") }). */
  params?: Schema;
  /** The query string as an object (the last value of a repeated key); `searchParams` has them all. */
  query?: Schema;
  /** A JSON body (Content-Type application/json). */
  body?: Schema;
  /** A form body (application/x-www-form-urlencoded): the selection download, a form the browser posts itself. */
  form?: Schema;
  /** A raw body the handler streams itself (an upload), of these content types. */
  upload?: { contentTypes: readonly string[] };
  /**
   * Skip the origin check: only for the CSP report endpoint, which browsers post to without a same-origin Origin and
   * which changes nothing but the server log.
   */
  anyOrigin?: true;
}

export interface RouteContext<S extends RouteSpec> {
  request: NextRequest;
  /** The caller (null on a public route: it does not look). */
  user: S["permission"] extends "public" ? null : CurrentUser;
  params: Out<S["params"]>;
  query: Out<S["query"]>;
  body: Out<S extends { body: Schema } ? S["body"] : S extends { form: Schema } ? S["form"] : undefined>;
  searchParams: URLSearchParams;
  /** Refuses (403) unless the caller also has `permission`: for an action whose permission depends on the body. */
  demand(permission: Permission): void;
}

/** A handler answers with a Response, or with a value sent as JSON (200). */
type Handler<S extends RouteSpec, R extends Response | object> = (context: RouteContext<S>) => Promise<R> | R;

/**
 * What route() makes: Next's handler, the spec it was made with, and (as a type only) what the handler answers, which
 * the browser's API client (lib/api/) reads so that a caller's request and answer types come from the route itself.
 */
export type RouteHandler<S extends RouteSpec = RouteSpec, R = unknown> = ((request: NextRequest, context: { params: Promise<unknown> }) => Promise<Response>) & {
  spec: S;
  readonly answer?: R;
};

const HEADERS_NO_STORE = { "Cache-Control": "no-store" };

declare const jsonBody: unique symbol;
/** A JSON Response that knows (as a type) what it holds: what the browser's API client reads as the answer. */
export type JsonResponse<T> = Response & { readonly [jsonBody]: T };

/** A JSON answer with a status of its own (201 created, 202 accepted), typed for the browser's client. */
export function jsonResponse<T extends object>(value: T, init: ResponseInit): JsonResponse<T> {
  return Response.json(value, { ...init, headers: { ...HEADERS_NO_STORE, ...init.headers } }) as JsonResponse<T>;
}

export function route<const S extends RouteSpec, R extends Response | object>(spec: S, handler: Handler<S, R>): RouteHandler<S, R> {
  const handle = async (request: NextRequest, context: { params: Promise<unknown> }): Promise<Response> => {
    try {
      return await answer(spec, handler, request, context);
    } catch (error) {
      // A refused upload must not keep the client sending: the unread rest of the body is dropped.
      if (!request.bodyUsed) await request.body?.cancel().catch(() => undefined);
      if (error instanceof DomainError) return refuse(error.status, error.message, error.details);
      // The client went away while its body was read (the editor aborts a validation as the reviewer types on):
      // nobody is left to answer, and nothing went wrong on the server.
      if (request.signal.aborted) return refuse(400, "the request was aborted by the client");
      const requestId = randomUUID();
      if (isDatabaseOutageOrCause(error)) {
        console.error(`[${requestId}] ${request.method} ${new URL(request.url).pathname}: the database did not answer: ${lastLine(error as Error)}`);
        return refuse(503, `The server could not reach the database (it may be unreachable or restarting): nothing was written. Try again in a moment (request id ${requestId}).`, { requestId });
      }
      console.error(`[${requestId}] ${request.method} ${new URL(request.url).pathname} failed:`, error);
      return refuse(500, `Something went wrong on the server (request id ${requestId}); the server log has the details.`, { requestId });
    }
  };
  return Object.assign(handle, { spec });
}

async function answer<S extends RouteSpec, R extends Response | object>(spec: S, handler: Handler<S, R>, request: NextRequest, context: { params: Promise<unknown> }): Promise<Response> {
  if (!spec.anyOrigin) {
    const crossSite = crossSiteRefusal(request);
    if (crossSite) throw new ForbiddenError(crossSite);
  }
  // A public route does not look: /api/health must answer without the database that sessions live in.
  const user = spec.permission === "public" ? null : await sessionUser(request.headers);
  if (spec.permission !== "public") {
    if (!user) throw new UnauthenticatedError("Sign in first.");
    if (!can(user.role, spec.permission)) throw new ForbiddenError(refusal(spec.permission, user));
  }
  const demand = (permission: Permission) => {
    if (!user || !can(user.role, permission)) throw new ForbiddenError(refusal(permission, user));
  };

  const searchParams = request.nextUrl.searchParams;
  // Every query value, schema or not: several routes read the table filter straight from searchParams.
  const unsafeQuery = unsafeTextIn([...searchParams].map(([key, value]) => ({ [key]: value })), "");
  if (unsafeQuery) throw new InvalidRequestError(`query: ${unsafeQuery.replace(/^\[\d+\]\./, "")}`);
  const params = parse(spec.params, await context.params, "path");
  const query = parse(spec.query, Object.fromEntries(searchParams), "query");
  const body = spec.body ? parse(spec.body, await readJson(request), "body") : spec.form ? parse(spec.form, await readForm(request), "form") : undefined;
  if (spec.upload) checkContentType(request, spec.upload.contentTypes);

  const result = await handler({ request, user, params, query, body, searchParams, demand } as RouteContext<S>);
  if (result instanceof Response) return result;
  return Response.json(result, { headers: HEADERS_NO_STORE });
}

function refusal(permission: Permission, user: CurrentUser | null): string {
  return `This needs the ${leastRoleFor(permission)} role (${permission}); you are ${user?.role ?? "signed out"}.`;
}

function refuse(status: number, error: string, details: Record<string, unknown> = {}): Response {
  return Response.json({ error, ...details }, { status, headers: HEADERS_NO_STORE });
}

/** The value checked by the schema (none given: nothing is read), or a 400 naming the field. */
function parse(schema: Schema | undefined, value: unknown, where: "path" | "query" | "body" | "form"): unknown {
  if (!schema) return undefined;
  const unsafe = unsafeTextIn(value, "");
  if (unsafe) throw new InvalidRequestError(`${where}: ${unsafe}`);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidRequestError(
    [...new Set(parsed.error.issues.map((issue) => issue.message))].join("; "),
    { fields: Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join(".") || where, issue.message])) },
  );
}

function checkContentType(request: Request, accepted: readonly string[]): void {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!accepted.includes(type)) {
    throw new UnsupportedMediaTypeError(`the body must be sent as ${accepted.join(" or ")}${type ? `, not ${type}` : " (no Content-Type was given)"}`);
  }
}

async function readJson(request: Request): Promise<unknown> {
  checkContentType(request, ["application/json"]);
  const text = await readText(request);
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidRequestError("the request body is not valid JSON");
  }
}

async function readForm(request: Request): Promise<Record<string, string>> {
  checkContentType(request, ["application/x-www-form-urlencoded"]);
  return Object.fromEntries(new URLSearchParams(await readText(request)));
}

/** The body as text, refused past JSON_BODY_MAX_BYTES (declared or read) and when it is not UTF-8. */
async function readText(request: Request): Promise<string> {
  const tooLarge = () => new TooLargeError(`the request body is larger than ${formatBytes(JSON_BODY_MAX_BYTES)}`);
  if (Number(request.headers.get("content-length")) > JSON_BODY_MAX_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > JSON_BODY_MAX_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new InvalidRequestError("the request body is not UTF-8 text");
  }
}
