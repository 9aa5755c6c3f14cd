// A bulk action is a recorded job, seen as people see it: on the Samples page, an annotator approves a whole filter
// (1,500 pending samples) with the keyboard and a click; the dialog shows the job's progress while the request works,
// then the final tally; the action is listed under "Recent bulk actions" (who, what, which filter, how it ended); the
// admin finds its one entry and its per-sample entries in the audit log.
import { expect, test } from "@playwright/test";
import { freshAnnotator, importThroughApi, screenshot, uniqueName } from "./helpers";

const COUNT = 1_500;
const TOOLS = JSON.stringify([{ name: "get_weather", description: "Current weather.", parameters: { city: { type: "str", description: "City." } } }]);
const SET = Array.from({ length: COUNT }, (_, i) =>
  JSON.stringify({
    id: `bulk-${i}`,
    query: `What is the weather in city ${i}?`,
    tools: TOOLS,
    answers: JSON.stringify([{ name: "get_weather", arguments: { city: `City ${i}` } }]),
    cot: `The user wants the weather in City ${i}; get_weather takes the city.`,
  }),
).join("\n");

test("a bulk approve over a filter shows its progress and tally, and is listed as a recorded bulk action", async ({ browser, page: adminPage, request }) => {
  const name = uniqueName("bulk");
  expect((await importThroughApi(request, { body: Buffer.from(SET), dataset: name, fileName: "bulk.jsonl" })).inserted).toBe(COUNT);
  const { page, name: annotator } = await freshAnnotator(browser, request, "bulk");

  await page.goto("/samples");
  await page.getByRole("combobox", { name: "Dataset" }).selectOption({ label: name });
  await page.getByRole("button", { name: "Pending", exact: true }).click();
  await expect(page.getByTestId("total")).toHaveText("1,500");
  const dataset = new URL(page.url()).searchParams.get("dataset");

  // The answer is held back a moment after the server has given it, so the dialog's progress (polled from the
  // recorded job under the request's key) is surely on screen before the tally replaces it.
  let answered: (jobId: number) => void;
  const recordedJob = new Promise<number>((resolve) => (answered = resolve));
  await page.route("**/api/samples/bulk", async (route) => {
    const response = await route.fetch();
    answered((await response.json()).jobId);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await route.fulfill({ response });
  });

  // Keyboard: move to the first row and select it; then every matching sample, and approve after confirming.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("j");
  await page.keyboard.press("x");
  await page.getByRole("button", { name: "Select all 1,500 matching" }).click();
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Approve 1,500 samples?" });
  await expect(dialog).toContainText("Every sample the filter matches now: 1,500 samples.");
  await page.keyboard.press("Enter");

  const jobId = await recordedJob;
  const progress = dialog.getByTestId("bulk-progress").getByRole("progressbar");
  await expect(progress).toHaveAccessibleName(`Bulk action #${jobId}: 1,500 samples approved`);
  await expect(progress).toHaveAttribute("aria-valuetext", "1,500 of 1,500");
  await screenshot(page, "bulk-job-progress", { fullPage: false });

  const outcome = page.getByTestId("bulk-outcome");
  await expect(outcome).toContainText("1,500 samples approved.");
  await expect(outcome).toContainText(`Recorded as bulk action #${jobId}`);
  await expect(page.getByText("No sample matches these filters")).toBeVisible();

  // Listed with who, what, on which filter and how it ended.
  const recorded = page.getByTestId("recent-bulk-jobs").locator(`li[data-bulk-job="${jobId}"]`);
  await expect(recorded).toContainText(`#${jobId}`);
  await expect(recorded).toContainText("Approve");
  await expect(recorded).toContainText(annotator);
  // The audit log is the admins': no link to it here.
  await expect(recorded.getByRole("link", { name: "Audit entries" })).toHaveCount(0);
  await expect(recorded).toContainText(`filter status=pending dataset=${dataset}`);
  await expect(recorded).toContainText("succeeded");
  await expect(recorded).toContainText("1,500 targeted: 1,500 samples approved.");
  await screenshot(page, "bulk-job-recorded");

  // The admin sees the same list, with a link to its per-sample audit entries, each marked as part of it.
  await adminPage.goto("/samples");
  await adminPage.getByTestId("recent-bulk-jobs").locator(`li[data-bulk-job="${jobId}"]`).getByRole("link", { name: "Audit entries" }).click();
  await expect(adminPage).toHaveURL(new RegExp(`/audit\\?bulkJob=${jobId}$`));
  const entries = adminPage.locator("tbody tr[data-action]");
  await expect(entries).toHaveCount(50);
  await expect(entries.first()).toHaveAttribute("data-action", "decision.approve");
  await expect(entries.first()).toContainText(annotator);
  await expect(entries.first()).toContainText(`part of bulk ${jobId}`);
  // …and the bulk action's own entry, once.
  await adminPage.goto(`/audit?targetType=bulk&targetId=${jobId}`);
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toHaveAttribute("data-action", "bulk.approve");
  await expect(entries.first()).toContainText(`Bulk approve of 1,500 samples (filter status=pending dataset=${dataset})`);
  await page.context().close();
});
