import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { datasetRow, fixture, importInBrowser, sampleReady, screenshot, uniqueName } from "./helpers";
import { importAndRun } from "./queue-data";

test("a multi-turn Hermes file is imported whole, the summary says so, and the sample page shows the conversation as a thread", async ({ page, request }) => {
  const name = uniqueName("hermes");
  await page.goto("/datasets");
  const panel = await importInBrowser(page, { file: fixture("hermes-multi-turn.jsonl"), dataset: name });
  await expect(panel.getByText(`Imported hermes-multi-turn.jsonl into ${name}`)).toBeVisible();
  await expect(panel.getByTestId("import-inserted")).toHaveText("2");
  await expect(panel.getByTestId("import-further-turns")).toHaveText(
    "1 record is a conversation of more than one exchange, imported with every turn and tool result.",
  );

  // The conversation: its first exchange as every sample's, then the tool's result (folded) and the later turn.
  const exported = await request.get(`/api/datasets/${encodeURIComponent(name)}/export?format=audit&status=pending`);
  const first = JSON.parse((await exported.text()).split("\n")[0]);
  expect(first.source_id).toBe("hermes-1");
  await page.goto(`/samples/${first.sample_id}`);
  await expect(page.getByTestId("query")).toHaveText("What is Apple trading at?");
  await expect(page.getByText("Conversation · 2 turns").first()).toBeVisible();
  const thread = page.getByTestId("conversation");
  const result = thread.locator('[data-role="tool"]');
  await expect(result.locator("pre")).toBeHidden();
  await result.getByText("Tool result").click();
  await expect(result.locator("pre")).toContainText("190.1");
  await expect(thread.getByRole("region", { name: "Assistant, turn 2" })).toContainText("Apple trades at $190.10.");
  await expect(page.getByTestId("source-record")).toHaveCount(0);
  await screenshot(page, "review-conversation");

  // ] focuses turn 2; e edits that turn (its text answer), and the revision and the thread say so; [ goes back.
  await sampleReady(page);
  await page.keyboard.press("]");
  await expect(thread.locator('[data-turn="2"]')).toHaveAttribute("data-focused", "true");
  await page.keyboard.press("e");
  const editor = page.getByTestId("edit-panel");
  await expect(page.getByRole("heading", { name: "Edit turn 2" })).toBeVisible();
  const text = editor.getByLabel("Text answer");
  await expect(text).toHaveValue("Apple trades at $190.10.");
  await text.fill("Apple (AAPL) trades at $190.10.");
  await expect(editor.getByTestId("edit-validation")).toHaveAttribute("data-state", "ok");
  await text.press("Control+Enter");
  await expect(page.getByTestId("notice")).toContainText("Saved your edit as version 2");
  await expect(thread.getByRole("region", { name: "Assistant, turn 2" })).toContainText("Apple (AAPL) trades at $190.10.");
  await expect(page.getByTestId("query")).toHaveText("What is Apple trading at?");
  const sample = (await (await request.get(`/api/samples/${first.sample_id}`)).json()).sample;
  expect(sample.revisions.at(-1)).toMatchObject({ turn: 2, reason: expect.stringMatching(/^Edited turn 2 by /) });
  await page.keyboard.press("[");
  await expect(thread.locator('[data-turn="2"]')).not.toHaveAttribute("data-focused", "true");
});

test("a dataset exports as ShareGPT, every turn of a conversation included, with the dataset_info.json entry LLaMA-Factory needs", async ({ page }) => {
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
    ["human", "function_call", "observation", "gpt"],
    ["human", "function_call"],
  ]);
  expect(lines[0].conversations.slice(1).map((turn: { value: string }) => turn.value)).toEqual([
    '<think>\nOne lookup.\n</think>\n\n[{"name":"get_stock_price","arguments":{"symbol":"AAPL"}}]',
    "{'price': 190.1}",
    "Apple trades at $190.10.",
  ]);

  const infoDownload = page.waitForEvent("download");
  await row.getByRole("link", { name: `Download the dataset_info.json entry for ${name} as ShareGPT` }).click();
  const info = JSON.parse(readFileSync(await (await infoDownload).path(), "utf8"));
  expect(info[name]).toMatchObject({ file_name: `${name}.sharegpt.jsonl`, formatting: "sharegpt", columns: { messages: "conversations", tools: "tools" } });
});

test("a conversation whose tool results are marked wrong is left out of the refined set's download, unless the curator includes it", async ({ page, request }) => {
  const name = uniqueName("error-tool");
  const tools = [{ type: "function", function: { name: "get_weather", description: "Current weather for a city.", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];
  const conversation = (city: string, marked: boolean) =>
    JSON.stringify({
      id: `${city}-${marked}`,
      tools,
      ...(marked ? { error_tool_response: true } : {}),
      messages: [
        { role: "user", content: `Weather in ${city}?` },
        { role: "assistant", content: `<think>${city}: get_weather with the city.</think>`, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: JSON.stringify({ city }) } }] },
        { role: "tool", tool_call_id: "c1", content: marked ? "error: the sun exploded" : '{"sky": "clear"}' },
        { role: "assistant", content: `<think>Report it.</think>Here is the weather in ${city}.` },
      ],
    });
  await importAndRun(request, name, [conversation("Lyon", false), conversation("Oslo", true)]);

  await page.goto("/datasets");
  const row = datasetRow(page, name);
  await row.getByRole("link", { name: `Download ${name} as FunReason JSONL (refined set)` }).click();
  await expect(row.getByText(/1 sample will be left out/)).toBeVisible();
  await expect(row.getByText(/error_tool_response/)).toBeVisible();
  const download = page.waitForEvent("download");
  await row.getByRole("button", { name: "Include the conversations with erroneous tool results" }).click();
  const lines = (await readFile(await (await download).path(), "utf8")).trimEnd().split("\n").map((line) => JSON.parse(line));
  expect(lines.map((line) => line.source_id).sort()).toEqual(["Lyon-false", "Oslo-true"]);
  expect(lines.find((line) => line.source_id === "Oslo-true").error_tool_response).toBe(true);
});
