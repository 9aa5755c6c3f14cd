import { expect, test } from "@playwright/test";
import { STAGE_ID_MESSAGE } from "../lib/pipeline/stage-registry";
import { screenshot, uniqueName } from "./helpers";
import { importAndRun, weatherLine } from "./queue-data";

test("discarded samples are grouped by stage and reason, and restored ones go back to the review queue", async ({ page, request }) => {
  // The signed-in admin has decided things in earlier tests: count from here.
  await page.goto("/review");
  const decidedBefore = Number((await page.getByTestId("you-total").innerText()).replace(/,/g, ""));
  // Restores from the discard pile are bulk actions: counted apart from the decisions on samples a person opened.
  const bulkCell = page.locator('tr[data-annotator="admin@e2e.test"] [data-column="bulk"]');
  const bulkBefore = (await bulkCell.count()) ? Number((await bulkCell.innerText()).replace(/,/g, "")) : 0;
  const dataset = uniqueName("discarded");
  await importAndRun(request, dataset, [
    // Stage 2's judge says the tools do not fit the query: three samples.
    weatherLine("Weather in Paris? [[fake:fail@judge-query-tools]]", { city: "Paris" }),
    weatherLine("Weather in Nice? [[fake:fail@judge-query-tools]]", { city: "Nice" }),
    weatherLine("Weather in Metz? [[fake:fail@judge-query-tools]]", { city: "Metz" }),
    // Stage 3's judge says the CoT does not lead to the answer: two samples.
    weatherLine("Weather in Bern? [[fake:fail@judge-cot]]", { city: "Bern" }),
    weatherLine("Weather in Graz? [[fake:fail@judge-cot]]", { city: "Graz" }),
    // Stage 4's rules reject an unknown argument, and the teacher's one regeneration is no better.
    weatherLine("Weather in Kyiv? [[fake:teacher-bad]]", { city: "Kyiv", colour: "blue" }),
    // Passes every stage.
    weatherLine("Weather in Oslo?", { city: "Oslo" }),
  ]);

  await page.goto("/discarded");
  await expect(page.getByRole("heading", { level: 1, name: "Discarded" })).toBeVisible();
  await page.getByLabel("Dataset", { exact: true }).selectOption({ label: `${dataset} · 6 discarded` });
  await expect(page).toHaveURL(/\/discarded\?dataset=\d+$/);
  const datasetId = new URL(page.url()).searchParams.get("dataset");

  // Largest group first, each with its count and an example reason.
  const groups = page.getByRole("table", { name: /grouped by stage and reason/ }).locator("tbody tr");
  await expect(groups).toHaveCount(3);
  await expect(groups.nth(0)).toHaveAttribute("data-stage", "2");
  await expect(groups.nth(0)).toHaveAttribute("data-code", "llm");
  await expect(groups.nth(0).getByTestId("group-count")).toHaveText("3");
  await expect(groups.nth(0)).toContainText("LLM judge");
  await expect(groups.nth(1)).toHaveAttribute("data-stage", "3");
  await expect(groups.nth(1).getByTestId("group-count")).toHaveText("2");
  await expect(groups.nth(2)).toHaveAttribute("data-stage", "4");
  await expect(groups.nth(2)).toHaveAttribute("data-code", "regeneration-exhausted");
  await expect(groups.nth(2)).toContainText(/Regeneration exhausted/);
  await expect(page.getByText("6 discarded samples in 3 groups, largest first")).toBeVisible();
  await screenshot(page, "discarded");

  // Drill down into stage 2: its three samples, each linking to its sample page.
  await groups.nth(0).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/discarded\\?dataset=${datasetId}&stage=2&code=llm$`));
  const detail = page.getByTestId("group-detail");
  await expect(detail.getByRole("heading", { name: /Stage 2 · Query & Tool Identification · LLM judge/ })).toBeVisible();
  const rows = detail.locator("tbody tr");
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText("Weather in Paris?");
  await expect(rows.first().getByRole("link", { name: /^#\d+$/ })).toHaveAttribute("href", /\/samples\/\d+$/);

  // Restore two of them: a reason is required first.
  const restoreSelected = detail.getByRole("button", { name: /Restore selected/ });
  await rows.nth(0).getByRole("checkbox").check();
  await rows.nth(1).getByRole("checkbox").check();
  await expect(restoreSelected).toHaveText("Restore selected (2)");
  await expect(restoreSelected).toBeDisabled();
  await detail.getByLabel(/Reason for restoring/).fill("the judge misread the city");
  await screenshot(page, "discarded-group");
  const restoredIds = await Promise.all([0, 1].map(async (i) => Number(await rows.nth(i).getAttribute("data-sample"))));
  await restoreSelected.click();
  await expect(detail.getByRole("status").filter({ hasText: "2 restored" })).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(page.locator('tbody tr[data-stage="2"]').getByTestId("group-count")).toHaveText("1");
  await expect(page.getByText("4 discarded samples in 3 groups, largest first")).toBeVisible();

  // The whole stage-3 group in one go.
  await page.locator('tbody tr[data-stage="3"]').getByRole("link").click();
  await expect(detail.getByRole("heading", { name: /Stage 3/ })).toBeVisible();
  await detail.getByLabel(/Reason for restoring/).fill("CoT judge was too strict");
  await detail.getByRole("button", { name: "Restore all 2 in this group" }).click();
  await expect(detail.getByRole("status").filter({ hasText: "2 restored" })).toBeVisible();
  await expect(detail.getByText("No discarded sample is left in this group.")).toBeVisible();
  await expect(page.locator('tbody tr[data-stage="3"]')).toHaveCount(0);
  await expect(page.getByText("2 discarded samples in 2 groups, largest first")).toBeVisible();

  // Every restore is listed with who made it and why.
  const restores = page.getByTestId("restore");
  await expect(restores).toHaveCount(4);
  await expect(restores.filter({ hasText: "the judge misread the city" })).toHaveCount(2);
  await expect(restores.filter({ hasText: "CoT judge was too strict" })).toHaveCount(2);
  await screenshot(page, "discarded-restored");

  // Restored samples are flagged, and the review queue counts them.
  await page.goto(`/samples/${restoredIds[0]}`);
  await expect(page.getByTestId("sample-status")).toContainText("Flagged");
  // …and its history (the audit log) says who restored it and why.
  await expect(page.getByTestId("sample-history").locator('[data-action="decision.restore"]')).toContainText(
    "Restored to review by admin@e2e.test: the judge misread the city",
  );
  await page.goto(`/review?dataset=${datasetId}`);
  await expect(page.getByTestId("queue-waiting")).toHaveText("5");
  await expect(page.getByTestId("queue-summary")).toContainText("Flagged4");
  await expect(page.getByTestId("you-total")).toHaveText(decidedBefore.toLocaleString("en-US"));
  await expect(bulkCell).toHaveText((bulkBefore + 4).toLocaleString("en-US"));
  await screenshot(page, "review-after-restore");
});

test("the restore API needs a reason and a target", async ({ request }) => {
  const noReason = await request.post("/api/review/restore", { data: { sampleIds: [1], reason: " " } });
  expect(noReason.status()).toBe(400);
  expect((await noReason.json()).error).toMatch(/reason is required/);

  const neither = await request.post("/api/review/restore", { data: { reason: "x" } });
  expect(neither.status()).toBe(400);
  expect((await neither.json()).error).toMatch(/either sampleIds or group/);

  const badGroup = await request.post("/api/review/restore", { data: { reason: "x", group: { stage: 9, code: "llm" } } });
  expect(badGroup.status()).toBe(400);
  expect((await badGroup.json()).error).toContain(`group.stage ${STAGE_ID_MESSAGE}`);

  // An unknown sample is a per-sample failure, not an error of the whole request.
  const unknown = await request.post("/api/review/restore", { data: { reason: "x", sampleIds: [2_147_483_000] } });
  expect(unknown.status()).toBe(200);
  // Recorded as a bulk action like any other restore.
  expect(await unknown.json()).toEqual({ jobId: expect.any(Number), restored: 0, failed: 1, failures: [{ sampleId: 2_147_483_000, message: "no such sample" }] });
});
