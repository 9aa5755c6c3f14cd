// Calibrating a judge from the Calibration page, as an admin would before a large run: people decided four samples;
// the judge (the built-in fake, which fails stage 2 when no tool shares a word with the query) is asked about the
// same four; the page shows where it agrees, the sample where it does not, and a second calibration compared, while it
// is still judging and once it is done.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { e2eDatabase, importThroughApi, screenshot, screenshotLightAndDark, uniqueName } from "./helpers";

const TOOLS = [{ name: "get_weather", description: "Current weather for a city.", parameters: { city: { description: "The city name.", type: "str" } } }];

test("an admin calibrates the stage-2 judge on the people's decisions, reads the disagreement and compares two calibrations", async ({ page, request }) => {
  const dataset = uniqueName("calib");
  const records = [
    { query: "What is the weather in Paris?", calls: [{ name: "get_weather", arguments: { city: "Paris" } }] },
    { query: "What is the weather in Rome?", calls: [{ name: "get_weather", arguments: { city: "Rome" } }] },
    { query: "Bake me a chocolate cake recipe", calls: [{ name: "get_weather", arguments: { city: "Bake" } }] },
    // Slow for the second calibration's model only: that one is still judging when the two are compared.
    { query: "Sing a lullaby for Oslo [[fake:slow=8000@model=judge-slow]]", calls: [{ name: "get_weather", arguments: { city: "Oslo" } }] },
  ];
  const body = Buffer.from(records.map((r, i) => JSON.stringify({ id: i, query: r.query, tools: JSON.stringify(TOOLS), answers: JSON.stringify(r.calls) })).join("\n") + "\n");
  await importThroughApi(request, { dataset, fileName: "calibration.jsonl", body });

  // The people's decisions: the two weather questions approved, the cake discarded for stage 2, and the lullaby
  // approved (a person the judge will disagree with).
  const db = await e2eDatabase();
  const { decideOne } = await import("../lib/review/decisions");
  let lullaby: number;
  try {
    const pool = await db.getPool();
    const { rows } = await pool.query<{ id: number; version: number }>(
      `UPDATE samples s SET status = 'passed', cot = 'The query names what the call needs.' FROM datasets d
       WHERE d.id = s.dataset_id AND d.name = $1 RETURNING s.id, s.version`,
      [dataset],
    );
    rows.sort((a, b) => a.id - b.id);
    const author = "human:e2e-calibration";
    for (const i of [0, 1, 3]) expect(await decideOne({ sampleId: rows[i].id, expectedVersion: rows[i].version }, { action: "approve", author })).toMatchObject({ ok: true });
    expect(await decideOne({ sampleId: rows[2].id, expectedVersion: rows[2].version }, { action: "discard", author, reason: "not about weather", stage: 2 })).toMatchObject({ ok: true });
    lullaby = rows[3].id;
  } finally {
    await db.closeDb();
  }

  await page.goto("/calibration");
  await expect(page.getByRole("link", { name: "Calibration" })).toHaveAttribute("aria-current", "page");
  const form = page.getByRole("form", { name: "Calibrate a judge" });
  await form.getByLabel("Dataset").selectOption(dataset);
  await form.getByLabel("Stage").selectOption("2");
  await form.getByRole("button", { name: "Calibrate" }).click();

  const detail = page.getByTestId("calibration-detail");
  await expect(detail.getByRole("heading", { name: new RegExp(`${dataset} · stage 2`) })).toBeVisible();
  await expect(detail).toContainText("4 of 4 samples judged", { timeout: 30_000 });
  await expect(detail.locator('[data-metric="Agreement"]')).toHaveText("75.0%");
  await expect(detail.locator('[data-metric="Precision of fail"]')).toHaveText("50.0%");
  await expect(detail.locator('[data-metric="Recall of fail"]')).toHaveText("100.0%");
  await expect(detail.locator('[data-cell="false-alarm"]')).toHaveText("1");
  const disagreements = detail.getByRole("list", { name: "Disagreements" }).getByRole("listitem");
  await expect(disagreements).toHaveCount(1);
  await expect(disagreements.first()).toContainText("Sing a lullaby for Oslo");
  await expect(disagreements.first()).toContainText("people: approved · judge: fail");
  await screenshot(page, "calibration", { fullPage: true });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await screenshot(page, "calibration-dark", { fullPage: true });
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  // The committed README image is rewritten only on request (E2E_README_SCREENSHOT=1, see e2e/01-readme-screenshot).
  if (process.env.E2E_README_SCREENSHOT) await page.screenshot({ path: path.join(import.meta.dirname, "..", "docs", "screenshot-calibration.png"), fullPage: true });

  // The disagreement opens the sample, untouched: still approved.
  await disagreements.first().getByRole("link", { name: `#${lullaby}` }).click();
  await expect(page.getByTestId("sample-status")).toContainText("Approved");

  // A second calibration, of another model (the same fake judge, slow on the lullaby): compared while it is still
  // judging, the page gives no verdict, and it follows the second calibration to the end.
  await page.goto("/calibration");
  await form.getByLabel("Dataset").selectOption(dataset);
  await form.getByLabel("Stage").selectOption("2");
  await form.getByLabel("Judge model").fill("judge-slow");
  await form.getByRole("button", { name: "Calibrate" }).click();
  const rows = page.getByRole("table", { name: "Calibrations" }).locator("tbody tr").filter({ hasText: dataset });
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("judge-slow");
  await rows.nth(0).getByRole("checkbox").check();
  await rows.nth(1).getByRole("checkbox").check();
  const comparison = page.getByTestId("calibration-comparison");
  await expect(comparison.getByTestId("comparison-verdict")).toContainText("is still judging");
  await expect(comparison.getByTestId("comparison-verdict")).not.toContainText("noise");
  await comparison.scrollIntoViewIfNeeded();
  await screenshotLightAndDark(page, "calibration-comparison-judging");
  await expect(comparison.getByTestId("comparison-verdict")).toContainText("within noise", { timeout: 30_000 });
  await expect(comparison).toContainText("Samples compared4");
  await expect(comparison).toContainText("judge-slow75.0%");
  await screenshotLightAndDark(page, "calibration-comparison");
  await expect(page.getByTestId("calibration-detail")).toContainText("4 of 4 samples judged");
});
