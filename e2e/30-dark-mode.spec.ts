import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { textContrasts } from "./contrast";
import { storageStatePath } from "./env";
import { fixture, importThroughApi, uniqueName } from "./helpers";

// Dark mode: the theme toggle (Light / Dark / System) in the side bar, remembered in the browser, applied before the
// first paint; "System" follows the system's colour scheme. Checked by what a person sees: the page's background.

/** A colour of the body as [r, g, b]: its background (what the eye sees behind everything) or its text. */
async function bodyColour(page: Page, property: "backgroundColor" | "color" = "backgroundColor"): Promise<number[]> {
  return page.evaluate((name) => {
    // Computed colours may come back in oklch() or lab(); a canvas turns any CSS colour into sRGB bytes.
    const context = document.createElement("canvas").getContext("2d")!;
    context.fillStyle = getComputedStyle(document.body)[name];
    context.fillRect(0, 0, 1, 1);
    return [...context.getImageData(0, 0, 1, 1).data.slice(0, 3)];
  }, property);
}
const background = (page: Page) => bodyColour(page);
const isDark = (rgb: number[]) => Math.max(...rgb) < 60;
const isLight = (rgb: number[]) => Math.min(...rgb) > 230;

test("the theme toggle switches to dark by mouse and keyboard, survives a reload, and System follows the system", async ({ page }) => {
  await page.goto("/datasets");
  const theme = page.getByRole("group", { name: "Theme" });
  await expect(theme.getByRole("button", { name: "System", pressed: true })).toBeVisible();
  expect(isLight(await background(page))).toBe(true); // the browser's scheme is light here

  await theme.getByRole("button", { name: "Dark" }).click();
  await expect(theme.getByRole("button", { name: "Dark", pressed: true })).toBeVisible();
  expect(isDark(await background(page))).toBe(true);
  // Text stays readable: the body's text turns light on the dark page.
  expect(Math.min(...(await bodyColour(page, "color")))).toBeGreaterThan(200);

  await page.reload();
  expect(isDark(await background(page))).toBe(true);
  await expect(theme.getByRole("button", { name: "Dark", pressed: true })).toBeVisible();

  // By keyboard: Light focused, Enter (and Dark with Space below).
  const light = theme.getByRole("button", { name: "Light" });
  await light.focus();
  await page.keyboard.press("Enter");
  await expect(light).toHaveAttribute("aria-pressed", "true");
  expect(isLight(await background(page))).toBe(true);
  await page.goto("/samples");
  expect(isLight(await background(page))).toBe(true);

  await theme.getByRole("button", { name: "Dark" }).focus();
  await page.keyboard.press("Space");
  expect(isDark(await background(page))).toBe(true);
  await theme.getByRole("button", { name: "System" }).click();
  expect(isLight(await background(page))).toBe(true);
});

test("with System chosen, a system in dark mode gets the dark theme from the first painted frame", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ colorScheme: "dark", storageState: storageStatePath("admin"), baseURL });
  const page = await context.newPage();
  // Before any of the page's scripts: note whether the first frame the browser paints is already dark.
  await page.addInitScript(() => {
    requestAnimationFrame(() => {
      const w = window as unknown as { firstFrameDark: boolean };
      w.firstFrameDark = document.documentElement.classList.contains("dark");
    });
  });
  await page.goto("/dashboard");
  expect(await page.evaluate(() => localStorage.getItem("studio-theme"))).toBeNull();
  expect(await page.evaluate(() => (window as unknown as { firstFrameDark: boolean }).firstFrameDark)).toBe(true);
  expect(isDark(await background(page))).toBe(true);
  await expect(page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "System", pressed: true })).toBeVisible();

  // A remembered Light wins over the system's dark.
  await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Light" }).click();
  await page.reload();
  expect(isLight(await background(page))).toBe(true);
  await context.close();
});

test("no text is harder to read in dark mode than in light mode, on any page", async ({ page, request }) => {
  // Eleven pages, each measured in both themes.
  test.setTimeout(120_000);
  // Every text keeps at least its light-mode contrast (up to WCAG AA's 4.5:1): what the light theme makes readable,
  // the dark one does too, and what it keeps faint on purpose (a table's greyed zeros) stays as faint, not fainter.
  // The page is measured twice, the same elements in both themes (colour transitions off, so nothing is mid-way).
  const dataset = uniqueName("dark");
  await importThroughApi(request, { body: readFileSync(fixture("xlam-simple-python.jsonl")), dataset, fileName: "xlam.jsonl" });
  await page.goto("/samples");
  const sample = await page.locator("tbody a[href^='/samples/']").first().getAttribute("href");
  const pages = ["/datasets", "/samples", sample!, "/review", "/discarded", "/runs", "/calibration", "/dashboard", "/settings", "/users", "/audit"];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle"); // what the page fetches after it shows (a sample's neighbours) is in
    await page.addStyleTag({ content: "*, *::before, *::after { transition: none !important; }" });
    const light = await page.evaluate(textContrasts);
    await page.evaluate(() => document.documentElement.classList.add("dark"));
    expect(isDark(await background(page)), path).toBe(true);
    const dark = await page.evaluate(textContrasts);
    await page.evaluate(() => document.documentElement.classList.remove("dark"));
    expect(dark.map((d) => d.text), path).toEqual(light.map((l) => l.text));
    const worse = dark
      .map((d, i) => ({ ...d, light: light[i].ratio }))
      .filter((d) => d.ratio < Math.min(d.light, 4.5) - 0.05)
      .map((d) => `"${d.text}" ${d.ratio.toFixed(2)}:1 (light ${d.light.toFixed(2)}:1)`);
    expect(worse, `${path}: harder to read in dark mode`).toEqual([]);
  }
});
