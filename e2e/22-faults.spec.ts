// Faults seen from the browser: a browser closed mid-edit writes nothing, keeps the queue claim until it expires,
// and gets its unsaved edits offered back (a draft older than the sample says so, and saving it overwrites nothing);
// a run whose judge was down shows on the Runs page what it flagged and why; a regeneration whose teacher failed
// says so on the review page. (The server-side faults — a killed worker, a judge down for long, PostgreSQL
// restarting — are the test/fault-*.test.ts files.)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, expect, request as playwrightRequest, test, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { E2E_USERS, storageStatePath } from "./env";
import { sampleReady, screenshot, uniqueName } from "./helpers";
import { importAndRun, weatherLine } from "./queue-data";

const ANNIE = E2E_USERS.annotator.email;
const EDITED_COT = "The user asks about Lyon in imperial units, so I call get_weather with city Lyon and units imperial.";
const EDITED_CALLS = '[get_weather(city="Lyon", units="imperial")]';
const OFFERED_AT = /You had unsaved edits from \d{1,2} \w{3} \d{4},? \d{2}:\d{2} UTC/;

interface SampleState {
  version: number;
  status: string;
  cot: string | null;
  answer: unknown;
  revisions: unknown[];
  claim: { user: string; until: string } | null;
}

async function stateOf(request: APIRequestContext, id: number): Promise<SampleState> {
  const response = await request.get(`/api/samples/${id}`);
  expect(response.status()).toBe(200);
  const { sample } = (await response.json()) as { sample: SampleState };
  return sample;
}

const content = ({ version, status, cot, answer, revisions }: SampleState) => ({ version, status, cot, answer, revisions });

/**
 * Annie's own browser, with a profile on disk (like a real one: localStorage survives closing it), signed in. A new
 * Playwright context would start from empty storage, which is not what a reviewer coming back has.
 */
async function annieBrowser(profile: string): Promise<{ browser: BrowserContext; page: Page }> {
  const { launchOptions, baseURL, viewport, extraHTTPHeaders } = test.info().project.use;
  const browser = await chromium.launchPersistentContext(profile, { ...launchOptions, baseURL, viewport, extraHTTPHeaders });
  const { cookies } = JSON.parse(readFileSync(storageStatePath("annotator"), "utf8")) as { cookies: Parameters<BrowserContext["addCookies"]>[0] };
  await browser.addCookies(cookies);
  return { browser, page: browser.pages()[0] ?? (await browser.newPage()) };
}

const profiles: string[] = [];

/** A browser profile folder for one test, removed after it. */
function newProfile(): string {
  const profile = mkdtempSync(path.join(tmpdir(), "studio-e2e-profile-"));
  profiles.push(profile);
  return profile;
}

test.afterEach(() => {
  for (const profile of profiles.splice(0)) rmSync(profile, { recursive: true, force: true });
});

/** Opens the editor on the sample on screen and types a new CoT and calls, which the rule stages accept. */
async function typeEdit(page: Page) {
  await page.keyboard.press("e");
  const editor = page.getByTestId("edit-panel");
  await editor.getByLabel("Chain of thought").fill(EDITED_COT);
  await editor.getByLabel("Calls").fill(EDITED_CALLS);
  await expect(editor.getByTestId("edit-validation")).toHaveAttribute("data-state", "ok");
  return editor;
}

