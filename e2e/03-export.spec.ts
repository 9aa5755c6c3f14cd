import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { datasetRow, e2eDatabase, fixture, importThroughApi, uniqueName } from "./helpers";

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

test("any selection of statuses can be exported", async ({ page, request }) => {
  const name = uniqueName("export-statuses");
  await importThroughApi(request, { body: readFileSync(fixture("xlam-simple-python.jsonl")), dataset: name, fileName: "x.jsonl" });
  const { closeDb, getPool } = await e2eDatabase();
  // Three of the twelve discarded, as a run would leave them.
  await (await getPool()).query(
    `UPDATE samples SET status = 'discarded' WHERE id IN (SELECT s.id FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = $1 ORDER BY s.id LIMIT 3)`,
    [name],
  );
  await closeDb();

  await page.goto("/datasets");
  const row = datasetRow(page, name);
  await row.getByLabel(`Samples to export from ${name}`).selectOption("chosen");
  const statuses = row.getByRole("group", { name: `Statuses to export from ${name}` });
  // The refined set is chosen to begin with; pick the discarded samples alone.
  await statuses.getByLabel(/^Passed/).uncheck();
  await statuses.getByLabel(/^Approved/).uncheck();
  await statuses.getByLabel(/^Text/).uncheck();
  await statuses.getByLabel(/^Discarded · 3$/).check();
  const downloading = page.waitForEvent("download");
  await row.getByRole("link", { name: `Download ${name} as xLAM JSONL (discarded)` }).click();
  const lines = readFileSync(await (await downloading).path(), "utf8").trimEnd().split("\n");
  expect(lines).toHaveLength(3);
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

test("a refined sample that fails a rule is left out of the download, and the page says which and why before it starts", async ({ page, request }) => {
  const name = uniqueName("export-withheld");
  const tools = JSON.stringify([{ name: "detect_intents", description: "Intents of a text.", parameters: { text: { type: "str", description: "Text." }, intents: { type: "List[str]", description: "Candidates." } } }]);
  const cot = "The user asks for the intents of the text; detect_intents takes the text and the candidates.";
  const record = (id: number, intents: unknown) =>
    JSON.stringify({ id, query: `Intents of text ${id}?`, tools, answers: JSON.stringify([{ name: "detect_intents", arguments: { text: `text ${id}`, intents } }]), cot });
  const summary = await importThroughApi(request, { body: Buffer.from(`${record(1, ["Weather"])}\n${record(2, "Weather")}\n`), dataset: name, fileName: "x.jsonl" });
  expect(summary.inserted).toBe(2);
  // A bug elsewhere put both in the refined set, the second with an answer the stage-4 rule fails.
  const { closeDb, getPool } = await e2eDatabase();
  const { rows } = await (await getPool()).query<{ id: number }>(
    `UPDATE samples SET status = 'approved' WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1) RETURNING id`,
    [name],
  );
  await closeDb();
  const broken = Math.max(...rows.map((r) => r.id));

  await page.goto("/datasets");
  const row = datasetRow(page, name);
  await expect(row.getByLabel(`Samples to export from ${name}`)).toHaveValue("refined");
  await row.getByRole("link", { name: /as xLAM JSONL/ }).click();
  const notice = row.getByTestId("export-withheld");
  await expect(notice).toContainText("1 sample will be left out: the download holds the other 1.");
  await expect(notice).toContainText(`#${broken} fails stage 4 (rule:function-params): detect_intents(intents=…): "Weather" is a string, expected array of string — edit it to fix`);
  await expect(notice.getByRole("link", { name: `#${broken}` })).toHaveAttribute("href", `/samples/${broken}`);

  const downloading = page.waitForEvent("download");
  await row.getByRole("link", { name: "Download the other 1" }).click();
  const lines = readFileSync(await (await downloading).path(), "utf8").trimEnd().split("\n");
  expect(lines.map((l) => JSON.parse(l).query)).toEqual(["Intents of text 1?"]);
});
