// Calling a route handler (lib/http/route.ts) directly, as Next.js would: a request to the studio's own origin and
// the path's params.
import { NextRequest } from "next/server";

export const STUDIO_ORIGIN = "http://studio.test";

/** The second argument Next.js passes a route handler. */
export function routeContext(params: Record<string, string> = {}) {
  return { params: Promise.resolve(params) };
}

/** A request to `path` of the studio; a write carries the studio's Origin, as its own pages' requests do. */
export function studioRequest(path: string, init: ConstructorParameters<typeof NextRequest>[1] = {}): NextRequest {
  const method = init.method ?? "GET";
  const headers = new Headers(init.headers);
  if (method !== "GET" && method !== "HEAD" && !headers.has("origin")) headers.set("origin", STUDIO_ORIGIN);
  return new NextRequest(`${STUDIO_ORIGIN}${path}`, { ...init, method, headers });
}
