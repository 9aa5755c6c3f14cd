import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import type { WaitingRequests } from "../lib/batch/waiting";
import { runBatchElsewhere, studioWith } from "../test/studio-cli";
import { E2E_LLM_PORT, e2eDatabaseEnv } from "./env";
import { fullRunForm, importWeatherSamples, screenshotLightAndDark as both, uniqueName } from "./helpers";

// Panels are settings of the whole e2e server: remove them afterwards, so other specs' run forms stay as they were.
test.afterEach(async ({ request }) => {
  expect((await request.put("/api/settings/panels", { data: { panels: [] } })).status()).toBe(200);
});

const LLM = `http://127.0.0.1:${E2E_LLM_PORT}/v1`;

/** `npm run studio -- <args>` against the e2e database, with the e2e server's LLM settings (the model names). */
const studio = (...args: string[]) =>
  studioWith(
    { DATABASE_URL: undefined, ...e2eDatabaseEnv(), STUDIO_LLM_BASE_URL: LLM, STUDIO_LLM_MODEL: "fake-judge", STUDIO_LLM_TEACHER_MODEL: "fake-teacher", STUDIO_LLM_MAX_RETRIES: "1" },
    ...args,
  );

test("an offline run with a judge panel from the run form: the run detail says what to export next, one file per member's model", async ({ page, request }) => {
  test.setTimeout(240_000);
  const panel = { name: "e2e duo", rule: "all", members: [{ model: "judge-a" }, { model: "judge-b" }] };
  expect((await request.put("/api/settings/panels", { data: { panels: [panel] } })).status()).toBe(200);
  const name = uniqueName("offline-panel");
  await importWeatherSamples(request, name);

  // Mode offline keeps the panel pickers.
  const form = await fullRunForm(page, name);
  await form.getByLabel("Mode").selectOption("offline");
  await form.getByLabel(/Stage 4 · /).selectOption({ label: "Panel e2e duo (2, all must pass)" });
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByText("3 samples queued.")).toBeVisible();
  const row = page.locator(`tr[data-dataset="${name}"]`);
  await expect(row).toContainText("All stages · Batch files");
  const runButton = row.getByRole("button", { name: /^Run #\d+$/ });
  const run = (await runButton.innerText()).replace(/\D/g, "");
  await runButton.click();
  const batch = page.getByTestId("run-batch");
  await expect(batch).toContainText(`No file exported yet: studio batch export --run ${run} --stage <stage> --out <file>`);

  // Round after round: each model's requests waiting exported, answered where the model is (here: the e2e fake),
  // then every output imported.
  // The test's own output folder: Playwright empties it on the next run, and nothing is left in /tmp.
  const dir = test.info().outputPath("batch-files");
  await mkdir(dir, { recursive: true });
  let files = 0;
  const exportAndAnswer = async (stage: number, model?: string) => {
    const input = path.join(dir, `in-${++files}.jsonl`);
    const exported = await studio("batch", "export", "--run", run, "--stage", String(stage), ...(model ? ["--model", model] : []), "--out", input);
    expect(exported.code, exported.stderr).toBe(0);
    const output = path.join(dir, `out-${files}.jsonl`);
    await writeFile(output, await runBatchElsewhere(LLM, await readFile(input, "utf8")));
    return output;
  };
  const importAll = async (outputs: string[]) => {
    let left: WaitingRequests[] = [];
    for (const output of outputs) {
      const imported = await studio("batch", "import", "--run", run, output);
      expect(imported.code, imported.stderr).toBe(0);
      left = imported.summary.waiting;
    }
    return left;
  };
  const round = async (waiting: WaitingRequests[]) => {
    const outputs = [];
    for (const w of waiting) outputs.push(await exportAndAnswer(w.stage!, w.model));
    return importAll(outputs);
  };
  let waiting = await importAll([await exportAndAnswer(2)]);
  while (!waiting.some((w) => w.stage === 4)) waiting = await round(waiting);

  // Stage 4 asks both members: the detail names each model and the command that exports its file.
  const list = page.getByTestId("run-offline-waiting");
  await expect(list).toContainText(/\d+ for model judge-a at stage 4 \(.+\): export next: studio batch export --run \d+ --stage 4 --model judge-a --out <file>/);
  await expect(list).toContainText(/\d+ for model judge-b at stage 4/);
  await expect(list).toContainText(`studio batch export --run ${run} --stage 4 --model judge-b --out <file>`);
  await expect(list).toContainText("A sample at stage 4 moves on once the answers of every model it asks are in.");
  await list.scrollIntoViewIfNeeded();
  await both(page, "runs-offline-panel-waiting");

  // judge-a's file out: the detail names the file and its model, and says to import its output; judge-b's is still to export.
  const judgeA = await exportAndAnswer(4, "judge-a");
  await expect(batch).toContainText(/File run-\d+-pass-\d+ · pass \d+ · judge-a/);
  await expect(list.locator("li").filter({ hasText: "judge-a" })).toContainText(/in file run-\d+-pass-\d+, import its output/);
  await expect(list.locator("li").filter({ hasText: "judge-b" })).toContainText("export next");
  waiting = await importAll([judgeA]);
  while (waiting.length > 0) waiting = await round(waiting);
  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("run-detail")).toContainText("3 of 3 samples finished");
});
