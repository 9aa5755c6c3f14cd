// Every route of the app (found on disk: test/api-routes.ts), called as a signed-in admin with hostile values in
// every field its schemas name, in every path segment and in the table filter's parameters: numbers past int4,
// ids written as 0x10 or 1e3, NUL, lone surrogates, wrong types, huge strings, dates past the database's range.
// Each hostile value goes in alone and into an otherwise valid body (so it gets past the other fields' checks), on a
// sample that exists. Bad input is a 4xx that names the field, never a 500. Only the session lookup is replaced;
// the database is real (the file's own: some of these requests succeed and change settings or samples).
import { afterAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { closeDb } from "@/lib/db/client";
import type { RouteSpec } from "@/lib/http/route";
import { apiRoutes, fillTemplate, PLACEHOLDER_SEGMENTS, segmentNames, type ApiRoute } from "./api-routes";
import { useOwnDatabase } from "./own-database";
import { routeContext, studioRequest } from "./route-request";
import { seedDataset } from "./seed";

vi.mock("@/lib/auth/session", () => ({
  sessionUser: async () => ({ id: "fuzz-admin", email: "fuzz@api.test", name: "Fuzz", role: "admin" as const }),
}));

const ownDatabase = await useOwnDatabase("api_fuzz");
afterAll(async () => {
  await closeDb();
  await ownDatabase.drop();
});

const routes = await apiRoutes();
const seeded = await seedDataset([{ status: "flagged" }, { status: "discarded" }], "fuzz");
const SEGMENTS = { ...PLACEHOLDER_SEGMENTS, id: String(seeded.ids[0]), name: seeded.name };

/** A body each write route accepts (or refuses only for what the state allows): the base the hostile values go into. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  "POST /api/samples/[id]/decision": { action: "discard", expectedVersion: 1, reason: "fuzz", stage: 2 },
  "POST /api/samples/[id]/edit": { answer: '[get_weather(city="Paris")]', cot: "fuzz", expectedVersion: 1 },
  "POST /api/samples/[id]/edit/validate": { answer: '[get_weather(city="Paris")]', cot: "fuzz" },
  "POST /api/samples/[id]/tasks": { kind: "recheck", expectedVersion: 1, stages: "rules" },
  "POST /api/samples/[id]/next": { claim: false, skipped: [1], datasetId: seeded.datasetId, known: 1 },
  "POST /api/review/next": { datasetId: seeded.datasetId, exclude: [1] },
  "POST /api/review/release": { sampleId: seeded.ids[0] },
  "POST /api/review/restore": { reason: "fuzz", sampleIds: [seeded.ids[1]], group: undefined, datasetId: seeded.datasetId },
  "POST /api/runs": { dataset: "fuzz-no-such-dataset", stages: "rules", concurrency: 1, maxRegenerations: 0, requestsPerMinute: 10 },
  "POST /api/runs/[id]": { action: "pause" },
  "POST /api/calibrations": { dataset: "fuzz-no-such-dataset", stage: 2, includeBulk: false },
  "POST /api/rounds": { source: "fuzz-no-such-dataset", model: "fuzz-policy", samplesPerQuery: 1, temperature: 0 },
  "PATCH /api/settings/policy": { model: "fuzz-policy" },
  "POST /api/samples/bulk": { target: { kind: "selection", samples: [{ id: seeded.ids[0], version: 1 }] }, action: { action: "discard", reason: "fuzz" } },
  "POST /api/users": { email: "fuzz-user@api.test", name: "Fuzz", role: "viewer", password: "password-1" },
  "PATCH /api/users": { email: "nobody@api.test", role: "viewer" },
  "POST /api/samples/export": { format: "xlam", ids: String(seeded.ids[0]) },
  "POST /api/samples/export/check": { format: "xlam", ids: String(seeded.ids[0]) },
};

const HOSTILE_TEXT = ["99999999999", "-1", "0", "0x10", "1e3", "1.5", " 7", "a\u0000b", "\ud800", "x".repeat(20_000), "9999-12-31", "+275760-09-13T00:00:00.000Z_5", "-000001-01-01T00:00:00.000Z_5", "null"];
const HOSTILE_JSON: unknown[] = [99999999999, -1, 0, 1.5, 1e308, "99999999999", "a\u0000b", "\ud800", "x".repeat(100_000), null, true, [], {}, [99999999999], ["a\u0000"], { "a\u0000": 1 }];
/** The samples table's query parameters (lib/samples/table-filter.ts), read by several routes from the query string. */
const TABLE_PARAMS = ["status", "dataset", "failing", "outcome", "at", "by", "tool", "q", "sort", "dir", "after", "before", "size", "cols", "count"];

/** The keys a schema reads (objects, unions of objects, and those wrapped in defaults, pipes or preprocessing). */
function fieldNames(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodDiscriminatedUnion || schema instanceof z.ZodUnion) return [...new Set(schema.options.flatMap((o) => fieldNames(o as z.ZodType)))];
  if (schema instanceof z.ZodPipe) return [...new Set([...fieldNames(schema.in as z.ZodType), ...fieldNames(schema.out as z.ZodType)])];
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable) return fieldNames(schema.unwrap() as z.ZodType);
  return [];
}

