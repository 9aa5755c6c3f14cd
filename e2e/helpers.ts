import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { e2eDatabaseEnv } from "./env";

export const FIXTURES = path.join(import.meta.dirname, "fixtures");
export const fixture = (name: string) => path.join(FIXTURES, name);

/**
 * Presses `key` until the page goes to `url`. A key pressed before the page has hydrated does nothing, as for a person
 * whose page is still loading; pressing again is safe where the key's action is idempotent (a queue claim is).
 */
export async function pressUntilUrl(page: Page, key: string, url: RegExp) {
  await expect(async () => {
    await page.keyboard.press(key);
    await expect(page).toHaveURL(url, { timeout: 5_000 });
  }).toPass({ timeout: 45_000 });
}

/** Waits until the sample on screen takes keys (its review studio has hydrated). */
export async function sampleReady(page: Page) {
  await expect(page.locator("[data-sample][data-ready]")).toBeVisible();
}

/** Screenshots for humans to look at; test-results/ is git-ignored and cleared on each run. */
export const SCREENSHOTS = path.join(import.meta.dirname, "..", "test-results", "screenshots");

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The side nav is sticky: a full-page capture of a scrolled page would draw it half-way down.
  if (options.fullPage ?? true) await page.evaluate(() => window.scrollTo(0, 0));
  // A picture for people, not an assertion: a capture Chromium does not finish (seen once in CI, a full page that had
  // rendered and passed every check) is reported and the test goes on.
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? true, timeout: 20_000 }).catch((error: Error) => {
    console.warn(`screenshot ${name} was not taken: ${error.message.split("\n")[0]}`);
  });
}

/**
 * The studio's own database code on the e2e server's database (as global-setup.ts reaches it), for a spec that sets
 * up what no page can (a decision recorded elsewhere, a state only a bug would reach).
 */
export async function e2eDatabase() {
  const env = e2eDatabaseEnv();
  if (env.DATABASE_URL) process.env.DATABASE_URL = env.DATABASE_URL;
  else delete process.env.DATABASE_URL;
  process.env.STUDIO_PG_PORT = env.STUDIO_PG_PORT;
  process.env.STUDIO_PG_DATA = env.STUDIO_PG_DATA;
  return import("../lib/db/client");
}

/** A dataset name no other test (or earlier run) uses. */
export function uniqueName(prefix: string): string {
  return `e2e-${prefix}-${randomBytes(3).toString("hex")}`;
}

/** The datasets table's row of one dataset. */
export const datasetRow = (page: Page, name: string) => page.locator(`tr[data-dataset="${name}"]`);

/** Fills the Import panel on /datasets and submits it; resolves once the result (summary or error) shows. */
export async function importInBrowser(
  page: Page,
  options: { file: string; dataset: string; format?: "auto" | "xlam" | "bfcl" | "chat"; answers?: string; strict?: boolean },
) {
  const panel = page.locator("#import");
  const clear = panel.getByRole("button", { name: "Clear" });
  if (await clear.isVisible()) await clear.click();
  await panel.getByLabel("File", { exact: true }).setInputFiles(options.file);
  await panel.getByLabel("Dataset name").fill(options.dataset);
  await panel.getByLabel("Format").selectOption(options.format ?? "auto");
  if (options.answers) await panel.getByLabel(/possible_answer file/).setInputFiles(options.answers);
  if (options.strict) await panel.getByLabel(/Strict/).check();
  await panel.getByRole("button", { name: "Import" }).click();
  await expect(panel.getByTestId("import-summary").or(panel.getByRole("alert")).first()).toBeVisible();
  return panel;
}

/** Imports through the HTTP API (for test setup) and returns the import's summary. */
export async function importThroughApi(
  request: APIRequestContext,
  options: { body: Buffer; dataset: string; fileName: string; format?: string },
) {
  const query = new URLSearchParams({ dataset: options.dataset, fileName: options.fileName, format: options.format ?? "auto" });
  const response = await request.post(`/api/import?${query}`, { data: options.body, headers: { "Content-Type": "application/octet-stream" } });
  expect(response.status()).toBe(200);
  return (await response.json()) as { ok: boolean; inserted: number; duplicates: number; rejected: number };
}

/**
 * A browser of its own, signed in as a new annotator made for this test through the Users API (as the admin):
 * nothing an earlier test or run left (claims, decisions) is theirs. Returns the page and their email.
 */
export async function freshAnnotator(browser: Browser, admin: APIRequestContext, prefix: string): Promise<{ page: Page; name: string }> {
  const email = `${uniqueName(prefix)}@e2e.test`;
  const password = "fresh-annotator-password";
  const created = await admin.post("/api/users", { data: { email, name: prefix, role: "annotator", password } });
  expect(created.status()).toBe(201);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const signIn = await context.request.post("/api/auth/sign-in/email", { data: { email, password }, headers: { origin: new URL(created.url()).origin } });
  expect(signIn.status()).toBe(200);
  return { page: await context.newPage(), name: email };
}

/** Fills the Users page's "Add a person" form and sends it (no password: the studio makes one); returns the form. */
export async function addPersonInBrowser(page: Page, person: { name: string; email: string; role: string; password?: string }) {
  const form = page.getByRole("form", { name: "Add a person" });
  await form.getByLabel("Name").fill(person.name);
  await form.getByLabel("Email").fill(person.email);
  await form.getByLabel("Role").selectOption(person.role);
  if (person.password !== undefined) await form.getByLabel("Password").fill(person.password);
  await form.getByRole("button", { name: "Add" }).click();
  return form;
}

/** The same screenshot in the light theme and the dark one (`<name>-dark`). */
export async function screenshotLightAndDark(page: Page, name: string) {
  await screenshot(page, name);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(500); // the colours' transition
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: "light" });
}

/** Three samples without a CoT (weather in Lyon, Paris, Rome): a full run has the teacher write one, then judges 2–4. */
export async function importWeatherSamples(request: APIRequestContext, dataset: string) {
  const tools = JSON.stringify([{ name: "get_weather", description: "Current weather for a city.", parameters: { city: { type: "str", description: "The city name." } } }]);
  const lines = ["Lyon", "Paris", "Rome"].map((city, i) => JSON.stringify({ id: i + 1, query: `What is the weather in ${city}?`, tools, answers: JSON.stringify([{ name: "get_weather", arguments: { city } }]) }));
  await importThroughApi(request, { dataset, fileName: `${dataset}.jsonl`, body: Buffer.from(`${lines.join("\n")}\n`) });
}

/** The Runs page's form, set for a full run of `dataset` without stage 0. */
export async function fullRunForm(page: Page, dataset: string) {
  await page.goto("/runs");
  const form = page.getByRole("form", { name: "Start a run" });
  await form.getByLabel("Dataset").selectOption(dataset);
  await form.getByLabel("Stages").selectOption("all");
  await form.getByRole("checkbox", { name: /Duplicates & Contamination/ }).uncheck();
  return form;
}
