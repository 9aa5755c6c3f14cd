// The sample review page against the real app, database and fake LLM: review the queue with the keyboard, regenerate
// and read the diff, edit through a validation error to a save, discard with a reason, and a stale write from a
// second browser gets the conflict message (nothing overwritten). Screenshots: a long CoT, a stage-4 failure marked
// on its argument, the diff, the `?` overlay.
import { E2E_USERS, storageStatePath } from "./env";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { importThroughApi, sampleReady, screenshot, uniqueName } from "./helpers";

const TOOLS = [
  {
    name: "get_weather",
    description: "Current weather for a city.",
    parameters: {
      city: { description: "The city name, e.g. Lyon.", type: "str", default: "" },
      unit: { description: "Temperature unit: celsius or fahrenheit.", type: "str, optional", default: "celsius" },
    },
  },
  {
    name: "book_table",
    description: "Books a restaurant table.",
    parameters: {
      type: "dict",
      properties: {
        restaurant: { type: "string", description: "The restaurant's name." },
        seats: { type: "integer", description: "How many people." },
        time: { type: "string", description: "When, as HH:MM.", enum: ["19:00", "20:00", "21:00"] },
      },
      required: ["restaurant", "seats"],
    },
  },
];

const LONG_COT = [
  "The user asks for the current weather in Lyon, and only for Lyon: one city, one call.",
  "Two tools are offered. book_table books restaurants, which has nothing to do with the weather, so get_weather is the one. Its only required parameter is city; unit is optional and defaults to celsius, and the user did not ask for another unit, so I leave it out.",
  "The city is given verbatim in the query: \"Lyon\". It is a string, as the parameter declares, and needs no conversion: no country code, no coordinates, no normalisation of the spelling.",
  ...Array.from({ length: 8 }, (_, i) => `Check ${i + 1}: the call must name get_weather exactly, pass city as a keyword argument, and carry no argument the tool does not declare; a value must come from the query or a default, never from guesswork. This holds here.`),
  "So the answer is a single call: get_weather(city=\"Lyon\").",
].join("\n\n");

interface Line {
  query: string;
  answers: object[];
  cot?: string;
}

const line = (l: Line, i: number) => JSON.stringify({ id: i, query: l.query, tools: JSON.stringify(TOOLS), answers: JSON.stringify(l.answers), ...(l.cot ? { cot: l.cot } : {}) });

/** Imports `lines` as a new dataset, runs all stages over it, and returns each sample's id and status by query. */
async function preparedDataset(request: APIRequestContext, prefix: string, lines: Line[]) {
  const dataset = uniqueName(prefix);
  const body = Buffer.from(lines.map(line).join("\n") + "\n");
  const summary = await importThroughApi(request, { body, dataset, fileName: `${dataset}.jsonl` });
  expect(summary.inserted).toBe(lines.length);
  const samples = await runAllStages(request, dataset);
  const byQuery = new Map(samples.map((s) => [s.query, s]));
  const view = await (await request.get(`/api/samples/${samples[0].sample_id}`)).json();
  return { dataset, datasetId: view.sample.datasetId as number, sample: (query: string) => byQuery.get(query)! };
}

/** Runs all stages over `dataset` (one regeneration allowed) and lists its samples with their status. */
async function runAllStages(request: APIRequestContext, dataset: string) {
  const run = await request.post("/api/runs", { data: { dataset, stages: "all", concurrency: 4, maxRegenerations: 1 } });
  expect(run.status()).toBe(201);
  const { runId } = (await run.json()) as { runId: number };
  await expect
    .poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { run: { status: string } }).run.status, { timeout: 45_000 })
    .toBe("succeeded");
  const audit = await request.get(`/api/datasets/${dataset}/export?format=audit&status=pending,passed,text,flagged,approved,discarded`);
  return (await audit.text()).trimEnd().split("\n").map((l) => JSON.parse(l) as { sample_id: number; query: string; status: string });
}

const weather = (city: string, extra: Record<string, unknown> = {}) => [{ name: "get_weather", arguments: { city, ...extra } }];
const heading = (page: Page) => page.getByRole("heading", { level: 1 });

/** Opens a sample's review page and waits until it takes keys. */
async function open(page: Page, path: string) {
  await page.goto(path);
  await sampleReady(page);
}
const statusOf = async (request: APIRequestContext, id: number) => ((await (await request.get(`/api/samples/${id}`)).json()) as { sample: { status: string; version: number } }).sample;

/**
 * Presses `key` on sample `from` and times, in the page, the server's answers (the decision and the next claim sent
 * with it) and the next sample's heading replacing this one: {server: key → answers, next: answers → on screen}, and
 * whether the claim's answer carried the next sample's view (it does not when the page already had it: prefetched).
 */