interface Attempt {
  what: string;
  path: string;
  segments: Record<string, string>;
  body?: string;
  contentType?: string;
}

function attempts(route: ApiRoute): Attempt[] {
  const spec = route.spec as RouteSpec;
  const base = { segments: SEGMENTS, path: fillTemplate(route.template, SEGMENTS) };
  const valid = VALID_BODIES[`${route.method} ${route.template}`];
  const list: Attempt[] = [];
  for (const segment of segmentNames(route.template)) {
    for (const value of HOSTILE_TEXT) {
      const segments = { ...SEGMENTS, [segment]: value };
      list.push({ what: `path ${segment}=${JSON.stringify(value.slice(0, 30))}`, segments, path: fillTemplate(route.template, segments), body: "{}" });
    }
  }
  for (const key of [...fieldNames(spec.query), ...TABLE_PARAMS]) {
    for (const value of HOSTILE_TEXT) {
      list.push({ ...base, what: `query ${key}=${JSON.stringify(value.slice(0, 30))}`, path: `${base.path}?${new URLSearchParams({ [key]: value })}`, body: "{}" });
    }
  }
  const bodyKeys = fieldNames(spec.body ?? spec.form);
  for (const value of HOSTILE_JSON) list.push({ ...base, what: `body ${JSON.stringify(value)?.slice(0, 30)}`, body: JSON.stringify(value) });
  for (const key of bodyKeys) {
    for (const value of HOSTILE_JSON) {
      const what = `body.${key}=${JSON.stringify(value)?.slice(0, 30)}`;
      if (spec.form) {
        const form = new URLSearchParams({ ...(valid as Record<string, string>), [key]: typeof value === "string" ? value : JSON.stringify(value) });
        list.push({ ...base, what, body: form.toString(), contentType: "application/x-www-form-urlencoded" });
        continue;
      }
      list.push({ ...base, what, body: JSON.stringify({ [key]: value }) });
      if (valid) list.push({ ...base, what: `${what} in a valid body`, body: JSON.stringify({ ...valid, [key]: value }) });
    }
  }
  for (const type of ["text/plain", "multipart/form-data; boundary=x", "application/json; charset=latin1"]) list.push({ ...base, what: `content-type ${type}`, body: "a=b", contentType: type });
  list.push({ ...base, what: "invalid UTF-8", body: "\xff\xfe{", contentType: "application/json" });
  return list;
}

async function send(route: ApiRoute, attempt: Attempt): Promise<number> {
  const hasBody = route.method !== "GET" && (route.method !== "DELETE" || route.spec?.body !== undefined);
  const body = hasBody ? (attempt.what === "invalid UTF-8" ? Buffer.from([0xff, 0xfe, 0x7b]) : attempt.body) : undefined;
  const contentType = attempt.contentType ?? (route.spec?.upload ? route.spec.upload.contentTypes[0] : route.spec?.form ? "application/x-www-form-urlencoded" : "application/json");
  const request = studioRequest(attempt.path, { method: route.method, body, headers: hasBody ? { "content-type": contentType } : {} });
  const response = await route.handler(request, routeContext(attempt.segments));
  await response.body?.cancel();
  return response.status;
}

describe("every API route", () => {
  it("has a valid body in this test for each write route it names (a renamed route must not silently lose its depth)", () => {
    const names = new Set(routes.map((r) => `${r.method} ${r.template}`));
    expect(Object.keys(VALID_BODIES).filter((name) => !names.has(name))).toEqual([]);
  });

  it("is found on disk and made with route(), so it gets the origin, session, permission and schema checks", () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.filter((r) => !r.spec).map((r) => `${r.method} ${r.template}`)).toEqual([]);
  });

  it.each(routes.map((route) => [`${route.method} ${route.template}`, route] as const))("%s answers hostile input with a 4xx, never a 500", async (_, route) => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const failures: string[] = [];
    for (const attempt of attempts(route)) {
      const status = await send(route, attempt);
      if (status >= 500) failures.push(`${attempt.what}: ${status}`);
    }
    errors.mockRestore();
    expect(failures).toEqual([]);
  }, 120_000);
});
