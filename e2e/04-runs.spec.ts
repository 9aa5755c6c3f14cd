import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { fixture, importThroughApi, screenshot, screenshotLightAndDark, uniqueName } from "./helpers";
import { weatherLine } from "./queue-data";

const ALL_STATUSES = "pending,passed,text,flagged,approved,discarded";

test("a rules run started from /runs finishes, and a sample page lists its verdicts", async ({ page, request }) => {
  const name = uniqueName("runs");
  const summary = await importThroughApi(request, { body: readFileSync(fixture("xlam-simple-python.jsonl")), dataset: name, fileName: "xlam-simple-python.jsonl" });
  expect(summary.inserted).toBe(12);

  await page.goto("/runs");
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  const form = page.getByRole("form", { name: "Start a run" });
  await form.getByLabel("Dataset").selectOption(name);
  await form.getByLabel("Stages").selectOption("rules");
  // The optional stage is on by default; this fixture is BFCL's own simple_python queries, which it would discard.
  const duplicates = form.getByRole("checkbox", { name: /Duplicates & Contamination/ });
  await expect(duplicates).toBeChecked();
  await duplicates.uncheck();
  await form.getByLabel("Concurrency").fill("4");
  await form.getByLabel("Max regenerations").fill("2");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByText(new RegExp(`Run #\\d+ started on ${name}`))).toBeVisible();
  await expect(form.getByText("12 samples queued.")).toBeVisible();

  const row = page.locator(`tr[data-dataset="${name}"]`);
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 45_000 });
  await expect(row.getByRole("progressbar")).toHaveAttribute("aria-valuetext", "12 / 12");

  // The run's details: verdicts per stage × outcome; every sample was classified by stage 1.
  await row.getByRole("button", { name: /^Run #\d+$/ }).click();
  const detail = page.getByTestId("run-detail");
  await expect(detail.getByRole("heading", { name: new RegExp(`Run #\\d+ · ${name}`) })).toBeVisible();
  const stage1 = detail.locator('tr[data-stage="1"]');
  const stage1Total = async () => {
    let n = 0;
    for (const outcome of ["pass", "fail", "skip", "error"]) n += Number((await stage1.locator(`td[data-outcome="${outcome}"]`).innerText()).replace(/,/g, ""));
    return n;
  };
  await expect.poll(stage1Total).toBe(12);
  await screenshot(page, "runs");

  // A control on a finished run is refused with the reason.
  const runId = Number((await row.getAttribute("data-run")) ?? "0");
  const refused = await request.post(`/api/runs/${runId}`, { data: { action: "pause" } });
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error).toMatch(/succeeded: it cannot pause/);

  // The audit export carries sample_id: open that sample's page directly.
  const audit = await request.get(`/api/datasets/${name}/export?format=audit&status=${ALL_STATUSES}`);
  expect(audit.status()).toBe(200);
  const samples = (await audit.text()).trimEnd().split("\n").map((line) => JSON.parse(line)) as Array<{ sample_id: number; query: string; verdicts: unknown[] }>;
  expect(samples).toHaveLength(12);
  const first = samples[0];
  expect(first.verdicts.length).toBeGreaterThan(0);

  await page.goto(`/samples/${first.sample_id}`);
  await expect(page.getByRole("heading", { level: 1, name: `Sample #${first.sample_id}` })).toBeVisible();
  await expect(page.getByText(first.query)).toBeVisible();
  await expect(page.getByRole("region", { name: "Answer" }).locator("pre")).toContainText("calculate_triangle_area(");
  const verdicts = page.getByTestId("verdict");
  await expect(verdicts).toHaveCount(first.verdicts.length);
  await expect(verdicts.first()).toHaveAttribute("data-stage", "1");
  await expect(verdicts.first()).toContainText("rule:");
  await screenshot(page, "sample");
});

test("the runs API validates its input, and unknown samples are not found", async ({ page, request }) => {
  const unknown = await request.post("/api/runs", { data: { dataset: uniqueName("missing"), stages: "rules" } });
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error).toMatch(/does not exist/);

  const bad = await request.post("/api/runs", { data: { dataset: "x", stages: "some", concurrency: 0 } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatch(/stages must be rules or all/);

  const badAction = await request.post("/api/runs/1", { data: { action: "explode" } });
  expect(badAction.status()).toBe(400);

  const missingRun = await request.get("/api/runs/2147483000");
  expect(missingRun.status()).toBe(404);

  for (const id of ["2147483000", "abc", "0"]) {
    const response = await page.goto(`/samples/${id}`);
    expect(response?.status(), id).toBe(404);
  }
});

test("a running run's Pause and Cancel are in reach without scrolling sideways on a laptop screen", async ({ page, request }) => {
  // Slow judge answers, one at a time: the run is still running when the page is looked at.
  const name = uniqueName("runs-width");
  const lines = ["Lyon", "Paris", "Rome", "Oslo", "Bern", "Nice"].map((city) => weatherLine(`Weather in ${city}? [[fake:slow=3000]]`, { city }));
  await importThroughApi(request, { body: Buffer.from(lines.join("\n") + "\n"), dataset: name, fileName: `${name}.jsonl` });
  const started = await request.post("/api/runs", { data: { dataset: name, stages: "all", concurrency: 1, maxRegenerations: 0 } });
  expect(started.status()).toBe(201);

  await page.goto("/runs");
  const row = page.locator(`tr[data-dataset="${name}"]`);
  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "running");
  // Common laptop widths (the side bar takes 240 px of each), a large screen, and a phone (no side bar).
  for (const width of [1280, 1366, 1440, 1920, 390]) {
    await page.setViewportSize({ width, height: 900 });
    if ([1280, 1440, 390].includes(width)) await screenshotLightAndDark(page, `runs-running-${width}`);
    for (const action of ["Pause", "Cancel"]) {
      const box = await row.getByRole("button", { name: action }).boundingBox();
      expect(box, `${action} at ${width} px`).not.toBeNull();
      expect(box!.x + box!.width, `${action}'s right edge at ${width} px`).toBeLessThanOrEqual(width);
    }
  }

  // The buttons work from there: paused, then cancelled.
  await page.setViewportSize({ width: 1280, height: 900 });
  await row.getByRole("button", { name: "Pause" }).click();
  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "paused");
  await row.getByRole("button", { name: "Cancel" }).click();
  await expect(row.getByTestId("run-status")).toHaveAttribute("data-status", "cancelled");
});
