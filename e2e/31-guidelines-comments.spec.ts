// Working together, as people do it with keys and clicks: an admin writes a dataset's guidelines (two versions) on
// the Datasets page; an annotator opens the review queue, presses g to read them, approves with a — the decision
// records the version — and comments with an @mention; the admin finds the comment under Mentions, opens it, and it
// is read. Hostile Markdown stays text all the way.
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { storageStatePath } from "./env";
import { e2eDatabase, freshAnnotator, pressUntilUrl, sampleReady, screenshot, uniqueName } from "./helpers";
import { importAndRun, weatherLine } from "./queue-data";

const GUIDELINES_V1 = "# Approve only when\n\nthe city comes from the query.";
const GUIDELINES_V2 = [
  "# Approve only when",
  "",
  "- the **city** comes from the *query*",
  "- the units are `metric` unless the user asks for others",
  "",
  "Discard a sample whose call invents a value. See [BFCL](https://gorilla.cs.berkeley.edu/leaderboard.html).",
  "",
  'Hostile text stays text: <img src=x onerror="window.pwned=1"> and [this link](javascript:window.pwned=1).',
].join("\n");

/** Opens a page of the studio and, on a sample, waits until it takes keys. */
async function open(page: Page, path: string) {
  await page.goto(path);
  if (path.startsWith("/samples/")) await sampleReady(page);
}

/**
 * The unread count beside Mentions in the nav (0 when it shows none), read in one step: counting the badge, then
 * asking for its text, waits forever when the count reaches 0 in between.
 */
async function unreadMentions(page: Page): Promise<number> {
  const [badge] = await page.getByRole("navigation", { name: "Main" }).getByTestId("unread-mentions").allTextContents();
  return badge === undefined ? 0 : Number.parseInt(badge, 10);
}

