import { expect, test } from "@playwright/test";
import { fullRunForm, importWeatherSamples, screenshotLightAndDark as both, uniqueName } from "./helpers";

// Prices are settings of the whole e2e server: remove them afterwards, so other specs see no cost.
test.afterEach(async ({ request }) => {
  expect((await request.put("/api/settings/prices", { data: { prices: [] } })).status()).toBe(200);
});

test("an admin prices the models in Settings; the run form estimates a run's cost, and the finished run shows its tokens and cost per stage", async ({ page, request }) => {
  await page.goto("/settings");
  const prices = page.getByRole("form", { name: "Model prices" });
  await expect(prices.getByText("No prices yet")).toBeVisible();
  await prices.getByRole("button", { name: "Add a model" }).click();
  await prices.getByLabel("Model 1", { exact: true }).fill("fake-judge");
  await prices.getByLabel("Input price of model 1", { exact: true }).fill("2.5");
  await prices.getByLabel("Cached input price of model 1", { exact: true }).fill("1.25");
  await prices.getByLabel("Output price of model 1", { exact: true }).fill("10");
  await prices.getByRole("button", { name: "Add a model" }).click();
  await prices.getByLabel("Model 2", { exact: true }).fill("fake-teacher");
  await prices.getByLabel("Output price of model 2", { exact: true }).fill("0.6");
  // A price left empty is refused by the server, naming the field beside it, and nothing is saved.
  await prices.getByRole("button", { name: "Save prices" }).click();
  await expect(prices.locator('tr[data-price-row="1"]').getByText("input must be a number")).toBeVisible();
  await prices.getByLabel("Input price of model 2", { exact: true }).fill("0.15");
  await prices.getByRole("button", { name: "Save prices" }).click();
  await expect(prices.getByText("Saved the prices of 2 models.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("form", { name: "Model prices" }).getByLabel("Model 2", { exact: true })).toHaveValue("fake-teacher");
  await page.getByRole("form", { name: "Model prices" }).scrollIntoViewIfNeeded();
  await both(page, "settings-prices");

  // Three samples without a CoT: the teacher writes one for each, then stages 2, 3 and 4 are judged.
  const name = uniqueName("cost");
  await importWeatherSamples(request, name);
  const form = await fullRunForm(page, name);
  const estimate = form.getByTestId("run-estimate");
  await expect(estimate).toContainText("3 samples × 4.0 calls");
  await expect(estimate).toContainText(/about \$0\.\d+/);
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByText("3 samples queued.")).toBeVisible();

  const row = page.locator(`tr[data-dataset="${name}"]`);
  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 45_000 });
  await row.getByRole("button", { name: /^Run #\d+$/ }).click();
  const usage = page.getByRole("table", { name: "LLM usage per stage" });
  for (const stage of [2, 3, 4]) await expect(usage.locator(`tr[data-usage="stage-${stage}"] td`).first()).toHaveText("3");
  await expect(usage.locator('tr[data-usage="teacher"] td').first()).toHaveText("3");
  await expect(usage.locator('tr[data-usage="total"] td').first()).toHaveText("12");
  await expect(usage.locator('tr[data-usage="total"] td[data-cell="cost"]')).toHaveText(/^\$0\.\d+$/);
  // The judges' prompts share their prefix: part of them came from the server's cache.
  await expect(usage.locator('tr[data-usage="stage-3"] td[data-cell="cached"]')).not.toHaveText(/^0/);
  await usage.scrollIntoViewIfNeeded();
  await both(page, "runs-cost");
});
