// Self-refinement rounds over the BFCL demo, as an admin runs them: from the Rounds page (two rounds, the second
// compared with the first, the chart, the drill-down to an answer the pipeline passed although it differs from the
// reference, and that answer's review page with the reference beside it) and from the CLI (`studio round start`
// twice, `studio round list`). The e2e fake LLM plays the policy model (it knows the BFCL fixtures' answers).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { E2E_LLM_PORT, e2eDatabaseEnv } from "./env";
import { e2eDatabase, screenshot, uniqueName } from "./helpers";

const exec = promisify(execFile);
// A round over the whole demo is a few thousand answers, each through the stages.
test.setTimeout(600_000);

/** The BFCL demo (every fixture file with its ground truth) as a dataset of its own name. */
async function loadDemo(name: string): Promise<number> {
  const db = await e2eDatabase();
  try {
    const { loadDemoDataset } = await import("../lib/samples/demo");
    const summaries = await loadDemoDataset(name);
    return summaries.reduce((n, s) => n + s.inserted, 0);
  } finally {
    await db.closeDb();
  }
}

/**
 * Deletes the source and its rounds' datasets: a demo is thousands of samples, and the e2e database persists between
 * runs (the review queue and the dashboards of later runs would carry them).
 */
async function removeWithRounds(source: string, rounds: number): Promise<void> {
  const db = await e2eDatabase();
  try {
    const { deleteDataset } = await import("../lib/datasets/manage");
    for (let k = rounds; k >= 1; k--) await deleteDataset(`${source} · round ${k}`, `${source} · round ${k}`, "system");
    await deleteDataset(source, source, "system");
  } finally {
    await db.closeDb();
  }
}

/** `npm run studio -- <args>` against the e2e database and the e2e fake LLM; its last line of JSON. */
async function studio(...args: string[]) {
  const env = { ...process.env, ...e2eDatabaseEnv(), STUDIO_LLM_BASE_URL: `http://127.0.0.1:${E2E_LLM_PORT}/v1`, STUDIO_LLM_MODEL: "fake-judge" };
  const { stdout } = await exec(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/main.ts", ...args], { env, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

test("two rounds over the BFCL demo from the Rounds page: figures, the change between them, the chart and the drill-down", async ({ page }) => {
  const source = uniqueName("rounds-ui");
  const queries = await loadDemo(source);
  expect(queries).toBeGreaterThan(1000);

  await page.goto("/rounds");
  await expect(page.getByRole("link", { name: "Rounds" })).toHaveAttribute("aria-current", "page");
  const form = page.getByRole("form", { name: "Start a round" });
  const table = page.getByRole("table", { name: "Rounds" });
  for (const [k, model] of [[1, "funreason-r1"], [2, "funreason-r2"]] as const) {
    await form.getByLabel("Source dataset").selectOption(source);
    await form.getByLabel("Policy model").fill(model);
    await form.getByRole("button", { name: "Start round" }).click();
    const detail = page.getByTestId("round-detail");
    await expect(detail.getByRole("heading", { name: `${source} · round ${k} · ${model}` })).toBeVisible();
    const row = table.locator(`tbody tr[data-dataset="${source} · round ${k}"]`);
    await expect(row.getByTestId("round-status")).toHaveText("succeeded", { timeout: 300_000 });
    // The detail polls on its own: it says how long the refinement took once it has seen the end.
    await expect(detail).toContainText("refined in");
    // Agreement is about the fake policy's 70%; every stage shows a pass rate.
    const agreement = Number((await row.locator('[data-column="agreement"]').innerText()).replace("%", ""));
    expect(agreement).toBeGreaterThan(55);
    expect(agreement).toBeLessThan(85);
    await expect(row.locator('[data-column="stage-4"]')).toHaveText(/^\d+\.\d%$/);
    await expect(row.locator('[data-column="change"]')).toHaveText(k === 1 ? "—" : /^\+\d+ \/ −\d+$/);
  }

  // The chart has one point per round for each curve.
  const chart = page.getByRole("img", { name: `Agreement and refined set over the rounds of ${source}` });
  await expect(chart.locator('[data-series="agreement"] circle')).toHaveCount(2);
  await expect(chart.locator('[data-series="refinedShare"] circle')).toHaveCount(2);
  await screenshot(page, "rounds", { fullPage: true });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await screenshot(page, "rounds-dark", { fullPage: true });
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  // The committed README images are rewritten only on request (E2E_README_SCREENSHOT=1, see e2e/01-readme-screenshot).
  if (process.env.E2E_README_SCREENSHOT) {
    const docs = path.join(import.meta.dirname, "..", "docs");
    await page.screenshot({ path: path.join(docs, "screenshot-rounds.png"), fullPage: true });
    await page.evaluate(() => document.documentElement.classList.add("dark"));
    await page.screenshot({ path: path.join(docs, "screenshot-rounds-dark.png"), fullPage: true });
    await page.evaluate(() => document.documentElement.classList.remove("dark"));
  }

  // Drill-down: an answer the pipeline passed although it is not the reference's opens with the reference beside it.
  const disagreeing = page.getByRole("list", { name: "Refined answers that disagree with the reference" }).getByRole("listitem");
  await expect(disagreeing.first()).toBeVisible();
  await disagreeing.first().getByRole("link").click();
  const panel = page.getByTestId("round-answer");
  await expect(panel).toContainText("Round 2 answer · funreason-r2");
  await expect(panel).toContainText("differs from the reference");
  await expect(panel.getByTestId("round-reference")).not.toBeEmpty();
  await expect(panel.locator("[data-change]").first()).toBeVisible();
  await screenshot(page, "round-answer", { fullPage: true });
  await removeWithRounds(source, 2);
});

test("two rounds over the BFCL demo from the CLI, listed", async () => {
  const source = uniqueName("rounds-cli");
  await loadDemo(source);
  const first = await studio("round", "start", "--source", source, "--model", "funreason-r1", "--concurrency", "32");
  expect(first).toMatchObject({ command: "round start", round: 1, dataset: `${source} · round 1`, status: "succeeded", rescued: null });
  const second = await studio("round", "start", "--source", source, "--model", "funreason-r2", "--concurrency", "32");
  expect(second).toMatchObject({ round: 2, dataset: `${source} · round 2`, status: "succeeded" });
  expect(second.rescued + second.lost).toBeGreaterThan(0);
  const listed = await studio("round", "list", "--source", source);
  expect(listed.rounds.map((r: { round: number }) => r.round)).toEqual([2, 1]);
  await removeWithRounds(source, 2);
});
