import path from "node:path";
import { expect, test } from "@playwright/test";
import { datasetRow, freshAnnotator, pressUntilUrl, sampleReady, screenshot, uniqueName } from "./helpers";
import { importAndRun, weatherLine } from "./queue-data";

test("two reviewers per sample: blind votes, agreement decides, disagreement goes to the adjudicator", async ({ browser, page, request }) => {
  // Four people in four browsers, a pipeline run and the dashboard: longer than one page's test.
  test.setTimeout(180_000);
  const dataset = uniqueName("overlap");
  const run = await importAndRun(request, dataset, [
    weatherLine("What is the weather in Lyon right now?", { city: "Lyon" }),
    weatherLine("Is it raining in Oslo today? Check the weather.", { city: "Oslo" }),
  ]);
  const lyon = run.sample("What is the weather in Lyon right now?").sample_id;
  const oslo = run.sample("Is it raining in Oslo today? Check the weather.").sample_id;

  // The admin asks for two reviewers per sample on the Datasets page.
  await page.goto("/datasets");
  await datasetRow(page, dataset).getByRole("button", { name: `Reviewers per sample of ${dataset}` }).click();
  const dialog = page.getByRole("dialog", { name: `Reviewers per sample of ${dataset}` });
  await dialog.getByLabel("Reviews per sample (1–5)").fill("2");
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(datasetRow(page, dataset)).toContainText("2 reviewers per sample");

  const ann = await freshAnnotator(browser, request, "ann");
  const ben = await freshAnnotator(browser, request, "ben");
  const cy = await freshAnnotator(browser, request, "cy");

  // Both take the first sample from the queue (the same one: it needs two reviews) and approve it with `a`.
  for (const reviewer of [ann, ben]) {
    await reviewer.page.goto(`/review?dataset=${run.datasetId}`);
    await pressUntilUrl(reviewer.page, "n", new RegExp(`/samples/${lyon}\\?queue=1&dataset=${run.datasetId}$`));
    await sampleReady(reviewer.page);
    await expect(reviewer.page.getByTestId("review-round")).toContainText("2 needed");
  }
  // A third reviewer gets the other sample: the first has its two reviewers.
  await cy.page.goto(`/review?dataset=${run.datasetId}`);
  await pressUntilUrl(cy.page, "n", new RegExp(`/samples/${oslo}\\?queue=1`));
  await sampleReady(cy.page);

  await ann.page.keyboard.press("a");
  await expect(ann.page.getByTestId("undo-toast")).toContainText(`Reviewed sample #${lyon} (approved): review 1 of 2`);
  // Ben cannot see Ann's vote yet: the panel shows only that two are needed, and his history has no vote of hers.
  await ben.page.reload();
  await sampleReady(ben.page);
  await expect(ben.page.getByTestId("round-vote")).toHaveCount(0);
  await expect(ben.page.getByText(ann.name)).toHaveCount(0);
  await ben.page.keyboard.press("a");
  await expect(ben.page.getByTestId("undo-toast")).toContainText(`Approved sample #${lyon}: all 2 reviews agree`);
  const lyonView = await (await request.get(`/api/samples/${lyon}`)).json();
  expect(lyonView.sample.status).toBe("approved");
  expect(lyonView.sample.statusReason).toContain("(2 of 2 reviews agree)");

  // On the second sample, Cy approves and Ann discards: they disagree.
  await cy.page.keyboard.press("a");
  await expect(cy.page.getByTestId("undo-toast")).toContainText("review 1 of 2");
  await ann.page.goto(`/review?dataset=${run.datasetId}`);
  await pressUntilUrl(ann.page, "n", new RegExp(`/samples/${oslo}\\?queue=1`));
  await sampleReady(ann.page);
  await ann.page.keyboard.press("d");
  await ann.page.keyboard.type("asks about rain, not the weather in general");
  await ann.page.keyboard.press("Enter");
  await expect(ann.page.getByTestId("undo-toast")).toContainText(`Reviewed sample #${oslo}: the 2 reviews disagree, it goes to adjudication`);
  expect((await (await request.get(`/api/samples/${oslo}`)).json()).sample.status).toBe("passed");

  // An annotator cannot adjudicate; the admin sees the adjudication queue, the two votes side by side, and decides.
  const refused = await ben.page.request.post("/api/review/next", { data: { mode: "adjudicate", datasetId: run.datasetId } });
  expect(refused.status()).toBe(403);
  await page.goto(`/review?dataset=${run.datasetId}`);
  await expect(page.getByTestId("adjudication-waiting")).toHaveText("1");
  await page.getByRole("button", { name: "Adjudicate next" }).click();
  await expect(page).toHaveURL(new RegExp(`/samples/${oslo}\\?queue=1&adjudicate=1&dataset=${run.datasetId}$`));
  const round = page.getByTestId("review-round");
  await expect(round).toContainText("2 of 2 reviews in — they disagree");
  await expect(round.getByTestId("round-vote")).toHaveCount(2);
  await expect(round.getByTestId("round-vote").filter({ hasText: cy.name })).toContainText("Approve");
  await expect(round.getByTestId("round-vote").filter({ hasText: ann.name })).toContainText("asks about rain");
  await screenshot(page, "adjudication", { fullPage: false });
  // The committed README image is rewritten only on request (E2E_README_SCREENSHOT=1, see e2e/01-readme-screenshot).
  if (process.env.E2E_README_SCREENSHOT) await page.screenshot({ path: path.join(import.meta.dirname, "..", "docs", "screenshot-adjudication.png") });
  await page.keyboard.press("d");
  await page.keyboard.type("agree with ann");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Queue empty" })).toBeVisible();
  expect((await (await request.get(`/api/samples/${oslo}`)).json()).sample.status).toBe("discarded");

  // The dashboard counts the two samples reviewed twice: one agreement in two.
  await page.goto(`/dashboard?dataset=${encodeURIComponent(dataset)}`);
  await expect(page.getByTestId("iaa-items")).toHaveText("2");
  await expect(page.getByTestId("iaa-agreement")).toHaveText("50%");
  await expect(page.getByTestId("iaa-pair")).toHaveCount(2);
});
