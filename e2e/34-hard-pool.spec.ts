import { expect, test } from "@playwright/test";
import { importThroughApi, screenshot, uniqueName } from "./helpers";

// A v3 run from the run form: stage 4 fails both answers as they came; the teacher's candidates rescue one sample
// (its first two candidates are bad, the next two good) and none rescues the other.
test("a v3 run sends stage 4 failures to the hard-data pool: the run, the sample and the funnel show how each left it", async ({ page, request }) => {
  const name = uniqueName("pool");
  const tools = JSON.stringify([{ name: "get_time", description: "Time in a city.", parameters: { city: { type: "str", description: "City." } } }]);
  const wrong = JSON.stringify([{ name: "get_time", arguments: { city: "Quito", colour: "blue" } }]);
  const line = (id: number, directive: string) =>
    JSON.stringify({ id, query: `What time is it in Quito (${name})? [[fake:${directive}]]`, tools, answers: wrong, cot: "Quito is named: get_time." });
  await importThroughApi(request, { dataset: name, fileName: "pool.jsonl", body: Buffer.from(`${line(1, "teacher-fixes-after=2")}\n${line(2, "teacher-bad")}\n`) });

  await page.goto("/runs");
  const form = page.getByRole("form", { name: "Start a run" });
  await form.getByLabel("Dataset").selectOption(name);
  await form.getByLabel("Stages").selectOption("all");
  await form.getByRole("checkbox", { name: /Duplicates & Contamination/ }).uncheck();
  await expect(form.getByLabel("Candidates (K)")).toHaveCount(0);
  await form.getByLabel("Flow").selectOption("v3");
  await expect(form.getByLabel("Candidates (K)")).toHaveValue("4");
  await expect(form.getByLabel("Temperature")).toHaveValue("0.8");
  await screenshot(page, "run-form-hard-pool");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByText(new RegExp(`Run #\\d+ started on ${name}`))).toBeVisible();

  const row = page.locator(`tr[data-dataset="${name}"]`);
  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 45_000 });
  await row.getByRole("button", { name: /^Run #\d+$/ }).click();
  await expect(page.getByTestId("run-pool")).toHaveText(
    "Hard-data pool (v3 flow, 4 candidates at temperature 0.8): 2 entered · 1 rescued · 1 dropped · 0 flagged",
  );

  const audit = (await (await request.get(`/api/datasets/${name}/export?format=audit&status=passed,discarded`)).text()).trim().split("\n");
  const bySource = Object.fromEntries(audit.map((l) => JSON.parse(l) as { source_id: string; sample_id: number; status: string }).map((s) => [s.source_id, s]));
  expect(bySource["1"].status).toBe("passed");
  expect(bySource["2"].status).toBe("discarded");

  // The rescued sample: every candidate is a revision, the chosen one last.
  await page.goto(`/samples/${bySource["1"].sample_id}`);
  const revisions = page.getByRole("region", { name: "Revisions" });
  await expect(revisions).toContainText("Hard pool: candidate 3 of 4 (chosen)");
  await expect(revisions).toContainText("Hard pool: candidate 1 of 4 (did not pass)");
  await expect(page.getByText("hard: candidate 3 of 4 chosen (2 passed)").first()).toBeVisible();
  await expect(page.getByTestId("answer-regenerated")).toContainText("Answer chosen from the hard-data pool (candidate 3 of 4)");
  await screenshot(page, "sample-hard-pool");

  await page.goto(`/samples/${bySource["2"].sample_id}`);
  await expect(page.getByText("hard: no candidate passed (4 failed a rule)").first()).toBeVisible();

  await page.goto(`/dashboard?dataset=${encodeURIComponent(name)}`);
  const poolRow = page.getByTestId("funnel-pool");
  await expect(poolRow).toHaveAttribute("data-entered", "2");
  await expect(poolRow).toHaveAttribute("data-rescued", "1");
  await expect(poolRow).toHaveAttribute("data-dropped", "1");
  await expect(poolRow).toContainText("Hard-data pool");
  await page.emulateMedia({ colorScheme: "dark" });
  await poolRow.scrollIntoViewIfNeeded();
  await screenshot(page, "dashboard-hard-pool-dark", { fullPage: false });
});
