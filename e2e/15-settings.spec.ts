import { expect, test, type Page, type Response } from "@playwright/test";
import { E2E_LLM_API_KEY, E2E_LLM_PORT } from "./env";
import { importThroughApi, screenshot, uniqueName } from "./helpers";

// Saved settings apply to the whole e2e server (and persist in its database): put the defaults back afterwards.
test.afterEach(async ({ request }) => {
  expect((await request.delete("/api/settings")).status()).toBe(200);
});

const SAVED_KEY = `sk-e2e-saved-${Date.now()}`;

/** Every response the page receives (documents, RSC payloads, API answers), kept to check for secrets at the end. */
function recordResponses(page: Page): () => Promise<string[]> {
  const bodies: Array<Promise<string>> = [];
  page.on("response", (response: Response) => {
    bodies.push(response.text().catch(() => ""));
  });
  return () => Promise.all(bodies);
}

const field = (page: Page, label: string | RegExp) => page.getByLabel(label, { exact: typeof label === "string" });

test("settings are saved, survive a reload, drive new runs, and the key never reaches the browser", async ({ page, request }) => {
  const responses = recordResponses(page);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  // The environment's values are the defaults, shown as such; its key is set but not shown.
  await expect(page.getByText(`Default: http://127.0.0.1:${E2E_LLM_PORT}/v1, from STUDIO_LLM_BASE_URL`)).toBeVisible();
  await expect(page.getByText("Default: fake-judge, from STUDIO_LLM_MODEL")).toBeVisible();
  await expect(page.getByTestId("api-key-status")).toHaveAttribute("data-set", "true");
  await expect(page.getByTestId("api-key-status")).toHaveText("Set");
  await expect(page.getByText("From STUDIO_LLM_API_KEY.")).toBeVisible();

  await field(page, "Judge model").fill("e2e-judge");
  await field(page, /^Stage 4 model/).fill("e2e-stage4");
  await field(page, /^Concurrency/).fill("3");
  await field(page, /^Rate limit/).fill("600");
  await field(page, "API key").fill(SAVED_KEY);
  await expect(page.getByText("5 unsaved changes")).toBeVisible();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
  await expect(field(page, "API key")).toHaveValue("");

  await page.reload();
  await expect(field(page, "Judge model")).toHaveValue("e2e-judge");
  await expect(field(page, /^Stage 4 model/)).toHaveValue("e2e-stage4");
  await expect(field(page, /^Stage 2 model/)).toHaveValue("");
  await expect(page.getByText("Default: the judge model (e2e-judge)").first()).toBeVisible();
  await expect(field(page, /^Concurrency/)).toHaveValue("3");
  await expect(field(page, /^Rate limit/)).toHaveValue("600");
  await expect(page.getByTestId("api-key-status")).toHaveText("Set");
  await expect(page.getByText("A key is saved here. It is never sent back to the browser.")).toBeVisible();
  await expect(field(page, "API key")).toHaveAttribute("placeholder", /saved/);
  await expect(page.getByText(/Last saved .* by /)).toBeVisible();
  await screenshot(page, "settings");

  // The connection test asks the judge server for its models and names the configured ones it does not list.
  await page.getByRole("button", { name: "Test connection" }).click();
  const connected = page.getByRole("status").filter({ hasText: /Connected in \d+ ms/ });
  await expect(connected).toContainText("lists 2 models.");
  await expect(connected).toContainText("Not listed: e2e-judge, e2e-stage4");
  // …and finds out how the judge model's verdicts will be asked for (the e2e fake takes structured outputs).
  await expect(connected.getByTestId("response-format")).toHaveText("Judges' verdicts are asked for as structured outputs (json_schema).");

  // The runs form starts from the saved defaults…
  await page.goto("/runs");
  const form = page.getByRole("form", { name: "Start a run" });
  await expect(form.getByLabel("Concurrency")).toHaveValue("3");
  await expect(form.getByLabel("Rate limit")).toHaveValue("600");

  // …and a run started now judges with the saved models.
  const name = uniqueName("settings-run");
  const tools = JSON.stringify([{ name: "get_time", description: "Time in a city.", parameters: { city: { type: "str", description: "City." } } }]);
  const line = JSON.stringify({ id: 1, query: "What time is it in Quito?", tools, answers: JSON.stringify([{ name: "get_time", arguments: { city: "Quito" } }]) });
  await importThroughApi(request, { dataset: name, fileName: "one.jsonl", body: Buffer.from(`${line}\n`) });
  const started = await request.post("/api/runs", { data: { dataset: name, stages: "all" } });
  expect(started.status()).toBe(201);
  const { runId } = await started.json();
  const runs = (await (await request.get("/api/runs")).json()).runs as Array<{ id: number; concurrency: number; status: string }>;
  expect(runs.find((r) => r.id === runId)?.concurrency).toBe(3);
  await expect
    .poll(async () => (await request.get(`/api/datasets/${name}/export?format=audit&status=passed,discarded,flagged`)).text(), { timeout: 45_000 })
    .toContain('"llm:e2e-stage4"');

  // Clearing the saved key: the environment's key applies again (same base URL).
  await page.goto("/settings");
  await page.getByRole("button", { name: "Clear the saved key" }).click();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
  await expect(page.getByText("From STUDIO_LLM_API_KEY.")).toBeVisible();

  for (const body of [await page.content(), await (await request.get("/api/settings")).text(), ...(await responses())]) {
    expect(body).not.toContain(E2E_LLM_API_KEY);
    expect(body).not.toContain(SAVED_KEY);
  }
});

test("bad values get an error on their field and nothing is saved", async ({ page, request }) => {
  await page.goto("/settings");
  await field(page, "Base URL").fill("localhost:3000");
  await field(page, /^Timeout/).fill("0");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The settings were not saved" })).toBeVisible();
  await expect(field(page, "Base URL")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Base URL must be an http:// or https:// URL", { exact: true })).toBeVisible();
  await expect(page.getByText("Timeout must be at least 1", { exact: true })).toBeVisible();
  await screenshot(page, "settings-errors");

  // The API names the field too; and nothing was saved.
  const refused = await request.patch("/api/settings", { data: { baseURL: "ftp://nope", concurrency: 99999 } });
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toMatchObject({
    fields: { baseURL: "must be an http:// or https:// URL", concurrency: "must be at most 1024" },
  });
  const settings = (await (await request.get("/api/settings")).json()).settings;
  expect(settings.fields.baseURL.saved).toBeNull();
  expect(settings.updatedAt).toBeNull();

  // A base URL other than the environment's does not get the environment's key: the page says none is in use.
  await page.reload();
  await field(page, "Base URL").fill("http://127.0.0.1:9/v1");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
  await expect(page.getByTestId("api-key-status")).toHaveText("Not set");
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The connection failed" })).toContainText("cannot reach the server");
});
