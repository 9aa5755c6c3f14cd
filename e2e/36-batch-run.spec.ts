import { expect, test } from "@playwright/test";
import { fullRunForm, importWeatherSamples, screenshotLightAndDark as both, uniqueName } from "./helpers";

test("an admin starts a batch run from the run form; the run detail follows its batches until every sample is finished", async ({ page, request }) => {
  // Three samples without a CoT: the first batch asks the teacher for their CoTs, the next ones stages 2, 3 and 4.
  const name = uniqueName("batch");
  await importWeatherSamples(request, name);
  const form = await fullRunForm(page, name);
  await form.getByLabel("Mode").selectOption("batch");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByText("3 samples queued.")).toBeVisible();

  const row = page.locator(`tr[data-dataset="${name}"]`);
  await expect(row).toContainText("All stages · Batch API");
  await row.getByRole("button", { name: /^Run #\d+$/ }).click();
  const batch = page.getByTestId("run-batch");
  // A batch in flight at the fake (1.5 s each): its id, pass and counts.
  await expect(batch).toHaveAttribute("data-status", /validating|in_progress/);
  await expect(batch).toContainText(/Batch batch_fake_\d+ · pass \d/);
  await batch.scrollIntoViewIfNeeded();
  await both(page, "runs-batch-in-flight");

  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 45_000 });
  await expect(batch).toHaveAttribute("data-status", "completed");
  // Stage by stage: stage 2's answers came back before stage 3's requests were sent, so there were several passes.
  await expect(batch).toContainText(/pass [2-9]/);
  await expect(batch).toContainText(/\d+ completed · 0 failed · \d+ in all/);
  await expect(page.getByTestId("run-detail")).toContainText("3 of 3 samples finished");
  await both(page, "runs-batch-done");
});
