import { readFileSync, writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E_UPLOAD_MAX_BYTES } from "./env";
import { datasetRow, fixture, importInBrowser, screenshot, uniqueName } from "./helpers";

test.beforeEach(async ({ page }) => {
  await page.goto("/datasets");
});

test("an xLAM file is imported and its dataset appears with the right count", async ({ page }) => {
  const name = uniqueName("xlam");
  const panel = await importInBrowser(page, { file: fixture("xlam-simple-python.jsonl"), dataset: name });

  await expect(panel.getByText(`Imported xlam-simple-python.jsonl into ${name}`)).toBeVisible();
  await expect(panel.getByTestId("import-inserted")).toHaveText("12");
  await expect(panel.getByTestId("import-duplicates")).toHaveText("0");
  await expect(panel.getByTestId("import-rejected")).toHaveText("0");

  const row = datasetRow(page, name);
  await expect(row.getByTestId("dataset-total")).toHaveText("12");
  await expect(row.locator('[data-status="pending"]')).toContainText("12");
  await expect(row).toContainText("+12 new");
  await screenshot(page, "import-xlam");
});

test("importing the same file again adds nothing: every record is a duplicate", async ({ page }) => {
  const name = uniqueName("reimport");
  await importInBrowser(page, { file: fixture("xlam-simple-python.jsonl"), dataset: name });
  await expect(page.getByTestId("import-inserted")).toHaveText("12");

  const panel = await importInBrowser(page, { file: fixture("xlam-simple-python.jsonl"), dataset: name });
  await expect(panel.getByTestId("import-inserted")).toHaveText("0");
  await expect(panel.getByTestId("import-duplicates")).toHaveText("12");
  await expect(panel.getByTestId("import-rejected")).toHaveText("0");
  await expect(datasetRow(page, name).getByTestId("dataset-total")).toHaveText("12");
  await expect(datasetRow(page, name)).toContainText("12 dup.");
});

test("a bad line is listed with its line number and field; the good lines are kept", async ({ page }) => {
  const name = uniqueName("malformed");
  const panel = await importInBrowser(page, { file: fixture("xlam-one-bad-line.jsonl"), dataset: name });

  await expect(panel.getByTestId("import-inserted")).toHaveText("4");
  await expect(panel.getByTestId("import-rejected")).toHaveText("1");
  const errors = panel.getByTestId("import-error");
  await expect(errors).toHaveCount(1);
  await expect(errors.first()).toContainText("Line 3");
  await expect(errors.first().locator("code")).toHaveText(/^query/);
  await expect(datasetRow(page, name).getByTestId("dataset-total")).toHaveText("4");
  await screenshot(page, "import-one-bad-line");
});

test("strict mode imports nothing when a line is bad", async ({ page }) => {
  const name = uniqueName("strict");
  const panel = await importInBrowser(page, { file: fixture("xlam-one-bad-line.jsonl"), dataset: name, strict: true });
  await expect(panel.getByText("Nothing was imported", { exact: true })).toBeVisible();
  await expect(panel.getByTestId("import-inserted")).toHaveText("0");
  await expect(panel.getByTestId("import-error").first()).toContainText("Line 3");
  await expect(datasetRow(page, name)).toHaveCount(0);
});

test("a file that is not JSON gets a clear error and creates nothing", async ({ page, request }) => {
  const name = uniqueName("notjson");
  const panel = await importInBrowser(page, { file: fixture("not-json.csv"), dataset: name });

  await expect(panel.getByText("Nothing was imported", { exact: true })).toBeVisible();
  await expect(panel.getByRole("alert")).toContainText(/line 1/);
  await expect(panel.getByTestId("import-inserted")).toHaveCount(0);
  await screenshot(page, "import-not-json");
  await page.reload();
  await expect(datasetRow(page, name)).toHaveCount(0);
  expect((await request.get(`/api/datasets/${name}/export?format=funreason`)).status()).toBe(404);
});

test("a BFCL file is imported with its possible_answer file", async ({ page }) => {
  const name = uniqueName("bfcl");
  const panel = await importInBrowser(page, {
    file: fixture("bfcl-live-simple.jsonl"),
    dataset: name,
    format: "bfcl",
    answers: fixture("bfcl-live-simple.possible_answer.jsonl"),
  });
  await expect(panel.getByTestId("import-inserted")).toHaveText("8");
  await expect(panel.getByTestId("import-rejected")).toHaveText("0");
  await expect(datasetRow(page, name).getByTestId("dataset-total")).toHaveText("8");
});

test("a file over the size limit is refused in the browser before any upload", async ({ page }) => {
  let uploads = 0;
  page.on("request", (request) => {
    if (request.url().includes("/api/import")) uploads++;
  });
  const panel = page.locator("#import");
  // A file on disk (Chromium reads it only if sent): handing the browser a buffer this size is slow.
  const tooBig = test.info().outputPath("too-big.jsonl");
  writeFileSync(tooBig, Buffer.alloc(E2E_UPLOAD_MAX_BYTES + 1, "\n"));
  await panel.getByLabel("File", { exact: true }).setInputFiles(tooBig);
  await expect(panel.getByText(`over the ${E2E_UPLOAD_MAX_BYTES.toLocaleString("en-US")}-byte upload limit`, { exact: false })).toBeVisible();
  await panel.getByLabel("Dataset name").fill(uniqueName("too-big"));
  await panel.getByRole("button", { name: "Import" }).click();
  await expect(panel.getByLabel("File", { exact: true })).toBeFocused();
  await expect(panel.getByText(/npm run studio -- import/)).toBeVisible();
  expect(uploads).toBe(0);
  await screenshot(page, "import-too-large");
});

test("the server refuses a body over the size limit with 413", async ({ request }) => {
  const name = uniqueName("too-big");
  const response = await request.post(`/api/import?dataset=${name}&fileName=too-big.jsonl`, {
    data: Buffer.alloc(E2E_UPLOAD_MAX_BYTES + 1, "\n"),
    headers: { "Content-Type": "application/octet-stream" },
  });
  expect(response.status()).toBe(413);
  expect((await response.json()).error).toMatch(/larger than the upload limit of 16 MiB/);
  expect((await request.get(`/api/datasets/${name}/export`)).status()).toBe(404);
});

test("the server validates the dataset name and format", async ({ request }) => {
  const body = readFileSync(fixture("xlam-simple-python.jsonl"));
  const headers = { "Content-Type": "application/octet-stream" };
  const tooLong = await request.post(`/api/import?dataset=${"x".repeat(101)}`, { data: body, headers });
  expect(tooLong.status()).toBe(400);
  expect((await tooLong.json()).error).toMatch(/longer than 100 characters/);

  const blank = await request.post(`/api/import?dataset=%20%20`, { data: body, headers });
  expect(blank.status()).toBe(400);
  expect((await blank.json()).error).toMatch(/dataset name is empty/);

  const badFormat = await request.post(`/api/import?dataset=${uniqueName("fmt")}&format=csv`, { data: body, headers });
  expect(badFormat.status()).toBe(400);
  expect((await badFormat.json()).error).toMatch(/format must be one of/);
});
