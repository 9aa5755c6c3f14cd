// The browser's map of the API (lib/api/endpoints.ts) lists exactly the routes on disk, each with the handler its
// file exports: a new route is typed for the browser the moment it exists, or this fails.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { apiRoutes } from "@/test/api-routes";

it("lists every route handler of app/api, and nothing else", async () => {
  const source = readFileSync("lib/api/endpoints.ts", "utf8");
  const listed = [...source.matchAll(/^ {2}"(\w+ \/api\/[^"]*)": (.*);$/gm)];
  const onDisk = (await apiRoutes()).map((route) => `${route.method} ${route.template}`);
  expect(listed.map(([, endpoint]) => endpoint).sort()).toEqual([...onDisk].sort());
  for (const [, endpoint, type] of listed) {
    const [method, template] = endpoint.split(" ");
    // The auth endpoints are better-auth's, typed by hand; every other entry is its file's own export.
    if (template.startsWith("/api/auth/")) continue;
    expect(type, endpoint).toBe(`typeof import("@/app${template}/route").${method}`);
  }
});
