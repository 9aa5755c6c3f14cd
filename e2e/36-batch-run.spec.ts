import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { e2eDatabase, fullRunForm, importWeatherSamples, screenshotLightAndDark as both, uniqueName } from "./helpers";

/** Starts a batch run of three samples without a CoT from the run form; its row, and its id. */
async function startBatchRun(page: Page, request: APIRequestContext, prefix: string) {
  const name = uniqueName(prefix);
  await importWeatherSamples(request, name);
  const form = await fullRunForm(page, name);
  await form.getByLabel("Mode").selectOption("batch");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByText("3 samples queued.")).toBeVisible();
  const row = page.locator(`tr[data-dataset="${name}"]`);
  await expect(row).toContainText("All stages · Batch API");
  const run = (await row.getByRole("button", { name: /^Run #\d+$/ }).innerText()).replace(/\D/g, "");
  return { row, run };
}

/** Opens the run's detail (the page reloaded first: a run that is not running is not polled). */
async function openRun(page: Page, run: string) {
  await page.reload();
  await page.getByRole("button", { name: `Run #${run}`, exact: true }).click();
}

test("an admin starts a batch run from the run form; the run detail follows its batches until every sample is finished", async ({ page, request }) => {
  // Three samples without a CoT: the first batch asks the teacher for their CoTs, the next ones stages 2, 3 and 4.
  const { row } = await startBatchRun(page, request, "batch");
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

/** A batch run whose first batch is in flight, its detail open: its row and id. */
async function batchInFlight(page: Page, request: APIRequestContext, prefix: string) {
  const { row, run } = await startBatchRun(page, request, prefix);
  await row.getByRole("button", { name: /^Run #\d+$/ }).click();
  await expect(page.getByTestId("run-batch")).toHaveAttribute("data-status", /validating|in_progress/);
  return { row, run };
}

/** Cancels the run from its row. */
async function cancel(row: Locator) {
  await row.getByRole("button", { name: "Cancel" }).click();
  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "cancelled");
}

/** Runs `work` while the LLM settings name a port nothing listens on (the batches' server is out of reach). */
async function whileOutOfReach(request: APIRequestContext, work: () => Promise<void>) {
  expect((await request.patch("/api/settings", { data: { baseURL: "http://127.0.0.1:9/v1" } })).status()).toBe(200);
  try {
    await work();
  } finally {
    expect((await request.patch("/api/settings", { data: { baseURL: null } })).status()).toBe(200);
  }
}

test("a batch run cancelled while its server cannot be reached: the run detail says what is left there, until a worker reaches it", async ({ page, request }) => {
  const { row, run } = await batchInFlight(page, request, "batch-cancel");
  await whileOutOfReach(request, async () => {
    await cancel(row);
    await openRun(page, run);
    const left = page.getByTestId("run-batch-left");
    await expect(left).toContainText("Left at the server after the cancel");
    // (A pass under way when the run was cancelled may have sent the next batch meanwhile: it is looked for too.)
    await expect(left).toContainText(/Batch \S+ · pass \d+ · \S+: could not be (cancelled|looked for at the server): Connection error/);
    await left.scrollIntoViewIfNeeded();
    await both(page, "runs-batch-cancel-unreachable");
  });
  // The server in reach again: a worker's next look ends the batch and deletes its files; nothing is left.
  await expect
    .poll(async () => {
      const { batch: view } = await (await request.get(`/api/runs/${run}`)).json();
      return { inFlight: view.inFlight.length, filesToDelete: view.filesToDelete };
    }, { timeout: 30_000 })
    .toEqual({ inFlight: 0, filesToDelete: 0 });
  await openRun(page, run);
  await expect(page.getByTestId("run-batch")).toHaveAttribute("data-status", /completed|cancelled/);
  await expect(page.getByTestId("run-batch-left")).toHaveCount(0);
});

test("a cancelled batch run whose server stays out of reach: once the batch's 24 h window has passed it is given up as ended, and the detail says why", async ({ page, request }) => {
  const { row, run } = await batchInFlight(page, request, "batch-outlived");
  await whileOutOfReach(request, async () => {
    await cancel(row);
    // A day and more later (the batch's clock set back), a worker's next look gives the batch up.
    const { closeDb, getPool } = await e2eDatabase();
    try {
      await (await getPool()).query(`UPDATE run_batches SET created_at = now() - interval '26 hours' WHERE run_id = $1`, [Number(run)]);
    } finally {
      await closeDb();
    }
    await expect
      .poll(async () => {
        const { batch: view } = await (await request.get(`/api/runs/${run}`)).json();
        return { inFlight: view.inFlight.length, status: view.latest?.status };
      }, { timeout: 30_000 })
      .toEqual({ inFlight: 0, status: "expired" });
    await openRun(page, run);
    await expect(page.getByTestId("run-batch")).toHaveAttribute("data-status", "expired");
    await expect(page.getByTestId("run-batch-problem")).toContainText(/^Given up after the cancel: the server could not be reached \(Connection error\), and the batch's 24 h window has passed, so the server has ended it\.$/);
    await expect(page.getByTestId("run-batch-left")).toHaveCount(0);
    await page.getByTestId("run-batch").scrollIntoViewIfNeeded();
    await both(page, "runs-batch-outlived");
  });
});
