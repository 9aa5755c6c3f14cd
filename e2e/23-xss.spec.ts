// Sample text is attacker-controlled: a dataset from the internet can carry markup in its query, tools, CoT and
// calls. Every page that shows sample text must show it as text — nothing in it may run, load, or become a link.
import { expect, test, type Page } from "@playwright/test";
import { importThroughApi, screenshot, uniqueName } from "./helpers";

// Each payload sets window.__xss (or opens a dialog) if it ever runs.
const SCRIPT = `<script>window.__xss = "script"</script>`;
const IMG = `<img src=x onerror="window.__xss = 'img'">`;
const SVG = `<svg onload="window.__xss = 'svg'"></svg>`;
const LINK = `javascript:window.__xss = 'href'`;
const ANCHOR = `<a href="javascript:window.__xss='anchor'">click me</a>`;
const ALL = `${SCRIPT} ${IMG} ${SVG} ${ANCHOR} ${LINK}`;

function hostileRecord(n: number, token: string) {
  const tool = {
    type: "function",
    function: {
      name: "get_weather",
      description: `Weather. ${ALL}`,
      parameters: {
        type: "object",
        properties: {
          city: { type: "string", description: `The city ${IMG}`, enum: [`Paris ${SCRIPT}`, LINK] },
          note: { type: "string", description: ANCHOR },
        },
        required: ["city"],
      },
    },
  };
  return {
    messages: [
      { role: "user", content: `What is the weather in Paris? ${token} #${n} ${ALL}` },
      {
        role: "assistant",
        content: `<think>The user wants the weather. ${ALL}</think>`,
        tool_calls: [{ type: "function", function: { name: "get_weather", arguments: JSON.stringify({ city: `Paris ${SCRIPT}`, note: `${IMG} ${LINK}` }) } }],
      },
    ],
    tools: [tool],
  };
}

/** Fails the test if anything from a payload ran, loaded or became a link on this page. */
async function assertInert(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator("svg[onload]")).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
  // A <script> element made from the payload (Next's own data scripts carry the text as an escaped string: fine).
  expect(await page.locator("script").evaluateAll((scripts) => scripts.filter((s) => s.textContent?.trim() === 'window.__xss = "script"').length)).toBe(0);
}

test("script, image-onerror and javascript: payloads in samples show as text and never run", async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const failedLoads: string[] = [];
  page.on("requestfailed", (r) => failedLoads.push(r.url()));

  const dataset = uniqueName("xss");
  // A word found only in this test's samples, to search for.
  const token = `hostile${Date.now()}`;
  const body = Buffer.from([1, 2, 3].map((n) => JSON.stringify(hostileRecord(n, token))).join("\n") + "\n");
  const summary = await importThroughApi(request, { body, dataset, fileName: "hostile.jsonl", format: "chat" });
  expect(summary.inserted).toBe(3);
  // The rules stages read every field (their reasons quote the text back): run them, so verdicts show too.
  const run = await request.post("/api/runs", { data: { dataset, stages: "rules" } });
  expect(run.status()).toBe(201);
  const { runId } = (await run.json()) as { runId: number };
  await expect.poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { run: { status: string } }).run.status).toBe("succeeded");

  // The samples table, searching for the payload text itself.
  await page.goto(`/samples?q=${token}`);
  const firstRow = page.locator("tbody tr").filter({ hasText: "What is the weather in Paris?" }).first();
  await expect(firstRow).toBeVisible();
  await expect(firstRow).toContainText("<script>");
  await assertInert(page);

  // The review page: query, tools, parameters with their enum, CoT, calls and verdicts.
  const view = (await (await request.get(`/api/samples?q=${token}`)).json()) as { rows: { id: number }[] };
  expect(view.rows).toHaveLength(3);
  const id = view.rows[0].id;
  await page.goto(`/samples/${id}`);
  await expect(page.getByText(`What is the weather in Paris?`, { exact: false }).first()).toBeVisible();
  await expect(page.getByText(SCRIPT, { exact: false }).first()).toBeVisible();
  await expect(page.getByText(IMG, { exact: false }).first()).toBeVisible();
  await assertInert(page);
  await screenshot(page, "xss-review");
  // The diff and the editor render the same text.
  await page.keyboard.press("e");
  await assertInert(page);
  await page.keyboard.press("Escape");

  for (const path of ["/dashboard", "/discarded", "/audit", "/review", "/runs", "/datasets"]) {
    await page.goto(path);
    await assertInert(page);
  }
  expect(dialogs).toEqual([]);
  expect(failedLoads.filter((url) => url.endsWith("/x"))).toEqual([]);
});
