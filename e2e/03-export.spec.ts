import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { datasetRow, fixture, importThroughApi, uniqueName } from "./helpers";

const xlamLines = readFileSync(fixture("xlam-simple-python.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));

test("a dataset downloads in FunReason format, one JSON line per sample", async ({ page, request }) => {
  const name = uniqueName("export");
  const summary = await importThroughApi(request, { body: readFileSync(fixture("xlam-simple-python.jsonl")), dataset: name, fileName: "xlam-simple-python.jsonl" });
  expect(summary.inserted).toBe(12);

  await page.goto("/datasets");
  const row = datasetRow(page, name);
  // Freshly imported samples are pending: the refined set is empty, so the page offers all samples.
  await expect(row.getByLabel(`Samples to export from ${name}`)).toHaveValue("all");

  const downloading = page.waitForEvent("download");
  await row.getByRole("link", { name: /as FunReason JSONL/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${name}.funreason.jsonl`);

  const text = readFileSync(await download.path(), "utf8");
  const lines = text.trimEnd().split("\n");
  expect(lines).toHaveLength(12);
  const samples = lines.map((line) => JSON.parse(line));
  for (const [i, sample] of samples.entries()) {
    expect(sample.messages, `line ${i + 1} has chat messages`).toEqual(expect.any(Array));
    expect(JSON.stringify(sample)).toContain(JSON.stringify(xlamLines[i].query).slice(1, -1));
  }
  // The system message carries the tools, the user message the query.
  const first = samples[0].messages as Array<{ role: string; content: string }>;
  expect(first.find((m) => m.role === "system")?.content).toContain("calculate_triangle_area");
  expect(first.find((m) => m.role === "user")?.content).toBe(xlamLines[0].query);
});

test("the export API streams each format and validates its input", async ({ request }) => {
  const name = uniqueName("export-api");
  await importThroughApi(request, { body: readFileSync(fixture("xlam-one-bad-line.jsonl")), dataset: name, fileName: "x.jsonl" });

  for (const format of ["funreason", "xlam", "openai", "sharegpt", "audit"]) {
    const response = await request.get(`/api/datasets/${name}/export?format=${format}&status=pending`);
    expect(response.status(), format).toBe(200);
    expect(response.headers()["content-disposition"]).toContain(`filename="${name}.${format}.jsonl"`);
    const lines = (await response.text()).trimEnd().split("\n");
    expect(lines, format).toHaveLength(4);
    for (const line of lines) JSON.parse(line);
  }

  // The default is the refined set, empty before the pipeline runs.
  const refined = await request.get(`/api/datasets/${name}/export?format=xlam`);
  expect(refined.status()).toBe(200);
  expect(await refined.text()).toBe("");

  const badFormat = await request.get(`/api/datasets/${name}/export?format=csv`);
  expect(badFormat.status()).toBe(400);
  expect((await badFormat.json()).error).toMatch(/format must be one of funreason, xlam, openai, sharegpt, audit/);

  const badStatus = await request.get(`/api/datasets/${name}/export?format=xlam&status=pending,bogus`);
  expect(badStatus.status()).toBe(400);

  const unknown = await request.get(`/api/datasets/${uniqueName("missing")}/export?format=xlam`);
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error).toMatch(/does not exist/);
});
