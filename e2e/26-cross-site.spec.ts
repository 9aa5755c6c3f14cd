// No cross-site writes (lib/http/origin.ts). A page served from another port of the same host is the same site, so
// the admin's session cookie goes along with its requests: before the origin check, its auto-submitted text/plain
// form created an admin and its no-cors fetch discarded samples. Here that page runs in the signed-in admin's
// browser, and nothing it sends changes anything. The studio's own pages, in a browser that adds no headers of its
// own, keep working.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { addPersonInBrowser, e2eDatabase, importThroughApi, uniqueName } from "./helpers";
import { storageStatePath } from "./env";

let attacker: Server;
let attackerOrigin = "";
let page = "";

test.beforeAll(async () => {
  attacker = createServer((_, response) => {
    response.writeHead(200, { "Content-Type": "text/html" });
    response.end(page);
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => attacker.close(resolve));
});

/** The attack page: a form posting JSON-looking text/plain (name=value gives `{"…": "…=x"}`), then a no-cors fetch. */
function attackPage(studio: string, newAdmin: string, datasetId: number): string {
  const userJson = JSON.stringify({ email: newAdmin, name: "Mallory", role: "admin", password: "mallory-password", pad: "" }).slice(0, -2);
  const bulk = JSON.stringify({ target: { kind: "filter", query: `dataset=${datasetId}` }, action: { action: "discard", reason: "cross-site" } });
  return `<!doctype html><body>
<form id="f" method="post" action="${studio}/api/users" enctype="text/plain"><input name='${userJson}' value='"}'></form>
<script>
  fetch(${JSON.stringify(`${studio}/api/samples/bulk`)}, { method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" }, body: ${JSON.stringify(bulk)} })
    .finally(() => document.getElementById("f").submit());
</script></body>`;
}

test("a page on another port cannot create an admin or discard samples with the admin's session", async ({ browser, request, baseURL }) => {
  const dataset = uniqueName("cross-site");
  const body = readFileSync("e2e/fixtures/xlam-simple-python.jsonl");
  const imported = await importThroughApi(request, { body, dataset, fileName: "x.jsonl" });
  expect(imported.inserted).toBeGreaterThan(0);
  const datasetId = await datasetIdOf(dataset);
  const newAdmin = `${uniqueName("mallory")}@evil.test`;
  page = attackPage(baseURL!, newAdmin, datasetId);

  // The admin's browser as it is, adding no headers of its own (the config's Origin for the specs' API calls would
  // otherwise go out with the attacker's requests too).
  const context = await browser.newContext({ storageState: storageStatePath("admin"), extraHTTPHeaders: {} });
  const admin = await context.newPage();
  const answers: Record<string, number> = {};
  admin.on("response", (response) => {
    const url = new URL(response.url());
    if (url.origin === baseURL && url.pathname.startsWith("/api/")) answers[url.pathname] = response.status();
  });
  await admin.goto(attackerOrigin);
  await expect.poll(() => answers["/api/users"], { timeout: 15_000 }).toBeDefined();
  await expect.poll(() => answers["/api/samples/bulk"]).toBeDefined();
  expect(answers).toEqual({ "/api/users": 403, "/api/samples/bulk": 403 });
  await context.close();

  const users = (await (await request.get("/api/users")).json()).users as { email: string }[];
  expect(users.map((u) => u.email)).not.toContain(newAdmin);
  const discarded = await (await request.get(`/api/samples?dataset=${datasetId}&status=discarded&count=exact`)).json();
  expect(discarded.total).toBe(0);
});

test("a write with a foreign Origin, or none, is refused with 403 and writes nothing", async ({ baseURL }) => {
  const email = `${uniqueName("nobody")}@e2e.test`;
  const user = { email, name: "Nobody", role: "admin", password: "password-123" };
  const origins: Record<string, string>[] = [{ origin: "http://127.0.0.1:1" }, { origin: "http://localhost:3100" }, { origin: "null" }, {}];
  for (const headers of origins) {
    const context = await playwrightRequest.newContext({ baseURL, storageState: storageStatePath("admin"), extraHTTPHeaders: headers });
    const response = await context.post("/api/users", { data: user });
    expect(response.status(), JSON.stringify(headers)).toBe(403);
    expect((await response.json()).error).toMatch(/cannot change anything here|no Origin header/);
    await context.dispose();
  }
  const admin = await playwrightRequest.newContext({ baseURL, storageState: storageStatePath("admin"), extraHTTPHeaders: { origin: baseURL! } });
  expect(((await (await admin.get("/api/users")).json()).users as { email: string }[]).map((u) => u.email)).not.toContain(email);
  await admin.dispose();
});

test("the studio's own pages keep working in a browser that adds no Origin of its own", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStatePath("admin"), extraHTTPHeaders: {} });
  const page = await context.newPage();
  await page.goto("/users");
  const email = `${uniqueName("own-page")}@e2e.test`;
  await addPersonInBrowser(page, { name: "Own Page", email, role: "viewer", password: "a-long-enough-password" });
  await expect(page.getByRole("status")).toHaveText(`${email} can now sign in as viewer.`);
  await context.close();
});

async function datasetIdOf(name: string): Promise<number> {
  const { closeDb, getPool } = await e2eDatabase();
  const { rows } = await (await getPool()).query<{ id: number }>("SELECT id FROM datasets WHERE name = $1", [name]);
  await closeDb();
  return rows[0].id;
}
