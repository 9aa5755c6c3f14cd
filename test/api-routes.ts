// Every API route of the app, found on disk (app/api/**/route.ts) and imported: its URL, methods and the spec its
// handler was made with (lib/http/route.ts). The role matrix (e2e) and the fuzz test (vitest) are generated from it,
// so a new route cannot be left out of either.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { RouteHandler, RouteSpec } from "@/lib/http/route";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

export interface ApiRoute {
  /** The file, relative to the project, e.g. app/api/samples/[id]/route.ts. */
  file: string;
  /** The URL template, e.g. /api/samples/[id]. */
  template: string;
  method: Method;
  /** What the exported handler is; undefined when it was not made with route() (a test failure). */
  spec: RouteSpec | undefined;
  handler: RouteHandler;
}

// Both vitest and Playwright run from the project root.
const ROOT = process.cwd();

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

export async function apiRoutes(): Promise<ApiRoute[]> {
  const routes: ApiRoute[] = [];
  for (const full of routeFiles(path.join(ROOT, "app/api")).sort()) {
    const file = path.relative(ROOT, full);
    const template = `/${path.dirname(file).replace(/^app\//, "")}`;
    const mod = (await import(full)) as Partial<Record<Method, RouteHandler>>;
    for (const method of METHODS) {
      const handler = mod[method];
      if (typeof handler === "function") routes.push({ file, template, method, spec: (handler as Partial<RouteHandler>).spec, handler });
    }
  }
  return routes;
}

/** The template's dynamic segments, e.g. ["id"] for /api/samples/[id]; a catch-all [...all] is "all". */
export function segmentNames(template: string): string[] {
  return [...template.matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)].map((m) => m[1]);
}

/** A URL of the template with these segment values (a lone surrogate, which no URL can hold, as U+FFFD). */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const encode = (value: string) => encodeURIComponent(value.replace(/[\ud800-\udfff]/g, "\ufffd")).replace(/%2F/g, "/");
  return template.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_, name: string) => encode(values[name] ?? "x"));
}

/** Values that name nothing: the route answers 404 or 400 past its checks, and changes nothing. */
export const PLACEHOLDER_SEGMENTS: Record<string, string> = { id: "2147483000", name: "no-such-dataset", all: "get-session" };
