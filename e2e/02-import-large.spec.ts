// A real-size browser upload (issue 9 §1): a JSON Lines file larger than the 10 MB Next.js once cut request bodies
// to where they passed proxy.ts, uploaded with the page's own file input. Every record must arrive, and the page
// must show the upload (bytes) and the import (records) as they go.
import { stat } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { loadBfclEntries, writeXlamSet } from "../bench/generate-xlam";
import { datasetRow, screenshot, uniqueName } from "./helpers";

/** Next.js's default `proxyClientMaxBodySize`: the size a body passing the proxy used to be cut to. */
const PROXY_BODY_LIMIT = 10 * 1024 * 1024;
const RECORDS = 4_000;

test("a 12 MB JSON Lines upload imports every record, with upload and import progress", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const file = testInfo.outputPath("large-upload.jsonl");
  await writeXlamSet(await loadBfclEntries(path.resolve("fixtures/bfcl")), RECORDS, file, "lines");
  expect((await stat(file)).size).toBeGreaterThan(PROXY_BODY_LIMIT + 1024 * 1024);

  await page.goto("/datasets");
  // A link of 4 MB/s, as from a laptop to a server: the upload takes about 3 s, so the page's polls (every 500 ms)
  // see the records being read. (Over loopback the whole import can fall between two polls.)
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * 1024 * 1024 });
  // The page's first poll can beat the upload to the server, which then answers 404 (no such import yet); the bar
  // must go on asking. Make that the case every time: the first poll is answered as for an import not yet begun.
  let polls = 0;
  await page.route("**/api/import/progress?**", async (route) => {
    if (polls++ > 0) return route.fallback();
    const notYet = new URL(route.request().url());
    notYet.searchParams.set("id", "0".repeat(32));
    const response = await route.fetch({ url: notYet.toString() });
    expect(response.status(), "the server's answer for an import not yet begun").toBe(404);
    await route.fulfill({ response });
  });
  const name = uniqueName("large");
  const panel = page.locator("#import");
  await panel.getByLabel("File", { exact: true }).setInputFiles(file);
  await panel.getByLabel("Dataset name").fill(name);
  await panel.getByRole("button", { name: "Import" }).click();

  // Both bars, and records counted by the server before the import's answer. (That they come while bytes are
  // still being sent, the route's own test shows with a body held back: test/import-upload.test.ts. Here sockets
  // may buffer much of the file, so the upload bar can reach its end first.)
  await expect(panel.getByRole("progressbar", { name: /^Uploading large-upload\.jsonl/ })).toBeVisible();
  const recordsShown = await page
    .waitForFunction(
      () => {
        const records = document.querySelector('[role="progressbar"][aria-label^="Importing"]');
        return /[1-9][\d,]* records/.test(records?.getAttribute("aria-valuetext") ?? "");
      },
      undefined,
      { timeout: 120_000, polling: 50 },
    )
    .then(
      () => true,
      () => false,
    );
  if (recordsShown) await screenshot(page, "import-large-progress");

  // The summary, or the page's own account of why not (its text is then the failure's message).
  const summary = panel.getByTestId("import-summary");
  const failed = panel.getByRole("alert").filter({ hasText: "The import did not run" });
  await expect(summary.or(failed)).toBeVisible({ timeout: 120_000 });
  if (await failed.count()) throw new Error(`the page says the import did not run: ${await failed.innerText()}`);
  await expect(summary.getByText(`Imported large-upload.jsonl into ${name}`)).toBeVisible();
  await expect(panel.getByTestId("import-inserted")).toHaveText(RECORDS.toLocaleString("en-US"));
  await expect(panel.getByTestId("import-total")).toHaveText(RECORDS.toLocaleString("en-US"));
  await expect(panel.getByTestId("import-duplicates")).toHaveText("0");
  await expect(panel.getByTestId("import-rejected")).toHaveText("0");
  await expect(panel.getByTestId("import-error")).toHaveCount(0);
  await expect(datasetRow(page, name).getByTestId("dataset-total")).toHaveText(RECORDS.toLocaleString("en-US"));
  expect(recordsShown, "the import bar showed the records read before the import answered").toBe(true);
});
