import { expect, test } from "@playwright/test";
import { BUILT_IN_FAKE_NOTICE } from "../lib/llm/built-in-fake";

// The e2e server's judge is the project's fake LLM, marked as the built-in one (as `npm start` marks it when no judge
// is configured): every page says its verdicts are not a real judge's, until an admin sets a real endpoint.

test.afterEach(async ({ request }) => {
  expect((await request.delete("/api/settings")).status()).toBe(200);
});

const PAGES = ["/datasets", "/samples", "/review", "/discarded", "/runs", "/dashboard", "/settings", "/users", "/audit"];

test("every page says the verdicts come from the built-in fake LLM, and stops saying it once a real endpoint is set", async ({ page, browser, baseURL }) => {
  for (const path of PAGES) {
    await page.goto(path);
    await expect(page.getByRole("note").filter({ hasText: BUILT_IN_FAKE_NOTICE }), path).toBeVisible();
  }
  const signedOut = await browser.newContext({ storageState: { cookies: [], origins: [] }, baseURL });
  const signIn = await signedOut.newPage();
  await signIn.goto("/sign-in");
  await expect(signIn.getByRole("note").filter({ hasText: BUILT_IN_FAKE_NOTICE })).toBeVisible();
  await signedOut.close();

  // An admin points the studio at a real endpoint (with its key, which goes only there).
  await page.goto("/settings");
  await page.getByLabel("Base URL", { exact: true }).fill("https://llm.example.org/v1");
  await page.getByLabel("API key").fill("sk-real-endpoint");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
  for (const path of ["/settings", "/datasets", "/samples"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByText(BUILT_IN_FAKE_NOTICE), path).toHaveCount(0);
  }
});
