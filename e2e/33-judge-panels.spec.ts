import { expect, test, type Page } from "@playwright/test";
import { E2E_LLM_PORT } from "./env";
import { importThroughApi, screenshot, uniqueName } from "./helpers";

// Panels are settings of the whole e2e server: remove them afterwards, so other specs' run forms stay as they were.
test.afterEach(async ({ request }) => {
  expect((await request.put("/api/settings/panels", { data: { panels: [] } })).status()).toBe(200);
});

const MEMBER_KEY = `sk-e2e-panel-${Date.now()}`;

/** Clicks a field and types into it, as a person does. */
async function type(page: Page, label: string, text: string) {
  await page.getByLabel(label, { exact: true }).click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(text);
}

test("a judge panel defined in Settings judges a run's stage 4: the sample shows the panel's verdict and each vote", async ({ page, request }) => {
  await page.goto("/settings");
  const panels = page.getByRole("region", { name: "Judge panels" });
  await expect(panels.getByText("No panel yet: every stage has its single judge.")).toBeVisible();
  await panels.getByRole("button", { name: "New panel" }).click();
  const editor = page.getByRole("form", { name: "Judge panel" });
  await type(page, "Panel name", "e2e trio");
  await editor.getByLabel("Rule").selectOption("majority");
  await type(page, "Member 1 model", "judge-a");
  await type(page, "Member 2 model", "judge-b");
  await type(page, "Member 3 model", "judge-c");
  // The third member on a base URL of its own (the same fake server, named otherwise), with a key for it.
  await type(page, "Member 3 base URL", `http://localhost:${E2E_LLM_PORT}/v1`);
  await type(page, "Member 3 API key", MEMBER_KEY);
  await page.keyboard.press("Tab");
  await editor.getByRole("button", { name: "Save panel" }).click();
  await expect(panels.getByText('Panel "e2e trio" saved')).toBeVisible();
  const saved = panels.getByTestId("judge-panel").filter({ hasText: "e2e trio" });
  await expect(saved).toContainText("a majority must pass");
  await expect(saved).toContainText(`judge-c @ http://localhost:${E2E_LLM_PORT}/v1`);
  await expect(saved.getByText("key set")).toBeVisible();
  await screenshot(page, "settings-judge-panels");

  // A bad panel is refused with the field named, and the saved one stays.
  await panels.getByRole("button", { name: "New panel" }).click();
  await type(page, "Panel name", "lonely");
  await editor.getByRole("button", { name: "Remove member 3" }).click();
  await editor.getByRole("button", { name: "Save panel" }).click();
  await expect(panels.getByRole("alert").filter({ hasText: "The judge panels were not saved" })).toContainText("Member 1 model is needed; Member 2 model is needed.");
  await editor.getByRole("button", { name: "Cancel" }).click();
  await expect(panels.getByTestId("judge-panel")).toHaveCount(1);

  // A sample whose stage-4 judges disagree: judge-b fails it, the two others pass it.
  const name = uniqueName("panels");
  const tools = JSON.stringify([{ name: "get_time", description: "Time in a city.", parameters: { city: { type: "str", description: "City." } } }]);
  const line = JSON.stringify({ id: 1, query: "What time is it in Quito? [[fake:fail@model=judge-b]]", tools, answers: JSON.stringify([{ name: "get_time", arguments: { city: "Quito" } }]) });
  await importThroughApi(request, { dataset: name, fileName: "one.jsonl", body: Buffer.from(`${line}\n`) });

  await page.goto("/runs");
  const form = page.getByRole("form", { name: "Start a run" });
  await form.getByLabel("Dataset").selectOption(name);
  await form.getByLabel("Stages").selectOption("all");
  await form.getByLabel(/Stage 4 · Function & Parameter Identification/).selectOption({ label: "Panel e2e trio (3, a majority must pass)" });
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByText(new RegExp(`Run #\\d+ started on ${name}`))).toBeVisible();

  const audit = async () => (await request.get(`/api/datasets/${name}/export?format=audit&status=passed,discarded,flagged`)).text();
  await expect.poll(audit, { timeout: 45_000 }).toContain('"panel:e2e trio"');
  const sample = JSON.parse((await audit()).trim()) as { sample_id: number; status: string };
  expect(sample.status).toBe("passed");

  await page.goto(`/samples/${sample.sample_id}`);
  const stage4 = page.locator('[data-timeline-stage="4"]');
  await expect(stage4).toHaveAttribute("data-stage-outcome", "pass");
  await expect(stage4.getByTestId("panel-vote")).toHaveText("2 of 3 passed · rule: majority");
  const votes = stage4.locator('[data-testid="verdict"][data-member-of="e2e trio"]');
  await expect(votes).toHaveCount(3);
  await expect(votes.filter({ hasText: "llm:judge-b" })).toHaveAttribute("data-outcome", "fail");
  await expect(votes.filter({ hasText: "llm:judge-a" })).toHaveAttribute("data-outcome", "pass");
  await expect(stage4.getByText('Panel "e2e trio": 2 of 3 passed, 2 needed (majority).')).toBeVisible();
  await screenshot(page, "sample-judge-panel");

  // The member's key never reaches the browser.
  expect(await (await request.get("/api/settings/panels")).text()).not.toContain(MEMBER_KEY);
  expect(await page.content()).not.toContain(MEMBER_KEY);
});