async function timeNextSample(page: Page, key: string, from: number): Promise<{ server: number; next: number; claimSentView: boolean }> {
  await expect(page.locator("[data-next-ready]")).toBeVisible();
  await page.evaluate(() => {
    const w = window as unknown as { pressedAt?: number; answeredAt?: number; shownAt?: number; claimSentView?: boolean; fetchWrapped?: boolean };
    w.pressedAt = w.answeredAt = w.shownAt = w.claimSentView = undefined;
    document.addEventListener("keydown", () => (w.pressedAt ??= performance.now()), { capture: true, once: true });
    if (!w.fetchWrapped) {
      w.fetchWrapped = true;
      const fetch = window.fetch;
      window.fetch = async (...args) => {
        const response = await fetch(...args);
        const claim = String(args[0]).endsWith("/next") && String(args[1]?.body).includes('"claim":true');
        if (String(args[0]).endsWith("/decision") || claim) w.answeredAt = Math.max(w.answeredAt ?? 0, performance.now());
        if (claim) w.claimSentView = Boolean(((await response.clone().json()) as { next?: unknown }).next);
        return response;
      };
    }
    const observer = new MutationObserver(() => {
      w.shownAt ??= performance.now();
      observer.disconnect();
    });
    observer.observe(document.querySelector("h1")!, { childList: true, characterData: true, subtree: true });
  });
  await page.keyboard.press(key);
  await expect(heading(page)).not.toHaveText(`Sample #${from}`);
  return page.evaluate(() => {
    const w = window as unknown as { pressedAt: number; answeredAt: number; shownAt: number; claimSentView: boolean };
    return { server: Math.round(w.answeredAt - w.pressedAt), next: Math.round(w.shownAt - w.answeredAt), claimSentView: w.claimSentView };
  });
}