test("guidelines shown with g and recorded with the decision; a comment @mentions the admin, who opens it from Mentions", async ({ page: admin, browser, request }) => {
  // Three people, a pipeline run and a dozen page loads: longer than one test's default minute on a busy machine.
  test.setTimeout(180_000);
  const dataset = uniqueName("guided");
  const { datasetId } = await importAndRun(request, dataset, [weatherLine("What is the weather in Lyon right now?"), weatherLine("Is it raining in Lyon today? Check the weather.")]);

  // The admin writes version 1 on the Datasets page, then version 2 (Ctrl+Enter saves).
  await open(admin, "/datasets");
  await admin.getByRole("button", { name: `Guidelines of ${dataset}` }).click();
  let dialog = admin.getByRole("dialog");
  await expect(dialog.getByText("None yet.")).toBeVisible();
  await dialog.getByLabel("Markdown").fill(GUIDELINES_V1);
  await dialog.getByRole("button", { name: "Save as version 1" }).click();
  await expect(dialog).toBeHidden();
  await admin.getByRole("button", { name: `Guidelines of ${dataset}` }).click();
  dialog = admin.getByRole("dialog");
  await expect(dialog.getByText(/^Version 1, by admin@e2e\.test/)).toBeVisible();
  await expect(dialog.getByLabel("Markdown")).toHaveValue(GUIDELINES_V1);
  await dialog.getByLabel("Markdown").fill(GUIDELINES_V2);
  await expect(dialog.getByTestId("guidelines-preview").getByRole("heading", { name: "Approve only when" })).toBeVisible();
  await screenshot(admin, "guidelines-editor", { fullPage: false });
  await dialog.getByLabel("Markdown").press("Control+Enter");
  await expect(dialog).toBeHidden();

  // An annotator takes the next sample of the queue: the panel is folded; g opens it with version 2.
  const annie = await freshAnnotator(browser, request, "guide");
  const reviewer = annie.page;
  await open(reviewer, `/review?dataset=${datasetId}`);
  await pressUntilUrl(reviewer, "n", /\/samples\/\d+\?queue=1/);
  await sampleReady(reviewer);
  const first = Number(await reviewer.locator("[data-sample]").getAttribute("data-sample"));
  const panel = reviewer.getByTestId("guidelines-panel");
  await expect(panel).toContainText(`${dataset} · version 2 · by admin@e2e.test`);
  await expect(panel.getByTestId("guidelines-body")).toBeHidden();
  await reviewer.keyboard.press("g");
  const body = panel.getByTestId("guidelines-body");
  await expect(body.getByRole("heading", { name: "Approve only when" })).toBeVisible();
  await expect(body.locator("strong")).toHaveText("city");
  await expect(body.getByRole("link", { name: "BFCL" })).toHaveAttribute("href", "https://gorilla.cs.berkeley.edu/leaderboard.html");
  // The hostile line is text: no image, no javascript: link, nothing ran.
  await expect(body).toContainText('<img src=x onerror="window.pwned=1">');
  await expect(body.locator("img")).toHaveCount(0);
  await expect(body.getByText("this link")).toBeVisible();
  await expect(body.locator('a[href^="javascript"]')).toHaveCount(0);
  expect(await reviewer.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await reviewer.mouse.move(0, 0);
  await panel.screenshot({ path: "test-results/screenshots/guidelines-panel.png" });
  await screenshot(reviewer, "guidelines-open", { fullPage: false });
  if (process.env.E2E_README_SCREENSHOT) await reviewer.screenshot({ path: path.join(import.meta.dirname, "..", "docs", "screenshot-guidelines.png") });

  // `?` lists g; g again folds the panel, and the choice outlives a reload.
  await reviewer.keyboard.press("?");
  await expect(reviewer.getByTestId("shortcut-overlay").locator('[data-shortcut="guidelines"]')).toContainText("Show or hide the dataset's guidelines");
  await reviewer.keyboard.press("Escape");
  await expect(reviewer.getByTestId("shortcut-overlay")).toBeHidden();
  // Keys come back once the page has seen the dialog close (a render later): press until g is taken.
  await expect(async () => {
    await reviewer.keyboard.press("g");
    await expect(body).toBeHidden({ timeout: 1_000 });
  }).toPass();
  await reviewer.keyboard.press("g");
  await expect(body).toBeVisible();

  // Approve with a: the next sample comes; the decision was made under version 2, and History says so.
  await reviewer.keyboard.press("a");
  await expect(reviewer.getByRole("heading", { level: 1 })).not.toHaveText(`Sample #${first}`);
  const { getPool } = await e2eDatabase();
  const decision = await (await getPool()).query<{ guidelines_version: number | null }>(`SELECT guidelines_version FROM review_decisions WHERE sample_id = $1 AND action = 'approve'`, [first]);
  expect(decision.rows).toEqual([{ guidelines_version: 2 }]);
  await open(reviewer, `/samples/${first}`);
  await expect(reviewer.getByTestId("guidelines-body")).toBeVisible(); // remembered open
  const history = reviewer.getByTestId("sample-history");
  await expect(history.locator('[data-action="decision.approve"]')).toContainText("under guidelines version 2");

  // The annotator comments with an @mention (Ctrl+Enter sends): it shows in the thread, rendered, and in History.
  const field = reviewer.getByRole("textbox", { name: "Add a comment" });
  await field.fill("@admin is `Lyon` right for **stage 4**? <script>window.pwned=1</script>");
  await field.press("Control+Enter");
  const thread = reviewer.getByTestId("comment-thread");
  const comment = thread.locator("article[data-comment]").last();
  // The admin the studio made on first start is named "Admin".
  await expect(comment).toContainText("mentions Admin");
  await expect(comment.getByTestId("comment-body").locator("strong")).toHaveText("stage 4");
  await expect(comment.getByTestId("comment-body").locator("code")).toHaveText("Lyon");
  await expect(comment.getByTestId("comment-body")).toContainText("<script>window.pwned=1</script>");
  await expect(field).toHaveValue("");
  await expect(history.locator('[data-action="comment.add"]')).toContainText("Commented: @admin is `Lyon` right for **stage 4**?");
  const commentId = Number(await comment.getAttribute("data-comment"));
  await reviewer.getByRole("heading", { name: /^Comments/ }).scrollIntoViewIfNeeded();
  await reviewer.locator("section").filter({ has: reviewer.getByRole("heading", { name: /^Comments/ }) }).screenshot({ path: "test-results/screenshots/comment-thread.png" });
  expect(await reviewer.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

  // A viewer reads the thread but has no form.
  const viewerContext = await browser.newContext({ storageState: storageStatePath("viewer") });
  const viewer = await viewerContext.newPage();
  await open(viewer, `/samples/${first}`);
  await expect(viewer.locator(`article[data-comment="${commentId}"]`)).toBeVisible();
  await expect(viewer.getByRole("textbox", { name: "Add a comment" })).toHaveCount(0);
  await viewerContext.close();

  // The admin sees a new mention in the nav and under Mentions; opening it (its sample) marks it read.
  await open(admin, "/datasets");
  const unreadBefore = await unreadMentions(admin);
  expect(unreadBefore).toBeGreaterThanOrEqual(1);
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Mentions/ }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Mentions" })).toBeVisible();
  const mention = admin.getByTestId("mentions").locator("li").filter({ has: admin.locator(`article[data-comment="${commentId}"]`) });
  await expect(mention).toHaveAttribute("data-unread", "true");
  await expect(mention).toContainText("New");
  await expect(mention).toContainText(`in ${dataset}`);
  await expect(mention.locator("article header")).toContainText("guide");
  await screenshot(admin, "mentions", { fullPage: false });
  await mention.getByRole("link", { name: `Sample #${first}` }).click();
  await expect(admin).toHaveURL(new RegExp(`/samples/${first}#comment-${commentId}$`));
  await expect(admin.locator(`article[data-comment="${commentId}"]`)).toBeVisible();
  await expect.poll(() => unreadMentions(admin)).toBe(unreadBefore - 1);
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Mentions/ }).click();
  await expect(mention).not.toHaveAttribute("data-unread");
  await expect(mention).not.toContainText("New");
});
