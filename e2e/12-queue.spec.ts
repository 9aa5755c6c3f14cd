import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { freshAnnotator, pressUntilUrl, screenshot, uniqueName } from "./helpers";
import { importAndRun, weatherLine } from "./queue-data";

/** A reviewer in a browser of their own: a new annotator, so earlier runs' claims are not theirs (claims are by email). */
async function reviewer(browser: Browser, admin: APIRequestContext, who: string): Promise<{ page: Page; name: string }> {
  const reviewer = await freshAnnotator(browser, admin, who);
  await reviewer.page.goto("/review");
  return reviewer;
}

/** The dataset id of the /review?dataset=… the page is on. */
const datasetIdOf = (page: Page) => new URL(page.url()).searchParams.get("dataset");

test("reviewers pressing Review next each get a sample of their own, until the queue is empty", async ({ browser, request }) => {
  // Four reviewers' browsers and a full run: on a loaded 2-core machine this took over a minute once.
  test.slow();
  const dataset = uniqueName("queue");
  await importAndRun(request, dataset, [
    weatherLine("What is the weather in Lyon right now?", { city: "Lyon" }),
    weatherLine("Is it raining in Oslo today? Check the weather.", { city: "Oslo" }),
    weatherLine("How warm is the weather in Lima, in imperial units?", { city: "Lima", units: "imperial" }),
  ]);

  const ann = await reviewer(browser, request, "ann");
  const ben = await reviewer(browser, request, "ben");
  const cy = await reviewer(browser, request, "cy");
  expect(new Set([ann.name, ben.name, cy.name]).size).toBe(3);

  // Narrow the queue to the new dataset with the picker: the choice is in the URL.
  await ann.page.getByLabel("Dataset", { exact: true }).selectOption({ label: `${dataset} · 3 to review` });
  await expect(ann.page).toHaveURL(/\/review\?dataset=\d+$/);
  const datasetId = datasetIdOf(ann.page);
  await expect(ann.page.getByTestId("queue-waiting")).toHaveText("3");
  await expect(ann.page.getByText(`Needs a human in ${dataset}`)).toBeVisible();
  await screenshot(ann.page, "review-queue");

  for (const { page } of [ben, cy]) await page.goto(`/review?dataset=${datasetId}`);

  // ann clicks (her page has hydrated: the picker worked), ben presses n, cy presses Enter (pressed again until their
  // pages have hydrated): three different samples, each opened in queue mode.
  const inQueue = new RegExp(`/samples/\\d+\\?queue=1&dataset=${datasetId}$`);
  await ann.page.getByRole("button", { name: "Review next" }).click();
  await Promise.all([pressUntilUrl(ben.page, "n", inQueue), pressUntilUrl(cy.page, "Enter", inQueue)]);
  const landed: number[] = [];
  for (const { page } of [ann, ben, cy]) {
    await expect(page).toHaveURL(inQueue);
    await expect(page.getByRole("heading", { level: 1, name: /^Sample #\d+$/ })).toBeVisible();
    // A queue's sample is Review's, not Samples'.
    await expect(page.getByRole("link", { name: "Review", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("link", { name: "Samples", exact: true })).not.toHaveAttribute("aria-current", "page");
    landed.push(Number(new URL(page.url()).pathname.split("/").at(-1)));
  }
  expect(new Set(landed).size).toBe(3);

  // Back on /review, ann sees the claim she holds; asking again hands her the same sample, not a new one.
  await ann.page.goto(`/review?dataset=${datasetId}`);
  await expect(ann.page.getByTestId("you-claims")).toHaveText("1");
  await expect(ann.page.getByRole("list", { name: "Your open claims" }).getByRole("link")).toHaveText(`#${landed[0]}`);
  await expect(ann.page.locator(`tr[data-dataset="${dataset}"]`)).toContainText("Selected");
  const annotators = ann.page.getByRole("table", { name: /Decisions per annotator/ });
  for (const who of [ann, ben, cy]) await expect(annotators.locator(`tr[data-annotator="${who.name}"] [data-column="holding"]`)).toHaveText("1");
  await expect(annotators.locator(`tr[data-annotator="${ann.name}"]`)).toContainText("you");
  await ann.page.getByRole("button", { name: "Review next" }).click();
  await expect(ann.page).toHaveURL(new RegExp(`/samples/${landed[0]}\\?queue=1`));

  // A fourth reviewer finds every sample held: the page still counts them, and Review next says the queue is empty.
  const dee = await reviewer(browser, request, "dee");
  await dee.page.goto(`/review?dataset=${datasetId}`);
  await dee.page.getByRole("button", { name: "Review next" }).click();
  await expect(dee.page.getByRole("status").filter({ hasText: "Queue empty" })).toBeVisible();
  await expect(dee.page).toHaveURL(/\/review\?dataset=\d+$/);

  // Only the holder can give a sample back. ann does: dee gets exactly that one.
  const notHeld = await ben.page.request.post("/api/review/release", { data: { sampleId: landed[0] } });
  expect(notHeld.status()).toBe(409);
  expect((await notHeld.json()).error).toContain(`held by ${ann.name}`);
  const released = await ann.page.request.post("/api/review/release", { data: { sampleId: landed[0] } });
  expect(released.status()).toBe(200);
  await dee.page.getByRole("button", { name: "Review next" }).click();
  await expect(dee.page).toHaveURL(new RegExp(`/samples/${landed[0]}\\?queue=1`));
});

test("a dataset with nothing to review shows the empty queue, and a bad dataset link says so", async ({ page, request }) => {
  const dataset = uniqueName("queue-empty");
  // Stage 2's judge rejects the only sample: it ends discarded, so nothing waits for a human.
  await importAndRun(request, dataset, [weatherLine("Weather in Rome? [[fake:fail@judge-query-tools]]", { city: "Rome" })]);
  await page.goto("/review");
  await page.getByLabel("Dataset", { exact: true }).selectOption({ label: `${dataset} · 0 to review` });
  await expect(page.getByRole("heading", { name: "Queue empty" })).toBeVisible();
  await expect(page.getByText(`Nothing in ${dataset} needs a human right now.`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Review next" })).toHaveCount(0);
  await screenshot(page, "review-queue-empty");

  await page.goto("/review?dataset=2147483000");
  await expect(page.getByText("No such dataset")).toBeVisible();
});

test("the queue API validates its input and names unknown ids", async ({ request }) => {
  const bad = await request.post("/api/review/next", { data: { datasetId: "seven" } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatch(/datasetId must be a number/);

  const unknown = await request.post("/api/review/next", { data: { datasetId: 2_147_483_000 } });
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error).toMatch(/dataset 2147483000 does not exist/);

  const noSample = await request.post("/api/review/release", { data: { sampleId: 2_147_483_000 } });
  expect(noSample.status()).toBe(404);

  const missing = await request.post("/api/review/release", { data: {} });
  expect(missing.status()).toBe(400);
  expect((await missing.json()).error).toMatch(/sampleId/);
});
