// The samples table in the browser: a small xLAM set is imported and run through all five stages against the fake
// LLM (its directives script which samples fail where), then filtered by status, stage, tool and text, with the URL
// as the state (back restores it), walked with the keyboard, acted on in bulk (a whole filter, and a selection with
// a row someone else changed), and exported.
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { STAGE_ID_MESSAGE } from "../lib/pipeline/stage-registry";
import { importThroughApi, screenshot, uniqueName } from "./helpers";

const tool = (name: string, param: string) => ({ name, description: `${name} tool`, parameters: { [param]: { description: `The ${param}.`, type: "str", default: "" } } });
const WEATHER = [tool("get_weather", "city")];
const STOCK = [tool("stock_price", "symbol")];

/** One xLAM line; the query's [[fake:…]] directive tells the fake judge what to answer. */
const line = (id: string, query: string, tools: object[], calls: object[]) => JSON.stringify({ id, query, tools: JSON.stringify(tools), answers: JSON.stringify(calls) });
const weather = (city: string) => [{ name: "get_weather", arguments: { city } }];

// source id → query; the comment is where the pipeline leaves it.
const SET = [
  line("weather", "What is the weather in Lyon?", WEATHER, weather("Lyon")), // passed
  line("pressure", "What is the barometric pressure in the Lyon weather?", WEATHER, weather("Lyon")), // passed
  line("stock", "Price of ACME shares today?", STOCK, [{ name: "stock_price", arguments: { symbol: "ACME" } }]), // passed
  line("tools-fail", "Weather in Oslo? [[fake:fail@judge-query-tools]]", WEATHER, weather("Oslo")), // discarded at stage 2 (judge)
  line("missing-fn", "Fly me to Lima.", WEATHER, [{ name: "book_flight", arguments: { to: "Lima" } }]), // discarded at stage 2 (rule)
  line("cot-fail", "Weather in Quito? [[fake:fail@judge-cot]]", WEATHER, weather("Quito")), // discarded at stage 3
  line("judge-500", "Weather in Bergen? [[fake:500@judge]]", WEATHER, weather("Bergen")), // flagged: error at stage 2
  line("judge-garbage", "Weather in Nantes? [[fake:garbage@judge-values]]", WEATHER, weather("Nantes")), // flagged: error at stage 4
].join("\n");

/** Imports the set into a new dataset and runs every stage over it; returns the dataset's name. */
async function importAndRun(request: APIRequestContext): Promise<string> {
  const name = uniqueName("table");
  const summary = await importThroughApi(request, { body: Buffer.from(SET), dataset: name, fileName: "table.jsonl" });
  expect(summary.inserted).toBe(8);
  const created = await request.post("/api/runs", { data: { dataset: name, stages: "all", concurrency: 4 } });
  expect(created.status()).toBe(201);
  const { runId } = await created.json();
  await expect
    .poll(async () => (await (await request.get(`/api/runs/${runId}`)).json()).run.status, { timeout: 45_000 })
    .toBe("succeeded");
  return name;
}

/** Leaves the focused field, so keys go to the page's shortcuts. */
const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
const rows = (page: Page) => page.locator("tbody tr[data-sample]");
/** The queries the table shows, top to bottom. */
const queries = (page: Page) => page.locator('tbody td[data-column="query"]').allInnerTexts();

