import { expect, test } from "@playwright/test";
import { fullRunForm, importWeatherSamples, uniqueName } from "./helpers";

test("a run with one judge call for stages 2–4, started from the form: its saving estimated, its calls counted once", async ({ page, request }) => {
  // Three samples without a CoT: the teacher writes one for each, then one call judges stages 2, 3 and 4.
  const name = uniqueName("combined");
  await importWeatherSamples(request, name);
  const form = await fullRunForm(page, name);
  const estimate = form.getByTestId("run-estimate");
  // Per stage (the default): 4 calls a sample, and what one combined call would save.
  await expect(estimate).toContainText("3 samples × 4.0 calls");
  await expect(form.getByTestId("judge-mode-saving")).toContainText("One judge call for stages 2–4 would save 6 calls (4.0 → 2.0 a sample)");
  await form.getByLabel("Judge calls").selectOption({ label: "One judge call for stages 2–4" });
  await expect(estimate).toContainText("3 samples × 2.0 calls");
  await expect(form.getByTestId("judge-mode-saving")).toContainText("One judge call for stages 2–4 saves 6 calls (4.0 → 2.0 a sample)");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByText("3 samples queued.")).toBeVisible();

  const row = page.locator(`tr[data-dataset="${name}"]`);
  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 45_000 });
  await row.getByRole("button", { name: /^Run #\d+$/ }).click();
  const detail = page.getByTestId("run-detail");
  await expect(detail).toContainText("judges: combined (stages 2–4 in one call)");
  const usage = page.getByRole("table", { name: "LLM usage per stage" });
  // The call is counted once, at stage 2; stages 3 and 4 have their share of its tokens.
  await expect(usage.locator('tr[data-usage="stage-2"] td').first()).toHaveText("3");
  for (const stage of [3, 4]) {
    await expect(usage.locator(`tr[data-usage="stage-${stage}"] td`).first()).toHaveText("0");
    await expect(usage.locator(`tr[data-usage="stage-${stage}"] td`).nth(1)).not.toHaveText("0");
  }
  await expect(usage.locator('tr[data-usage="total"] td').first()).toHaveText("6");
});
