import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { datasetRow, fixture, importInBrowser, uniqueName } from "./helpers";

test("a multi-turn Hermes file is imported as first exchanges, the summary says so, and the sample page shows the whole record", async ({ page, request }) => {
  const name = uniqueName("hermes");
  await page.goto("/datasets");
  const panel = await importInBrowser(page, { file: fixture("hermes-multi-turn.jsonl"), dataset: name });
  await expect(panel.getByText(`Imported hermes-multi-turn.jsonl into ${name}`)).toBeVisible();
  await expect(panel.getByTestId("import-inserted")).toHaveText("2");
  await expect(panel.getByTestId("import-further-turns")).toHaveText(
    "1 record is a conversation of more than one exchange, imported with every turn and tool result.",
  );

  // The sample of the multi-turn record: its first exchange, and the whole record folded away below the tools.
  const exported = await request.get(`/api/datasets/${encodeURIComponent(name)}/export?format=funreason&status=pending`);
  const first = JSON.parse((await exported.text()).split("\n")[0]);
  expect(first.source_id).toBe("hermes-1");
  await page.goto(`/samples/${first.sample_id}`);
  await expect(page.getByTestId("query")).toHaveText("What is Apple trading at?");
  const source = page.getByTestId("source-record");
  await expect(source.locator("pre")).toBeHidden();
  await source.getByText("Source record").click();
  await expect(source.locator("pre")).toContainText("Apple trades at $190.10.");
});

test("a dataset exports as ShareGPT, with the dataset_info.json entry LLaMA-Factory needs", async ({ page }) => {
  const name = uniqueName("sharegpt-export");
  await page.goto("/datasets");
  await importInBrowser(page, { file: fixture("hermes-multi-turn.jsonl"), dataset: name });
  const row = datasetRow(page, name);

  const downloading = page.waitForEvent("download");
  await row.getByRole("link", { name: /as ShareGPT JSONL/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${name}.sharegpt.jsonl`);
  const lines = readFileSync(await download.path(), "utf8").trimEnd().split("\n").map((line) => JSON.parse(line));
  expect(lines.map((line) => line.conversations.map((turn: { from: string }) => turn.from))).toEqual([
    ["human", "function_call"],
    ["human", "function_call"],
  ]);
  expect(lines[0].conversations[1].value).toBe('<think>\nOne lookup.\n</think>\n\n[{"name":"get_stock_price","arguments":{"symbol":"AAPL"}}]');

  const infoDownload = page.waitForEvent("download");
  await row.getByRole("link", { name: `Download the dataset_info.json entry for ${name} as ShareGPT` }).click();
  const info = JSON.parse(readFileSync(await (await infoDownload).path(), "utf8"));
  expect(info[name]).toMatchObject({ file_name: `${name}.sharegpt.jsonl`, formatting: "sharegpt", columns: { messages: "conversations", tools: "tools" } });
});
