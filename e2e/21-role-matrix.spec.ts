// The role matrix, generated: every route handler found on disk (test/api-routes.ts) × nobody, a viewer, an
// annotator and an admin, expected as the permission map says (lib/auth/permissions.ts). "allowed" means the
// permission check let the request through (the handler may still refuse the body: that is a 400, not a 403). A new
// route is in the matrix the moment its file exists.
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { can } from "@/lib/auth/permissions";
import type { Role } from "@/lib/auth/roles";
import type { RouteSpec } from "@/lib/http/route";
import { apiRoutes, fillTemplate, PLACEHOLDER_SEGMENTS, type ApiRoute } from "../test/api-routes";
import { E2E_WEB_PORT, storageStatePath } from "./env";

type Who = "anonymous" | Role;
const WHO: Who[] = ["anonymous", "viewer", "annotator", "admin"];

interface Call {
  name: string;
  route: ApiRoute;
  path: string;
  /** The body and its type, as the route reads it (an empty JSON object, form or file). */
  data?: string;
  contentType?: string;
  expect(who: Who): "signed out" | "denied" | "allowed";
}

function expectation(permission: RouteSpec["permission"]) {
  return (who: Who) => (permission === "public" ? "allowed" : who === "anonymous" ? "signed out" : can(who, permission) ? "allowed" : "denied");
}

function callOf(route: ApiRoute): Call {
  const spec = route.spec!;
  const writes = route.method !== "GET";
  const contentType = spec.upload ? spec.upload.contentTypes[0] : spec.form ? "application/x-www-form-urlencoded" : "application/json";
  return {
    name: `${route.method} ${route.template}`,
    route,
    path: fillTemplate(route.template, PLACEHOLDER_SEGMENTS),
    ...(writes ? { data: spec.form ? "" : "{}", contentType } : {}),
    expect: expectation(spec.permission),
  };
}

test("every role gets exactly what the permission map gives it, on every route", async () => {
  const routes = await apiRoutes();
  expect(routes.filter((r) => !r.spec).map((r) => `${r.method} ${r.template}`)).toEqual([]);
  const bulk = routes.find((r) => r.method === "POST" && r.template === "/api/samples/bulk")!;
  const calls: Call[] = [
    ...routes.map(callOf),
    // A permission that depends on the body: re-running stages in bulk starts pipeline runs.
    {
      name: "bulk re-run stages",
      route: bulk,
      path: "/api/samples/bulk",
      data: JSON.stringify({ target: { kind: "selection", samples: [{ id: 2147483000, version: 1 }] }, action: { action: "rerun", stages: "rules" } }),
      contentType: "application/json",
      expect: (who) => (who === "anonymous" ? "signed out" : can(who, "samples.decide") && can(who, "runs.start") ? "allowed" : "denied"),
    },
  ];

  const baseURL = `http://127.0.0.1:${E2E_WEB_PORT}`;
  const outcomes: string[] = [];
  const expected: string[] = [];
  for (const who of WHO) {
    const context = await playwrightRequest.newContext({
      baseURL,
      extraHTTPHeaders: { origin: baseURL },
      storageState: who === "anonymous" ? { cookies: [], origins: [] } : storageStatePath(who),
    });
    for (const call of calls) {
      const response = await context.fetch(call.path, {
        method: call.route.method,
        ...(call.data === undefined ? {} : { data: call.data, headers: { "content-type": call.contentType! } }),
        maxRedirects: 0,
      });
      const status = response.status();
      outcomes.push(`${who} × ${call.name}: ${status === 401 ? "signed out" : status === 403 ? "denied" : "allowed"}`);
      expected.push(`${who} × ${call.name}: ${call.expect(who)}`);
    }
    await context.dispose();
  }
  expect(outcomes).toEqual(expected);
});
