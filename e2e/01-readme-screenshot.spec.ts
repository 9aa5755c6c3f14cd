import path from "node:path";
import { expect, test } from "@playwright/test";
import { datasetRow, fixture, importInBrowser, screenshot } from "./helpers";

// Runs before the other import tests, so the page shows a few tidy datasets rather than every test's. Fixed names:
// a re-run against a kept database only adds duplicates.
// The committed README image (docs/screenshot-datasets.png) is rewritten only on request; e2e/global-setup.ts then
// empties the e2e database first:   E2E_README_SCREENSHOT=1 npm run test:e2e
test("the datasets page with a few imports (README screenshot)", async ({ page }) => {
  await page.goto("/datasets");
  await importInBrowser(page, {
    file: fixture("bfcl-live-simple.jsonl"),
    dataset: "bfcl-live-simple",
    format: "bfcl",
    answers: fixture("bfcl-live-simple.possible_answer.jsonl"),
  });
  await expect(datasetRow(page, "bfcl-live-simple")).toBeVisible();
  await importInBrowser(page, { file: fixture("xlam-simple-python.jsonl"), dataset: "xlam-simple-python" });
  await expect(datasetRow(page, "xlam-simple-python")).toBeVisible();
  await importInBrowser(page, { file: fixture("xlam-one-bad-line.jsonl"), dataset: "xlam-simple-python" });
  await expect(page.getByTestId("import-error")).toHaveCount(1);

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await screenshot(page, "datasets");
  if (process.env.E2E_README_SCREENSHOT) {
    await page.screenshot({ path: path.join(import.meta.dirname, "..", "docs", "screenshot-datasets.png"), fullPage: true });
  }
});
