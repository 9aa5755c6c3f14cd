import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { e2eDatabase, importThroughApi, screenshot, uniqueName } from "./helpers";

const TOOLS = [
  {
    name: "get_weather",
    description: "Current weather for a city.",
    parameters: {
      city: { description: "The city name.", type: "str", default: "" },
      units: { description: "metric or imperial.", type: "str, optional", default: "metric" },
    },
  },
];

/** xLAM lines: tools and answers as JSON strings, like the original file. */
function xlamFile(records: Array<{ query: string; calls: object[] }>): Buffer {
  const lines = records.map((r, i) => JSON.stringify({ id: i, query: r.query, tools: JSON.stringify(TOOLS), answers: JSON.stringify(r.calls) }));
  return Buffer.from(`${lines.join("\n")}\n`);
}

const good = (city: string, extra = "") => ({ query: `What is the weather in ${city}?${extra}`, calls: [{ name: "get_weather", arguments: { city } }] });

async function startRun(request: APIRequestContext, dataset: string, stages: "rules" | "all"): Promise<number> {
  const response = await request.post("/api/runs", { data: { dataset, stages } });
  expect(response.status()).toBe(201);
  return (await response.json()).runId as number;
}

async function runStatus(request: APIRequestContext, runId: number): Promise<string> {
  return (await (await request.get(`/api/runs/${runId}`)).json()).run.status;
}

/** Reviewer decisions recorded without going through the review page, which other specs test. */
async function reviewerDecisions() {
  const { closeDb, getPool } = await e2eDatabase();
  const { decideOne } = await import("../lib/review/decisions");
  return { closeDb, getPool, decideOne };
}

const stageRow = (page: Page, stage: number) => page.locator(`[data-testid="funnel-stage"][data-stage="${stage}"]`);
const endCount = (page: Page, status: string) => page.locator(`[data-testid="funnel-end"][data-status="${status}"]`);

test("after a rules run the dataset's funnel and failure reasons show the right numbers", async ({ page, request }) => {
  const name = uniqueName("dash");
  // 4 good samples; 2 call a function the tools do not offer (stage 2's rule discards them); 1 passes an argument
  // the tool does not take (stage 4's rule fails it, and a rules-only run leaves it pending for regeneration).
  const summary = await importThroughApi(request, {
    dataset: name,
    fileName: "dashboard.jsonl",
    body: xlamFile([
      good("Lyon"),
      good("Oslo"),
      good("Lima"),
      good("Pune"),
      { query: "Forecast for Rome?", calls: [{ name: "get_forecast", arguments: { city: "Rome" } }] },
      { query: "Forecast for Nice?", calls: [{ name: "get_forecast", arguments: { city: "Nice" } }] },
      { query: "Weather in Bern in blue?", calls: [{ name: "get_weather", arguments: { city: "Bern", colour: "blue" } }] },
    ]),
  });
  expect(summary.inserted).toBe(7);
  const runId = await startRun(request, name, "rules");
  await expect.poll(() => runStatus(request, runId), { timeout: 45_000 }).toBe("succeeded");

  await page.goto(`/dashboard?dataset=${encodeURIComponent(name)}`);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.getByLabel("Dataset")).toHaveValue(name);

  await expect(page.getByTestId("funnel-imported")).toHaveAttribute("data-count", "7");
  const expected = {
    1: { reached: 7, pass: 7, fail: 0 },
    2: { reached: 7, pass: 5, fail: 2 },
    // Stages 3 and 5 check the CoT, which a rules run does not write.
    3: { reached: 0, pass: 0, fail: 0 },
    4: { reached: 5, pass: 4, fail: 1 },
    5: { reached: 0, pass: 0, fail: 0 },
  };
  for (const [stage, counts] of Object.entries(expected)) {
    const row = stageRow(page, Number(stage));
    await expect(row).toHaveAttribute("data-reached", String(counts.reached));
    await expect(row).toHaveAttribute("data-pass", String(counts.pass));
    await expect(row).toHaveAttribute("data-fail", String(counts.fail));
  }
  await expect(stageRow(page, 2)).toContainText("71%");
  await expect(endCount(page, "discarded")).toHaveAttribute("data-count", "2");
  await expect(endCount(page, "pending")).toHaveAttribute("data-count", "5");
  await expect(endCount(page, "saved")).toHaveAttribute("data-count", "0");
  // The chart draws one bar per step.
  await expect(page.getByRole("figure", { name: "Samples per stage, by outcome" }).locator(".recharts-bar-rectangle").first()).toBeVisible();

  const reasons = page.getByTestId("failure-reason");
  await expect(reasons).toHaveCount(1);
  const reason = reasons.first();
  await expect(reason).toHaveAttribute("data-code", "rule:tool-names");
  await expect(reason).toHaveAttribute("data-count", "2");
  await expect(reason).toContainText("Rule tool-names");
  await expect(reason).toContainText("Discarded");
  await expect(reason).toContainText(/get_forecast, which is not among the tools/);
  await expect(page.getByTestId("failure-stage")).toHaveAttribute("data-stage", "2");

  // Rules use no LLM; nobody decided anything on this dataset.
  await expect(page.getByText("No LLM tokens yet")).toBeVisible();
  await expect(page.getByText("No human decisions on judged samples yet")).toBeVisible();
  await expect(page.getByText("No run in progress.")).toBeVisible();
  await screenshot(page, "dashboard-rules-run");

  // The example links to its sample, which says why it was discarded.
  await reason.getByRole("link").click();
  await expect(page).toHaveURL(/\/samples\/\d+$/);
  await expect(page.getByText(/get_forecast, which is not among the tools/).first()).toBeVisible();
  await page.goBack();

  // Back to every dataset: the URL says so, and this dataset's samples are part of the total.
  await page.getByLabel("Dataset").selectOption("");
  await expect(page).toHaveURL(/\/dashboard$/);
  const total = Number(await page.getByTestId("funnel-imported").getAttribute("data-count"));
  expect(total).toBeGreaterThanOrEqual(7);
});