test("a browser closed mid-edit: nothing is written, the claim holds until it expires, and the edits are offered back", async ({ request }) => {
  const dataset = uniqueName("fault-edit");
  const query = "What is the weather in Lyon right now?";
  const { datasetId, sample } = await importAndRun(request, dataset, [weatherLine(query, { city: "Lyon" })]);
  const id = sample(query).sample_id;
  const before = await stateOf(request, id);
  const profile = newProfile();

  // Annie takes the sample from the queue, starts editing, and her browser closes before she saves.
  let annie = await annieBrowser(profile);
  await annie.page.goto(`/review?dataset=${datasetId}`);
  await annie.page.getByRole("button", { name: "Review next" }).click();
  await expect(annie.page).toHaveURL(new RegExp(`/samples/${id}\\?queue=1`));
  await sampleReady(annie.page);
  await typeEdit(annie.page);
  await annie.browser.close();

  // The sample is exactly as it was. Her claim outlives the browser, but not its expiry (15 minutes); meanwhile
  // nobody else is handed the sample she was editing.
  const after = await stateOf(request, id);
  expect(content(after)).toEqual(content(before));
  expect(after.claim?.user).toBe(ANNIE);
  const until = Date.parse(after.claim!.until);
  expect(until).toBeGreaterThan(Date.now());
  expect(until).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
  const { baseURL } = test.info().project.use;
  const bert = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! }, storageState: storageStatePath("annotator2") });
  const other = await bert.post("/api/review/next", { data: { datasetId } });
  expect(await other.json()).toEqual({ sampleId: null });
  await bert.dispose();

  // Back at the queue, Annie gets her sample again, and the page offers her edits back.
  annie = await annieBrowser(profile);
  await annie.page.goto(`/review?dataset=${datasetId}`);
  await annie.page.getByRole("button", { name: "Review next" }).click();
  await expect(annie.page).toHaveURL(new RegExp(`/samples/${id}\\?queue=1`));
  await sampleReady(annie.page);
  const offer = annie.page.getByTestId("draft-offer");
  await expect(offer).toContainText(OFFERED_AT);
  await expect(offer).toContainText(`They were never saved: the sample is as you left it (version ${before.version}).`);
  await screenshot(annie.page, "fault-draft-offer", { fullPage: false });
  await offer.getByRole("button", { name: "Restore my edits" }).click();
  await expect(offer).toBeHidden();
  const editor = annie.page.getByTestId("edit-panel");
  await expect(editor.getByLabel("Chain of thought")).toHaveValue(EDITED_COT);
  await expect(editor.getByLabel("Calls")).toHaveValue(EDITED_CALLS);
  await expect(editor.getByTestId("edit-validation")).toHaveAttribute("data-state", "ok");
  await editor.getByLabel("Calls").press("Control+Enter");
  await expect(annie.page.getByTestId("notice")).toContainText(`Saved your edit as version ${before.version + 1}`);
  expect((await stateOf(request, id)).cot).toBe(EDITED_COT);

  // Saved, so nothing is offered any more.
  await annie.page.reload();
  await sampleReady(annie.page);
  await expect(annie.page.getByTestId("draft-offer")).toHaveCount(0);
  expect((await annie.page.request.post("/api/review/release", { data: { sampleId: id } })).status()).toBe(200);
  await annie.browser.close();
});

test("edits left on a sample that changed since: the offer says so, and saving them overwrites nothing", async ({ request }) => {
  const dataset = uniqueName("fault-stale-draft");
  const query = "Is it raining in Lyon?";
  const { sample } = await importAndRun(request, dataset, [weatherLine(query, { city: "Lyon" })]);
  const id = sample(query).sample_id;
  const profile = newProfile();

  let annie = await annieBrowser(profile);
  await annie.page.goto(`/samples/${id}`);
  await sampleReady(annie.page);
  await typeEdit(annie.page);
  const typedOn = Number((await annie.page.locator("[data-sample]").getAttribute("data-version")) ?? 0);
  await annie.browser.close();

  // Meanwhile the admin edits the sample.
  const theirs = { answer: '[get_weather(city="Lyon")]', cot: "The admin's reasoning: Lyon, default units." };
  const edited = await request.post(`/api/samples/${id}/edit`, { data: { ...theirs, expectedVersion: typedOn } });
  expect(edited.status()).toBe(200);
  const changed = await stateOf(request, id);
  expect(changed.version).toBe(typedOn + 1);

  annie = await annieBrowser(profile);
  await annie.page.goto(`/samples/${id}`);
  await sampleReady(annie.page);
  const offer = annie.page.getByTestId("draft-offer");
  await expect(offer).toHaveAttribute("data-stale", "true");
  await expect(offer).toContainText(OFFERED_AT);
  await expect(offer).toContainText(`They were typed on version ${typedOn}, and the sample has changed since: it is now version ${changed.version}.`);
  await screenshot(annie.page, "fault-stale-draft-offer", { fullPage: false });

  // Restored, they open against the version they were typed on: the save is refused with what changed.
  await offer.getByRole("button", { name: "Restore my edits" }).click();
  const editor = annie.page.getByTestId("edit-panel");
  await expect(editor.getByLabel("Chain of thought")).toHaveValue(EDITED_COT);
  await expect(editor.getByTestId("edit-validation")).toHaveAttribute("data-state", "ok");
  await editor.getByLabel("Calls").press("Control+Enter");
  const conflict = annie.page.getByTestId("conflict");
  await expect(conflict).toContainText(`Changed by ${E2E_USERS.admin.email} at`);
  await expect(conflict).toContainText("Nothing was overwritten");
  await expect(editor.getByLabel("Chain of thought")).toHaveValue(EDITED_COT);
  expect(content(await stateOf(request, id))).toEqual(content(changed));

  // Having seen the change, she reloads and saves her edit over it: a deliberate, new version.
  await conflict.getByRole("button", { name: "Reload the sample" }).click();
  await expect(conflict).toBeHidden();
  await expect(editor.getByTestId("edit-validation")).toHaveAttribute("data-state", "ok");
  await editor.getByLabel("Calls").press("Control+Enter");
  await expect(annie.page.getByTestId("notice")).toContainText(`Saved your edit as version ${changed.version + 1}`);
  expect((await stateOf(request, id)).cot).toBe(EDITED_COT);
  await annie.browser.close();
});

