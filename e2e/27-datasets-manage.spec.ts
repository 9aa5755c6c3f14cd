// An admin renames a dataset and deletes it from the Datasets page, with the keyboard: the delete waits for the name
// typed out, and the audit log says what went.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { datasetRow, importThroughApi, screenshot, uniqueName } from "./helpers";

test("rename a dataset, then delete it after typing its name", async ({ page, request }) => {
  const name = uniqueName("manage");
  const imported = await importThroughApi(request, { body: readFileSync("e2e/fixtures/xlam-simple-python.jsonl"), dataset: name, fileName: "x.jsonl" });
  await page.goto("/datasets");

  await page.getByRole("button", { name: `Rename ${name}` }).click();
  const rename = page.getByRole("dialog", { name: `Rename ${name}` });
  await expect(rename.getByLabel("New name")).toBeFocused();
  const renamed = `${name}-renamed`;
  await page.keyboard.press("End");
  await page.keyboard.type("-renamed");
  await page.keyboard.press("Enter");
  await expect(rename).toBeHidden();
  await expect(datasetRow(page, renamed)).toBeVisible();
  await expect(datasetRow(page, name)).toHaveCount(0);

  await page.getByRole("button", { name: `Delete ${renamed}` }).click();
  const remove = page.getByRole("dialog", { name: `Delete ${renamed}` });
  await expect(remove).toContainText(`${imported.inserted} samples`);
  const confirm = remove.getByRole("button", { name: "Delete the dataset" });
  await expect(confirm).toBeDisabled();
  await page.keyboard.type(renamed.slice(0, -1));
  await expect(confirm).toBeDisabled();
  await page.keyboard.press("Enter");
  await expect(remove).toBeVisible();
  await page.keyboard.type(renamed.slice(-1));
  await expect(confirm).toBeEnabled();
  await screenshot(page, "dataset-delete", { fullPage: false });
  await page.keyboard.press("Enter");
  await expect(remove).toBeHidden();
  await expect(datasetRow(page, renamed)).toHaveCount(0);

  await page.goto("/audit?action=dataset.");
  await expect(page.getByText(`Deleted ${renamed}: ${imported.inserted} samples, 0 runs`)).toBeVisible();
  await expect(page.getByText(`Renamed ${name} to ${renamed}`)).toBeVisible();
});