test("filters live in the URL, the back button restores them, and the keyboard walks the rows", async ({ page, request }) => {
  const name = await importAndRun(request);
  await page.goto("/samples");
  await expect(page.getByRole("heading", { level: 1, name: "Samples" })).toBeVisible();
  await page.getByRole("combobox", { name: "Dataset" }).selectOption({ label: name });
  await expect(page).toHaveURL(/[?&]dataset=\d+/);
  await expect(rows(page)).toHaveCount(8);
  await expect(page.getByTestId("total")).toHaveText("8");

  // Status.
  await page.getByRole("button", { name: "Flagged", exact: true }).click();
  await expect(page).toHaveURL(/status=flagged/);
  await expect.poll(() => queries(page)).toEqual(["Weather in Bergen? [[fake:500@judge]]", "Weather in Nantes? [[fake:garbage@judge-values]]"]);
  await expect(page.getByRole("button", { name: "Flagged", exact: true })).toHaveAttribute("aria-pressed", "true");

  // Verdict outcome "error" at stage 4 narrows it to one.
  // Each step is waited for: a change made while the previous one is still loading replaces it in the history
  // (the router never showed it), and this test walks back through both.
  await page.getByRole("combobox", { name: "Verdict", exact: true }).selectOption("error");
  await expect(page).toHaveURL(/outcome=error/);
  await page.getByRole("combobox", { name: "Verdict at stage" }).selectOption("4");
  await expect(page).toHaveURL(/outcome=error&at=4/);
  await expect.poll(() => queries(page)).toEqual(["Weather in Nantes? [[fake:garbage@judge-values]]"]);

  // Back, twice: the status filter alone again, with its rows and its control state.
  await page.goBack();
  await page.goBack();
  await expect(page).not.toHaveURL(/outcome=/);
  await expect(page).toHaveURL(/status=flagged/);
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByRole("combobox", { name: "Verdict", exact: true })).toHaveValue("");

  // Failing stage (instead of status): both stage-2 failures, the judge's and the rule's.
  await page.getByRole("button", { name: "Flagged", exact: true }).click();
  await page.getByRole("combobox", { name: "Failing stage" }).selectOption("2");
  await expect(page).toHaveURL(/failing=2/);
  await expect(page).not.toHaveURL(/status=/);
  await expect.poll(() => queries(page)).toEqual(["Weather in Oslo? [[fake:fail@judge-query-tools]]", "Fly me to Lima."]);
  await page.getByRole("combobox", { name: "Failing stage" }).selectOption("");

  // Tool name (exact).
  const toolBox = page.getByPlaceholder("Tool name (exact)");
  await toolBox.fill("stock_price");
  await toolBox.press("Enter");
  await expect(page).toHaveURL(/tool=stock_price/);
  await expect.poll(() => queries(page)).toEqual(["Price of ACME shares today?"]);
  await toolBox.fill("");
  await toolBox.press("Enter");
  await expect(page).not.toHaveURL(/tool=/);

  // Full-text search, from the keyboard: "/" focuses it (once out of the tool box); typing applies after a pause.
  await blur(page);
  await page.keyboard.press("/");
  await expect(page.getByRole("searchbox")).toBeFocused();
  await page.keyboard.type("barometric");
  await expect(page).toHaveURL(/q=barometric/);
  await expect.poll(() => queries(page)).toEqual(["What is the barometric pressure in the Lyon weather?"]);
  await page.getByRole("searchbox").fill("lyon -barometric");
  await expect.poll(() => queries(page)).toEqual(["What is the weather in Lyon?"]);
  await page.getByRole("searchbox").fill("lyon");
  await expect.poll(() => queries(page)).toEqual(["What is the weather in Lyon?", "What is the barometric pressure in the Lyon weather?"]);
  await expect(page).toHaveURL(/q=lyon(&|$)/);
  await screenshot(page, "samples-table");

  // j/k move the row cursor, x selects, Enter opens the sample with the table's query string (for next/previous).
  await blur(page);
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  await page.keyboard.press("x");
  await expect(page.getByTestId("selection-bar")).toContainText("1 selected");
  await expect(page.getByRole("checkbox", { name: /Select sample/ }).first()).toBeChecked();
  const firstId = await rows(page).first().getAttribute("data-sample");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/samples/${firstId}\\?.*q=lyon`));
});

test("changes made while the table is still loading build on each other", async ({ page, request }) => {
  const name = await importAndRun(request);
  await page.goto("/samples");
  // Every table navigation answers a second late, as on a busy server.
  await page.route(/\/samples\?/, async (route) => {
    if (route.request().headers()["rsc"]) await new Promise((resolve) => setTimeout(resolve, 1000));
    await route.continue();
  });
  await page.getByRole("combobox", { name: "Dataset" }).selectOption({ label: name });
  await page.getByRole("button", { name: "Flagged", exact: true }).click();
  // The control shows the choice at once, before the rows arrive…
  await expect(page.getByRole("button", { name: "Flagged", exact: true })).toHaveAttribute("aria-pressed", "true", { timeout: 500 });
  await page.getByRole("combobox", { name: "Verdict", exact: true }).selectOption("error");
  // …and no change undoes an earlier one: the dataset, the status and the verdict all hold.
  const chosen = () => {
    const params = new URL(page.url()).searchParams;
    return { dataset: Boolean(params.get("dataset")), status: params.get("status"), outcome: params.get("outcome") };
  };
  await expect.poll(chosen).toEqual({ dataset: true, status: "flagged", outcome: "error" });
  await expect.poll(() => queries(page)).toEqual(["Weather in Bergen? [[fake:500@judge]]", "Weather in Nantes? [[fake:garbage@judge-values]]"]);
  await expect(page.getByRole("combobox", { name: "Dataset" })).toHaveValue(/\d+/);
});

test("a whole filter is discarded with a reason, a stale selection reports its row, and the filter exports", async ({ page, request }) => {
  const name = await importAndRun(request);
  await page.goto("/samples");
  await page.getByRole("combobox", { name: "Dataset" }).selectOption({ label: name });
  await page.getByRole("button", { name: "Passed", exact: true }).click();
  await expect(rows(page)).toHaveCount(3);

  // Select all 3 matching (from one ticked row), then discard them with a reason, after a confirmation with the count.
  await page.getByRole("checkbox", { name: /Select sample/ }).first().check();
  await page.getByRole("button", { name: "Select all 3 matching" }).click();
  await expect(page.getByTestId("selection-bar")).toContainText("All 3 matching selected");
  await page.getByRole("button", { name: "Discard…" }).click();
  const dialog = page.getByRole("dialog", { name: "Discard 3 samples?" });
  await expect(dialog).toContainText("Every sample the filter matches now: 3 samples.");
  await expect(dialog.getByRole("button", { name: "Discard 3 samples" })).toBeDisabled();
  await dialog.getByLabel(/Reason/).fill("duplicates of the weather set");
  await screenshot(page, "samples-table-discard-dialog", { fullPage: false });
  await dialog.getByRole("button", { name: "Discard 3 samples" }).click();
  await expect(page.getByTestId("bulk-outcome")).toContainText("3 samples discarded.");
  await expect(page.getByText("No sample matches these filters")).toBeVisible();

  // Now among the discarded (6): select two, let someone else restore one of them meanwhile, then approve both.
  await page.getByRole("button", { name: "Passed", exact: true }).click();
  await page.getByRole("button", { name: "Discarded", exact: true }).click();
  await expect(rows(page)).toHaveCount(6);
  const [first, second] = [await rows(page).nth(0).getAttribute("data-sample"), await rows(page).nth(1).getAttribute("data-sample")].map(Number);
  await page.getByRole("checkbox", { name: `Select sample ${first}` }).check();
  await page.getByRole("checkbox", { name: `Select sample ${second}` }).check();
  const versions = await (await request.get(`/api/samples?dataset=${new URL(page.url()).searchParams.get("dataset")}&status=discarded`)).json();
  const secondVersion = versions.rows.find((r: { id: number }) => r.id === second).version;
  const elsewhere = await request.post("/api/samples/bulk", {
    data: { target: { kind: "selection", samples: [{ id: second, version: secondVersion }] }, action: { action: "approve" } },
  });
  expect((await elsewhere.json()).done).toBe(1);
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  const outcome = page.getByTestId("bulk-outcome");
  await expect(outcome).toContainText("1 sample approved, 1 failed:");
  await expect(outcome).toContainText(`#${second} changed since you loaded it (now approved)`);
  await expect(rows(page)).toHaveCount(4);

  // Export the filter (the 4 still discarded) as xLAM.
  await page.getByRole("checkbox", { name: /Select sample/ }).first().check();
  await page.getByRole("button", { name: "Select all 4 matching" }).click();
  await page.getByRole("button", { name: "Export…" }).click();
  const exportDialog = page.getByRole("dialog", { name: "Export 4 samples" });
  await exportDialog.getByLabel(/xLAM/).check();
  const downloading = page.waitForEvent("download");
  await exportDialog.getByRole("link", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("samples.xlam.jsonl");
  const exported = readFileSync(await download.path(), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
  expect(exported.map((s) => s.query).sort()).toEqual(
    (await queries(page)).sort(),
  );
  expect(exported).toHaveLength(4);
});

test("bad values in the link are named and ignored, bad API input is a 400", async ({ page, request }) => {
  await page.goto("/samples?status=flaged&failing=9");
  await expect(page.getByRole("status").filter({ hasText: "Some values in the link were ignored" })).toContainText(`failing: ${STAGE_ID_MESSAGE}`);
  const bad = await request.get("/api/samples/export?status=nope&format=xlam");
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatch(/^status: must be one of/);
  const noReason = await request.post("/api/samples/bulk", { data: { target: { kind: "filter", query: "status=flagged" }, action: { action: "discard" } } });
  expect(noReason.status()).toBe(400);
  expect((await noReason.json()).error).toBe("a reason is required to discard");
});

test("Decided by: the LLM judges decided what they passed (though a rule stage ran last); a rule decided a missing function", async ({ page, request }) => {
  const name = await importAndRun(request);
  await page.goto("/samples");
  await page.getByRole("combobox", { name: "Dataset" }).selectOption({ label: name });
  await page.getByRole("button", { name: "Passed", exact: true }).click();
  await expect(rows(page).first()).toBeVisible();
  const passed = (await queries(page)).sort();
  expect(passed).toContain("What is the weather in Lyon?");

  await page.getByRole("combobox", { name: "Decided by" }).selectOption({ label: "LLM judge" });
  await expect(page).toHaveURL(/[?&]by=llm/);
  await expect(rows(page)).toHaveCount(passed.length);
  expect((await queries(page)).sort()).toEqual(passed);
  await expect(page.locator('tbody td[data-column="decidedBy"]').first()).toHaveText("LLM");

  await page.getByRole("combobox", { name: "Decided by" }).selectOption({ label: "Rule" });
  await expect(page.getByTestId("total")).toHaveText("0");
});