test("edits left behind can be discarded: the offer goes and the sample stays as it is", async ({ request }) => {
  const dataset = uniqueName("fault-discard-draft");
  const query = "How windy is it in Lyon?";
  const { sample } = await importAndRun(request, dataset, [weatherLine(query, { city: "Lyon" })]);
  const id = sample(query).sample_id;
  const before = await stateOf(request, id);
  const profile = newProfile();

  let annie = await annieBrowser(profile);
  await annie.page.goto(`/samples/${id}`);
  await sampleReady(annie.page);
  await typeEdit(annie.page);
  await annie.browser.close();

  annie = await annieBrowser(profile);
  await annie.page.goto(`/samples/${id}`);
  await sampleReady(annie.page);
  await annie.page.getByTestId("draft-offer").getByRole("button", { name: "Discard them" }).click();
  await expect(annie.page.getByTestId("draft-offer")).toHaveCount(0);
  await annie.page.reload();
  await sampleReady(annie.page);
  await expect(annie.page.getByTestId("draft-offer")).toHaveCount(0);
  // The editor opens on the sample's own text again.
  await annie.page.keyboard.press("e");
  await expect(annie.page.getByTestId("edit-panel").getByLabel("Chain of thought")).toHaveValue(before.cot ?? "");
  expect(content(await stateOf(request, id))).toEqual(content(before));
  await annie.browser.close();
});

test("a run whose judge was down: the Runs page counts what it flagged and says why for each sample", async ({ page, request }) => {
  const dataset = uniqueName("fault-judge-down");
  // 500, 429 and garbage from the judge of stages 2, 3 and 4, on every attempt: the e2e server retries once.
  const faults = [
    { query: "Weather in Lyon? [[fake:500@judge-query-tools]]", stage: 2, reason: "Stage 2: The judge gave no usable answer (server_error, 2 attempts): HTTP 500" },
    { query: "Weather in Oslo? [[fake:429@judge-cot]]", stage: 3, reason: "Stage 3: The judge gave no usable answer (rate_limited, 2 attempts): HTTP 429" },
    { query: "Weather in Rome? [[fake:garbage@judge-values]]", stage: 4, reason: "Stage 4: The judge gave no usable answer (unparseable, 2 attempts): the judge's answer holds no JSON object" },
  ];
  const { runId, sample } = await importAndRun(request, dataset, [...faults.map((f) => weatherLine(f.query)), weatherLine("Weather in Lima?", { city: "Lima" })]);

  await page.goto("/runs");
  const row = page.locator(`tr[data-run="${runId}"]`);
  await expect(row.locator('[data-result="flagged"]')).toContainText("3");
  await expect(row.locator('[data-result="passed"]')).toContainText("1");
  await expect(row.locator('[data-result="discarded"]')).toHaveCount(0);
  await row.getByRole("button", { name: `Run #${runId}` }).click();
  const detail = page.getByTestId("run-detail");
  for (const { stage } of faults) await expect(detail.locator(`tr[data-stage="${stage}"] td[data-outcome="error"]`)).toHaveText("1");
  await expect(detail.getByRole("list", { name: "Samples that need attention" }).getByRole("listitem")).toHaveCount(faults.length);
  for (const fault of faults) {
    const item = detail.locator(`li[data-sample="${sample(fault.query).sample_id}"]`);
    await expect(item).toContainText("Flagged");
    await expect(item.getByTestId("attention-reason")).toContainText(fault.reason);
  }
  await screenshot(page, "fault-judge-down-run");

  // The sample page says the same.
  await page.goto(`/samples/${sample(faults[0].query).sample_id}`);
  await expect(page.getByTestId("sample-status")).toHaveText("Flagged");
  await expect(page.getByTestId("status-reason")).toContainText("The judge gave no usable answer (server_error, 2 attempts)");
});

test("a regeneration whose teacher failed: the review page says why, and the sample is unchanged", async ({ page, request }) => {
  const dataset = uniqueName("fault-regenerate");
  const query = "Weather in Kyiv? [[fake:500@regenerate-answer]]";
  const { sample } = await importAndRun(request, dataset, [weatherLine(query, { city: "Kyiv" })]);
  const id = sample(query).sample_id;
  const before = await stateOf(request, id);

  await page.goto(`/samples/${id}`);
  await sampleReady(page);
  await page.keyboard.press("r");
  const dialog = page.getByRole("dialog", { name: "Regenerate" });
  await dialog.getByRole("button", { name: "Regenerate" }).click();
  const notice = page.getByTestId("notice");
  await expect(notice).toHaveAttribute("data-tone", "error", { timeout: 20_000 });
  await expect(notice).toContainText("Regenerating the CoT and answer failed");
  await expect(notice).toContainText("The teacher gave no usable answer (server_error after 2 attempt(s): HTTP 500");
  await expect(notice).toContainText("nothing was written.");
  await expect(page.getByTestId("sample-version")).toHaveText(`version ${before.version}`);
  expect(content(await stateOf(request, id))).toEqual(content(before));
  await screenshot(page, "fault-regenerate-failed", { fullPage: false });
});