test("review the queue with the keyboard: approve with A, the next claimed sample is on screen at once, skip with J, then the queue is empty", async ({ page }) => {
  const queries = ["Weather in Lyon?", "Weather in Oslo?", "Weather in Porto?"];
  const { datasetId, sample } = await preparedDataset(page.request, "queue", queries.map((q) => ({ query: q, answers: weather(q.slice(11, -1)) })));
  for (const q of queries) expect(sample(q).status).toBe("passed");

  // The first claim, as the queue page's "Review next" makes it.
  const first = (await (await page.request.post("/api/review/next", { data: { datasetId } })).json()).sampleId as number;
  await open(page, `/samples/${first}?queue=1&dataset=${datasetId}`);
  await expect(heading(page)).toHaveText(`Sample #${first}`);
  await expect(page.getByText("Claimed by you")).toBeVisible();

  // `?` lists every key; Esc closes it.
  await page.keyboard.press("?");
  const overlay = page.getByTestId("shortcut-overlay");
  await expect(overlay).toBeVisible();
  for (const action of ["approve", "discard", "undo", "regenerate", "edit", "recheck", "next", "previous", "help", "save", "close"]) {
    await expect(overlay.locator(`[data-shortcut="${action}"]`)).toBeVisible();
  }
  await screenshot(page, "review-shortcuts", { fullPage: false });
  await page.keyboard.press("Escape");
  await expect(overlay).toBeHidden();

  // As the reviewer reads the sample, the next one is loaded but not claimed: a reviewer holds only what they see.
  await expect(page.locator("[data-next-ready]")).toBeVisible();
  for (const q of queries) {
    const { sample_id } = sample(q);
    const { claim } = ((await (await page.request.get(`/api/samples/${sample_id}`)).json()) as { sample: { claim: object | null } }).sample;
    expect(claim === null, `sample ${sample_id} claimed: ${JSON.stringify(claim)}`).toBe(sample_id !== first);
  }

  // The queue's figures: what is left here (this sample included) and what this reviewer decided today.
  await expect(page.getByTestId("queue-left")).toHaveText(String(queries.length));
  const doneBefore = Number(await page.getByTestId("queue-done-today").innerText());

  // Approve with `a`: the next sample (looked up while this one was on screen) replaces it without a page load.
  const approveTiming = await timeNextSample(page, "a", first);
  const second = Number((await heading(page).innerText()).replace("Sample #", ""));
  expect(queries.map((q) => sample(q).sample_id)).toContain(second);
  await expect(page).toHaveURL(new RegExp(`/samples/${second}\\?queue=1&dataset=${datasetId}$`));
  await expect(page.getByTestId("undo-toast")).toContainText(`Approved sample #${first}`);
  expect((await statusOf(page.request, first)).status).toBe("approved");
  await expect(page.getByTestId("queue-left")).toHaveText(String(queries.length - 1));
  await expect(page.getByTestId("queue-done-today")).toHaveText(String(doneBefore + 1));

  // `j` skips: the sample goes back to the queue and the next claimed one shows.
  const skipTiming = await timeNextSample(page, "j", second);
  // The view was prefetched: the claim sent with the key names it as known, the server sends no view back, and the
  // page shows the one it had, with no request of its own. (How fast that is, is the bench's: timings only logged.)
  console.log(`next sample on screen after the server's answers: approve ${approveTiming.next} ms, skip ${skipTiming.next} ms (server ${approveTiming.server} / ${skipTiming.server} ms after the key)`);
  expect([approveTiming.claimSentView, skipTiming.claimSentView]).toEqual([false, false]);
  const third = Number((await heading(page).innerText()).replace("Sample #", ""));
  expect([first, second]).not.toContain(third);
  expect((await statusOf(page.request, second)).status).toBe("passed");

  // `k` goes back to the sample before (browser history); forward returns.
  await page.keyboard.press("k");
  await expect(heading(page)).toHaveText(`Sample #${second}`);
  await page.goForward();
  await expect(heading(page)).toHaveText(`Sample #${third}`);
  await expect(page.locator("[data-next-ready]")).toBeVisible();

  await page.keyboard.press("a");
  await expect(page.getByRole("heading", { name: "Queue empty" })).toBeVisible();
  await expect(page.getByText("you decided 2 samples in this session")).toBeVisible();
  expect((await statusOf(page.request, third)).status).toBe("approved");

  // A skip lasts: coming back to the queue later, on a fresh page, the reviewer is not handed the skipped sample again.
  await page.goto(`/review?dataset=${datasetId}`);
  await page.getByRole("button", { name: "Review next" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Queue empty" })).toContainText("or you skipped what is left");
  await expect(page).toHaveURL(new RegExp(`/review\\?dataset=${datasetId}$`));
  expect((await statusOf(page.request, second)).status).toBe("passed");
});

test("the page shows a long CoT readably, tools with their parameters, and a stage-4 failure on the exact argument", async ({ page }) => {
  const { sample } = await preparedDataset(page.request, "show", [
    { query: "What is the weather like in Lyon right now?", answers: weather("Lyon"), cot: LONG_COT },
    { query: "Weather in Lyon in kelvin, please. [[fake:teacher-bad]]", answers: weather("Lyon", { scale: "kelvin" }) },
  ]);

  const long = sample("What is the weather like in Lyon right now?");
  await open(page, `/samples/${long.sample_id}`);
  const cot = page.getByTestId("cot");
  await expect(cot).toContainText("Check 8: the call must name get_weather exactly");
  // Long text scrolls inside its panel, not the page.
  expect(await cot.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
  const book = page.getByRole("table", { name: "Parameters of book_table" });
  await expect(book.locator('tr[data-param="time"]')).toContainText("one of");
  await expect(book.locator('tr[data-param="time"]')).toContainText("21:00");
  await expect(book.locator('tr[data-param="seats"]')).toContainText("integer");
  await expect(book.locator('tr[data-param="seats"]')).toContainText("required");
  await expect(page.getByRole("table", { name: "Parameters of get_weather" }).locator('tr[data-param="unit"]')).toContainText('default "celsius"');
  await expect(page.locator('[data-timeline-stage="5"]')).toHaveAttribute("data-stage-outcome", "pass");
  await screenshot(page, "review-long-cot");
  // Every stage's outcome is in the header, in view at 1600×1000 without scrolling.
  await page.setViewportSize({ width: 1600, height: 1000 });
  const strip = page.getByTestId("verdict-strip");
  await expect(strip.locator('[data-strip-stage="5"]')).toHaveAttribute("data-stage-outcome", "pass");
  await expect(strip).toBeInViewport();
  await screenshot(page, "review-1600", { fullPage: false });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Full height, and the page remembers it: the whole CoT reads without an inner scroll, after a reload too.
  await page.getByRole("button", { name: "Full height" }).click();
  await expect(cot).toHaveAttribute("data-full", "true");
  expect(await cot.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(false);
  await open(page, `/samples/${long.sample_id}`);
  await expect(page.getByTestId("cot")).toHaveAttribute("data-full", "true");
  await page.getByRole("button", { name: "Scroll in the panel" }).click();
  await expect(page.getByTestId("cot")).toHaveAttribute("data-full", "false");

  // The teacher keeps adding an unknown argument: discarded by stage 4's rule, marked on that argument.
  const bad = sample("Weather in Lyon in kelvin, please. [[fake:teacher-bad]]");
  expect(bad.status).toBe("discarded");
  await open(page, `/samples/${bad.sample_id}`);
  const marked = page.locator('[data-argument="fake_unknown_argument"]');
  await expect(marked).toHaveAttribute("data-highlight", "unknown_argument");
  await expect(marked.getByTestId("highlight-note")).toContainText("fake_unknown_argument is not a parameter of get_weather");
  await expect(page.locator('[data-argument="city"]')).not.toHaveAttribute("data-highlight");
  await expect(page.locator('[data-timeline-stage="4"]')).toHaveAttribute("data-stage-outcome", "fail");
  await expect(page.getByTestId("verdict-strip").locator('[data-strip-stage="4"]')).toHaveAttribute("data-stage-outcome", "fail");
  await expect(page.locator('[data-timeline-stage="4"]').getByText(/earlier round/)).toBeVisible();
  await screenshot(page, "review-stage4-failure");
});

test("regenerate in the background, then compare original and regenerated in the diff", async ({ page }) => {
  // A city the query does not name, which the stage-4 judge is told to pass: the regeneration has something to fix.
  const query = "Weather in Lyon? [[fake:pass@judge-values]]";
  const { sample } = await preparedDataset(page.request, "regen", [{ query, answers: weather("Paris"), cot: "The user wants the weather: get_weather with city Paris." }]);
  const { sample_id: id } = sample(query);
  const { version } = await statusOf(page.request, id);
  await open(page, `/samples/${id}`);
  await expect(page.getByRole("region", { name: "Revisions" })).toContainText("No revision yet");

  await page.keyboard.press("r");
  const dialog = page.getByRole("dialog", { name: "Regenerate" });
  await expect(dialog.getByLabel("CoT and answer")).toBeChecked();
  // The dialog opens with focus in the instruction: what the reviewer types goes there, and Ctrl+Enter starts it.
  await expect(dialog.getByLabel(/Instruction to the model/)).toBeFocused();
  await page.keyboard.type("Use the city exactly as the tool describes it.");
  await page.keyboard.press("Control+Enter");
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("task-running")).toContainText("Regenerating the CoT and answer…");
  await expect(page.getByRole("button", { name: /Regenerating…/ })).toBeDisabled();

  await expect(page.getByTestId("notice")).toContainText("Regenerated the CoT and answer", { timeout: 20_000 });
  await expect(page.getByTestId("task-running")).toBeHidden();
  await expect(page.getByTestId("sample-version")).toHaveText(`version ${version + 1}`);
  await expect(page.getByTestId("answer-regenerated")).toHaveText("Answer regenerated by the teacher (attempt 1) — see Revisions");
  // The fake teacher takes the city from the query: the diff shows the city it changed.
  const diff = page.getByTestId("answer-diff");
  await expect(diff.locator('[data-change="removed"]')).toContainText('"city": "Paris"');
  await expect(diff.locator('[data-change="added"]')).toContainText('"city": "Lyon"');
  await expect(page.getByTestId("cot-diff").locator('[data-change="added"]').first()).toBeVisible();
  await expect(page.getByTestId("history-point")).toHaveCount(2);
  await expect(page.getByTestId("history-point").nth(1)).toContainText("human:");
  await expect(page.getByTestId("history-point").nth(1)).toContainText("Use the city exactly as the tool describes it.");
  await page.getByRole("region", { name: "Revisions" }).scrollIntoViewIfNeeded();
  await screenshot(page, "review-diff", { fullPage: false });

  // The original was better after all: "Use this version" makes it current again, as a new revision sent back to review.
  await page.getByTestId("history-point").first().click();
  await page.getByRole("button", { name: "Use this version" }).click();
  await expect(page.getByTestId("notice")).toContainText(`Original is the current version again (version ${version + 2}); it is back in review`);
  await expect(page.getByTestId("sample-version")).toHaveText(`version ${version + 2}`);
  await expect(page.getByTestId("sample-status")).toHaveText("Flagged");
  await expect(page.getByTestId("answer-regenerated")).toHaveCount(0);
  await expect(page.getByTestId("history-point")).toHaveCount(3);
  await expect(page.getByTestId("history-point").nth(2)).toContainText("Reverted to the original by");
  const { sample: now } = await (await page.request.get(`/api/samples/${id}`)).json();
  expect(now.answer).toEqual({ kind: "calls", calls: weather("Paris") });
});

test("undo: u takes back the decision just made, from the next sample too: the sample comes back as it was, held by the reviewer", async ({ page }) => {
  const queries = ["Weather in Gdansk?", "Weather in Krakow?"];
  const { datasetId, sample } = await preparedDataset(page.request, "undo", queries.map((q) => ({ query: q, answers: weather(q.slice(11, -1)) })));
  const first = (await (await page.request.post("/api/review/next", { data: { datasetId } })).json()).sampleId as number;
  await open(page, `/samples/${first}?queue=1&dataset=${datasetId}`);
  const before = await statusOf(page.request, first);

  // Discard with a reason: the next sample shows, with the toast offering the undo.
  await page.keyboard.press("d");
  await page.keyboard.type("wrong city");
  await page.keyboard.press("Enter");
  const toast = page.getByTestId("undo-toast");
  await expect(toast).toContainText(`Discarded sample #${first}`);
  const second = queries.map((q) => sample(q).sample_id).find((n) => n !== first)!;
  await expect(heading(page)).toHaveText(`Sample #${second}`);
  expect((await statusOf(page.request, first)).status).toBe("discarded");
  await screenshot(page, "review-undo-toast", { fullPage: false });

  await page.keyboard.press("u");
  await expect(heading(page)).toHaveText(`Sample #${first}`);
  await expect(page.getByTestId("sample-status")).toHaveText("Passed");
  await expect(page.getByText("Claimed by you")).toBeVisible();
  await expect(page.getByTestId("notice")).toContainText(`Undone: discarded sample #${first} — it is passed again`);
  await expect(toast).toBeHidden();
  const after = (await (await page.request.get(`/api/samples/${first}`)).json()).sample;
  expect(after).toMatchObject({ status: "passed", version: before.version + 2 });
  await expect(page.getByTestId("sample-history")).toContainText(`Undid the discard of sample ${first} (back to passed)`);

  // The toast goes after 10 s: then u does nothing.
  await page.keyboard.press("a");
  await expect(toast).toContainText(`Approved sample #${first}`);
  await expect(toast).toBeHidden({ timeout: 15_000 });
  await page.keyboard.press("u");
  await page.waitForTimeout(500);
  expect((await statusOf(page.request, first)).status).toBe("approved");

  // A skip is taken back the same way: the skipped sample is the reviewer's again, on screen.
  await open(page, `/samples/${second}?queue=1&dataset=${datasetId}`);
  await page.keyboard.press("j");
  await expect(toast).toContainText(`Skipped sample #${second}`);
  await page.keyboard.press("u");
  await expect(heading(page)).toHaveText(`Sample #${second}`);
  await expect(page.getByText("Claimed by you")).toBeVisible();
  await expect(page.getByTestId("notice")).toContainText(`Undone: skipped sample #${second} — it is yours again`);

  // Later, the sample's History still offers it, while nothing changed since.
  await open(page, `/samples/${first}`);
  await page.getByTestId("sample-history").getByRole("button", { name: "Undo this decision" }).click();
  await expect(page.getByTestId("sample-status")).toHaveText("Passed");
  await expect(page.getByTestId("sample-history").getByRole("button", { name: "Undo this decision" })).toHaveCount(0);
});

test("dialogs keep what you type: focus in the first field, Enter or Ctrl+Enter submits, Esc closes, no shortcut fires meanwhile", async ({ page }) => {
  const queries = ["Weather in Bergen?", "Weather in Turku?"];
  const { sample } = await preparedDataset(page.request, "dialogs", queries.map((q) => ({ query: q, answers: weather(q.slice(11, -1)) })));
  const { sample_id: id } = sample(queries[0]);
  await open(page, `/samples/${id}`);

  // d: the reason field has focus; Esc closes and nothing is decided.
  await page.keyboard.press("d");
  const discard = page.getByRole("dialog", { name: "Discard this sample" });
  await expect(discard.getByLabel("Reason")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(discard).toBeHidden();
  expect((await statusOf(page.request, id)).status).toBe("passed");

  // c opens the re-check; with the dialog open, a click on its text and then `a` approve nothing.
  await page.keyboard.press("c");
  const recheck = page.getByRole("dialog", { name: "Re-check" });
  await recheck.getByText("Run the stages again").click();
  await page.keyboard.press("a");
  await page.keyboard.press("j");
  await expect(recheck).toBeVisible();
  expect((await statusOf(page.request, id)).status).toBe("passed");
  await page.keyboard.press("Escape");
  await expect(recheck).toBeHidden();

  // d again: typing goes straight into the reason, Enter submits the one-line form.
  await page.keyboard.press("d");
  await page.keyboard.type("the city is not the one asked for");
  await page.keyboard.press("Enter");
  await expect(discard).toBeHidden();
  await expect(page.getByTestId("sample-status")).toHaveText("Discarded");
  await expect(page.getByTestId("sample-history")).toContainText("the city is not the one asked for");

  // On a discarded sample, Restore opens with focus in its reason too.
  await page.keyboard.press("d");
  const restore = page.getByRole("dialog", { name: "Restore to review" });
  await expect(restore.getByLabel("Reason")).toBeFocused();
  await page.keyboard.type("the judge was right after all");
  await page.keyboard.press("Control+Enter");
  await expect(restore).toBeHidden();
  await expect(page.getByTestId("sample-status")).toHaveText("Flagged");
});

test("edit: a validation error blocks saving, the fix saves as a new version by the reviewer; a re-check passes it again", async ({ page }) => {
  // The query asks for fahrenheit, so the edit below that adds the unit is one the stage-4 judge passes.
  const query = "Weather in Oslo, in fahrenheit?";
  const { sample } = await preparedDataset(page.request, "edit", [{ query, answers: weather("Oslo"), cot: "Oslo: get_weather with city Oslo." }]);
  const { sample_id: id } = sample(query);
  const { version } = await statusOf(page.request, id);
  await open(page, `/samples/${id}`);
  await page.keyboard.press("e");
  const editor = page.getByTestId("edit-panel");
  const calls = editor.getByLabel("Calls");
  await expect(calls).toHaveValue(/"city": "Oslo"/);
  await calls.fill('[get_weather(town="Oslo")]');
  const validation = editor.getByTestId("edit-validation");
  await expect(validation).toHaveAttribute("data-state", "failing");
  const problems = editor.getByTestId("edit-problem");
  await expect(problems.filter({ hasText: "calls[0].arguments.town" })).toContainText("town is not a parameter of get_weather");
  await expect(problems.filter({ hasText: "calls[0].arguments.city" })).toContainText("required parameter city is missing");
  await expect(editor.getByRole("button", { name: "Save edit" })).toBeDisabled();
  await editor.getByRole("button", { name: "Save edit" }).scrollIntoViewIfNeeded();
  await screenshot(page, "review-edit-error", { fullPage: false });

  await calls.fill('[get_weather(city="Oslo", unit="fahrenheit")]');
  await expect(validation).toHaveAttribute("data-state", "ok");
  await calls.press("Control+Enter");
  await expect(page.getByTestId("notice")).toContainText(`Saved your edit as version ${version + 1}`);
  await expect(editor).toBeHidden();
  await expect(page.getByTestId("calls")).toContainText("unit='fahrenheit'");
  await expect(page.getByTestId("sample-status")).toHaveText("Flagged");
  await expect(page.getByTestId("history-point").nth(1)).toContainText("Edited");
  // Re-check with all stages: the judges pass the edited calls, and the sample is passed again.
  await page.keyboard.press("c");
  const recheck = page.getByRole("dialog", { name: "Re-check" });
  await expect(recheck.getByLabel(/All stages/)).toBeChecked();
  await recheck.getByRole("button", { name: "Re-check" }).click();
  await expect(page.getByTestId("notice")).toContainText("Re-checked with all stages", { timeout: 20_000 });
  await expect(page.getByTestId("sample-status")).toHaveText("Passed");

  // A key pressed in a field is typing, not a shortcut: "a" in the compare select approves nothing.
  await page.getByLabel("Compare from").focus();
  await page.keyboard.press("a");
  await page.getByLabel("Compare from").selectOption({ label: "Original" });
  await expect(page.getByTestId("sample-status")).toHaveText("Passed");
  const view = (await (await page.request.get(`/api/samples/${id}`)).json()) as { sample: { status: string; revisions: { author: string }[] } };
  expect(view.sample.status).toBe("passed");
  expect(view.sample.revisions.at(-1)!.author).toBe(`human:${E2E_USERS.admin.email}`);

  // Discarded after all, then restored with the original answer: the calls as imported come back, flagged for review.
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("d");
  await page.getByRole("dialog", { name: "Discard this sample" }).getByLabel("Reason").fill("fahrenheit was never asked for");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("sample-status")).toHaveText("Discarded");
  await page.keyboard.press("d");
  const restore = page.getByRole("dialog", { name: "Restore to review" });
  await restore.getByLabel("Reason").fill("the imported answer was right");
  await restore.getByLabel(/Restore with the original answer/).check();
  await restore.getByLabel("Reason").press("Enter");
  await expect(restore).toBeHidden();
  await expect(page.getByTestId("sample-status")).toHaveText("Flagged");
  await expect(page.getByTestId("calls")).not.toContainText("fahrenheit");
  await expect(page.getByTestId("history-point").filter({ hasText: "Restored with the original answer (the imported answer was right)" })).toBeVisible();
});

test("discard with a reason; a stale write from a second browser gets the conflict message and overwrites nothing", async ({ page, browser }) => {
  const queries = ["Weather in Rome?", "Weather in Riga?"];
  const { sample } = await preparedDataset(page.request, "discard", queries.map((q) => ({ query: q, answers: weather(q.slice(11, -1)) })));

  // Discard: the reason is required, typing it fires no shortcut, the stage is optional.
  const rome = sample(queries[0]).sample_id;
  await open(page, `/samples/${rome}`);
  await page.keyboard.press("d");
  const dialog = page.getByRole("dialog", { name: "Discard this sample" });
  await dialog.getByRole("button", { name: "Discard" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("A reason is required to discard.");
  await dialog.getByLabel("Reason").fill("a duplicate of another sample");
  await dialog.getByLabel(/Stage at fault/).selectOption("2");
  await dialog.getByLabel("Reason").press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("sample-status")).toHaveText("Discarded");
  await expect(page.getByTestId("status-reason")).toContainText("a duplicate of another sample");
  // D on a discarded sample restores it to review, with a reason too.
  await page.keyboard.press("d");
  const restore = page.getByRole("dialog", { name: "Restore to review" });
  await restore.getByLabel("Reason").fill("not a duplicate after all");
  await restore.getByRole("button", { name: "Restore" }).click();
  await expect(page.getByTestId("sample-status")).toHaveText("Flagged");
  await expect(page.getByTestId("status-reason")).toContainText("not a duplicate after all");

  // Two reviewers on one sample: B approves, then A (still on the old version) tries to discard.
  const riga = sample(queries[1]).sample_id;
  const before = await statusOf(page.request, riga);
  await open(page, `/samples/${riga}`);
  await expect(page.getByTestId("sample-version")).toHaveText(`version ${before.version}`);
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL, storageState: storageStatePath("annotator") });
  const second = await other.newPage();
  await open(second, `/samples/${riga}`);
  await second.keyboard.press("a");
  await expect(second.getByTestId("sample-status")).toHaveText("Approved");
  const otherName = E2E_USERS.annotator.email;

  await page.keyboard.press("d");
  await page.getByLabel("Reason").fill("wrong city");
  await page.getByLabel("Reason").press("Enter");
  const banner = page.getByTestId("conflict");
  await expect(banner).toContainText(`Changed by ${otherName} at`);
  await expect(banner).toContainText("since you opened it — reload to see it.");
  await expect(banner).toContainText("Nothing was overwritten");
  await screenshot(page, "review-conflict", { fullPage: false });
  expect(await statusOf(page.request, riga)).toMatchObject({ status: "approved", version: before.version + 1 });

  await banner.getByRole("button", { name: "Reload the sample" }).click();
  await expect(banner).toBeHidden();
  await expect(page.getByTestId("sample-status")).toHaveText("Approved");
  await expect(page.getByTestId("sample-version")).toHaveText(`version ${before.version + 1}`);
  await other.close();
});

test("the review API validates its input and answers 404 and 409 plainly", async ({ request }) => {
  const { sample } = await preparedDataset(request, "api", [{ query: "Weather in Bern?", answers: weather("Bern") }]);
  const id = sample("Weather in Bern?").sample_id;
  const { version } = await statusOf(request, id);
  const post = (path: string, data: unknown) => request.post(`/api/samples/${path}`, { data });

  const noReason = await post(`${id}/decision`, { action: "discard", expectedVersion: version });
  expect(noReason.status()).toBe(400);
  expect((await noReason.json()).error).toBe("reason is required to discard or restore");
  expect((await (await post(`${id}/decision`, { action: "approve" })).json()).error).toMatch(/^expectedVersion must be/);
  expect((await (await post(`${id}/decision`, { action: "bless", expectedVersion: 1 })).json()).error).toBe("action must be approve, discard or restore");
  expect((await (await post(`${id}/tasks`, { kind: "explode", expectedVersion: 1 })).json()).error).toBe("kind must be regenerate or recheck");
  expect((await post("2147483000/decision", { action: "approve", expectedVersion: 1 })).status()).toBe(404);
  expect((await request.get("/api/samples/abc")).status()).toBe(400);

  const stale = await post(`${id}/tasks`, { kind: "recheck", stages: "rules", expectedVersion: version + 3 });
  expect(stale.status()).toBe(409);
  expect((await stale.json()).current).toMatchObject({ version, status: "passed", by: expect.stringMatching(/^run #\d+$/) });
  const check = await post(`${id}/edit/validate`, { answer: "[get_weather(city=1)]", cot: "x" });
  expect((await check.json()).failing[0]).toMatchObject({ stage: 4, fields: ["calls[0].arguments.city"] });
});

/** Presses `a` and checks no decision was sent (the "?" after it shows the keys were handled). */
async function expectApproveKeyIgnored(page: Page) {
  const decisions: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/decision")) decisions.push(r.url());
  });
  await page.keyboard.press("a");
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog")).toBeVisible();
  expect(decisions).toEqual([]);
  await page.keyboard.press("Escape");
}

test("a sample without an answer cannot be approved: the button says why, and the server refuses it", async ({ page, request }) => {
  const name = uniqueName("no-answer");
  // A BFCL record without its possible_answer file: the sample has no reference answer until a full run writes one.
  const record = {
    id: "simple_0",
    question: [[{ role: "user", content: "What is the area of a triangle with base 10 and height 5?" }]],
    function: [{ name: "triangle_area", description: "Area of a triangle.", parameters: { type: "dict", properties: { base: { type: "integer", description: "Base." }, height: { type: "integer", description: "Height." } }, required: ["base", "height"] } }],
  };
  const summary = await importThroughApi(request, { body: Buffer.from(JSON.stringify(record) + "\n"), dataset: name, fileName: "bfcl.jsonl", format: "bfcl" });
  expect(summary.inserted).toBe(1);
  const audit = await request.get(`/api/datasets/${name}/export?format=audit&status=pending`);
  const { sample_id: id } = JSON.parse((await audit.text()).trim()) as { sample_id: number };

  await page.goto(`/samples/${id}`);
  const approve = page.getByRole("toolbar", { name: "Review actions" }).getByRole("button", { name: /^Approve/ });
  await expect(approve).toBeDisabled();
  await expect(approve).toHaveAttribute("title", /No answer to approve yet/);
  // The key sends nothing either; discarding stays possible.
  await expectApproveKeyIgnored(page);
  await expect(page.getByRole("button", { name: /^Discard/ })).toBeEnabled();

  const refused = await request.post(`/api/samples/${id}/decision`, { data: { action: "approve", expectedVersion: 1 } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error).toBe(`Sample ${id} has no answer yet: regenerate or edit it before approving.`);
  expect((await (await request.get(`/api/samples/${id}`)).json()).sample).toMatchObject({ status: "pending", version: 1 });
});

test("a call answer that does not parse is no text sample: the run discards it at stage 5, the page and the editor name the problem", async ({ page, request }) => {
  const dataset = uniqueName("malformed");
  const query = "Weather in Lyon? [[fake:teacher-malformed]]";
  const malformed = "[get_weather(city='Lyon')]\nHope this helps!";
  const record = { id: "malformed-1", query, tools: JSON.stringify(TOOLS), answers: "[]", answer_text: malformed, cot: "Lyon: get_weather with city Lyon." };
  const summary = await importThroughApi(request, { body: Buffer.from(JSON.stringify(record) + "\n"), dataset, fileName: `${dataset}.jsonl` });
  expect(summary.inserted).toBe(1);
  const [{ sample_id: id, status }] = await runAllStages(request, dataset);
  // The teacher kept writing prose after its calls: discarded, never saved as a text sample.
  expect(status).toBe("discarded");

  await open(page, `/samples/${id}`);
  const problem = "text after the call list: 'Hope this helps!'";
  await expect(page.getByTestId("status-reason").first()).toContainText(`Regeneration exhausted after 1 attempt: The training text is malformed: ${problem}.`);
  await expect(page.locator('[data-testid="verdict"][data-stage="5"][data-outcome="fail"]').first()).toContainText(problem);
  // The answer (the teacher's last one) is shown as a call that does not parse, with stage 5's problem.
  await expect(page.getByText("A call that does not parse", { exact: true })).toBeVisible();
  await expect(page.getByTestId("format-problem")).toContainText(problem);
  await page.getByTestId("format-problem").scrollIntoViewIfNeeded();
  await screenshot(page, "review-malformed-call", { fullPage: false });

  // The editor says the same, and a fixed call list saves as calls.
  await page.keyboard.press("e");
  const editor = page.getByTestId("edit-panel");
  const answer = editor.getByLabel("Text answer");
  await expect(answer).toHaveValue(/Hope this helps!/);
  await answer.fill(`${await answer.inputValue()} `);
  const validation = editor.getByTestId("edit-validation");
  await expect(validation).toHaveAttribute("data-state", "failing");
  await expect(editor.getByTestId("edit-problem").filter({ hasText: "Stage 5" })).toContainText(problem);
  await answer.fill('[get_weather(city="Lyon")]');
  await expect(validation).toHaveAttribute("data-state", "ok");
  await answer.press("Control+Enter");
  await expect(page.getByTestId("notice")).toContainText("Saved your edit");
  await expect(page.getByTestId("calls")).toContainText("city='Lyon'");
});

test("a person overrides the judges, never the rules: a discarded sample whose answer fails a rule cannot be approved until edited", async ({ page, request }) => {
  const name = uniqueName("rule-fails");
  const tools = [{ name: "detect_intents", description: "Intents of a text.", parameters: { text: { type: "str", description: "Text." }, intents: { type: "List[str]", description: "Candidate intents." } } }];
  const record = {
    id: 1,
    query: "Which intents does 'will it rain tomorrow?' have?",
    tools: JSON.stringify(tools),
    answers: JSON.stringify([{ name: "detect_intents", arguments: { text: "will it rain tomorrow?", intents: "Weather" } }]),
    cot: "The user asks for the intents of the text; detect_intents takes the text and the candidate intents.",
  };
  const summary = await importThroughApi(request, { body: Buffer.from(JSON.stringify(record) + "\n"), dataset: name, fileName: "xlam.jsonl" });
  expect(summary.inserted).toBe(1);
  const audit = await request.get(`/api/datasets/${name}/export?format=audit&status=pending`);
  const { sample_id: id } = JSON.parse((await audit.text()).trim()) as { sample_id: number };
  const discarded = await request.post(`/api/samples/${id}/decision`, { data: { action: "discard", expectedVersion: 1, reason: "the judge said no" } });
  expect(discarded.status()).toBe(200);

  const why = 'fails stage 4 (rule:function-params): detect_intents(intents=…): "Weather" is a string, expected array of string — edit it to fix';
  await open(page, `/samples/${id}`);
  const approve = page.getByRole("toolbar", { name: "Review actions" }).getByRole("button", { name: /^Approve/ });
  await expect(approve).toBeDisabled();
  await expect(approve).toHaveAttribute("title", `Cannot approve: this version ${why}.`);
  await expect(page.getByTestId("approve-refusal")).toHaveText(`Cannot approve: this version ${why}.`);
  await expectApproveKeyIgnored(page);
  // The server is the real guard: the same refusal to a request sent around the page.
  const refused = await request.post(`/api/samples/${id}/decision`, { data: { action: "approve", expectedVersion: 2 } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error).toBe(`Sample ${id} ${why}.`);
  expect((await statusOf(request, id)).status).toBe("discarded");

  // Edited to pass the rules, it can be approved, with the key.
  await page.keyboard.press("e");
  const editor = page.getByTestId("edit-panel");
  await editor.getByLabel("Calls").fill('[detect_intents(text="will it rain tomorrow?", intents=["Weather"])]');
  await expect(editor.getByTestId("edit-validation")).toHaveAttribute("data-state", "ok");
  await editor.getByLabel("Calls").press("Control+Enter");
  await expect(page.getByTestId("notice")).toContainText("Saved your edit as version 3");
  await expect(page.getByTestId("approve-refusal")).toBeHidden();
  await expect(approve).toBeEnabled();
  await page.keyboard.press("a");
  await expect(page.getByTestId("sample-status")).toHaveText("Approved");
  expect(await statusOf(request, id)).toMatchObject({ status: "approved", version: 4 });
});