test("a full run is followed live, then its judge tokens show", async ({ page, request }) => {
  const name = uniqueName("dash-live");
  // Every judge and teacher answer takes a while, so the run is still going when the page looks.
  const slow = " [[fake:slow=1500]]";
  const summary = await importThroughApi(request, { dataset: name, fileName: "live.jsonl", body: xlamFile([good("Kyiv", slow), good("Baku", slow)]) });
  expect(summary.inserted).toBe(2);

  await page.goto(`/dashboard?dataset=${encodeURIComponent(name)}`);
  await expect(endCount(page, "pending")).toHaveAttribute("data-count", "2");
  await expect(page.getByText("No run in progress.")).toBeVisible();

  const runId = await startRun(request, name, "all");
  await page.reload();
  const live = page.locator(`[data-testid="live-run"][data-run="${runId}"]`);
  await expect(live).toBeVisible();
  await expect(live.getByRole("progressbar")).toHaveAttribute("aria-valuetext", /\/ 2$/);
  await expect(page.getByText("Updating every 3 seconds.")).toBeVisible();
  await screenshot(page, "dashboard-live-run");

  // The page refreshes itself while the run goes on, and until it is over.
  await expect(live).toHaveCount(0, { timeout: 45_000 });
  await expect(endCount(page, "saved")).toHaveAttribute("data-count", "2");
  await expect(stageRow(page, 3)).toHaveAttribute("data-pass", "2");
  await expect(page.locator(`[data-testid="token-run"][data-run="${runId}"]`)).toBeVisible();
  await expect(page.getByRole("figure", { name: "Judge tokens per stage" })).toBeVisible();

  // A reviewer approves one sample (agreeing with the judge everywhere) and discards the other for stage 4, which
  // the judge had passed: stage 4 ends at 1 agreement out of 2.
  const db = await reviewerDecisions();
  try {
    const { rows } = await (await db.getPool()).query<{ id: number; version: number }>(
      `SELECT s.id, s.version FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = $1 ORDER BY s.id`,
      [name],
    );
    const author = "human:e2e-dashboard";
    expect(await db.decideOne({ sampleId: rows[0].id, expectedVersion: rows[0].version }, { action: "approve", author })).toMatchObject({ ok: true });
    const discard = { action: "discard", author, reason: "wrong city", stage: 4 } as const;
    expect(await db.decideOne({ sampleId: rows[1].id, expectedVersion: rows[1].version }, discard)).toMatchObject({ ok: true });
  } finally {
    await db.closeDb();
  }
  await page.reload();
  const agreement = (stage: number) => page.locator(`[data-testid="agreement-stage"][data-stage="${stage}"]`);
  await expect(agreement(2)).toHaveAttribute("data-rate", "100");
  await expect(agreement(4)).toHaveAttribute("data-decisions", "2");
  await expect(agreement(4)).toHaveAttribute("data-rate", "50");
  await expect(agreement(4)).toHaveAttribute("data-overrides", "1");
  await expect(agreement(4)).toContainText("1 too lenient");
  await expect(page.locator('[data-testid="decision-total"][data-action="approve"]')).toHaveAttribute("data-count", "1");
  await expect(page.locator('[data-testid="decision-total"][data-action="discard"]')).toHaveAttribute("data-count", "1");
  await expect(page.getByRole("figure", { name: "Human decisions per day, by action" }).locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(endCount(page, "saved")).toHaveAttribute("data-count", "1");
  await expect(endCount(page, "discarded")).toHaveAttribute("data-count", "1");
  await expect(page.locator('[data-testid="failure-reason"][data-code="human"]')).toContainText("Reviewer");
  await screenshot(page, "dashboard");
});

test("an unknown dataset is said so, with the way back", async ({ page }) => {
  await page.goto(`/dashboard?dataset=${uniqueName("missing")}`);
  await expect(page.getByRole("alert").filter({ hasText: "There is no dataset named" })).toContainText("It may have been renamed or deleted.");
  await page.getByRole("link", { name: "Show all datasets" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 2, name: "Pipeline funnel" })).toBeVisible();
  await screenshot(page, "dashboard-all");
});
