import { expect, test } from "@playwright/test";
import { screenshot } from "./helpers";

// An admin's nav: every section (viewers and annotators see fewer: e2e/20-accounts.spec.ts). Mentions may carry a
// count of unread ones (e2e/31-guidelines-comments.spec.ts).
const SECTIONS: { href: string; label: string; text?: RegExp }[] = [
  { href: "/datasets", label: "Datasets" },
  { href: "/samples", label: "Samples" },
  { href: "/review", label: "Review" },
  { href: "/mentions", label: "Mentions", text: /^Mentions(\d+ unread)?$/ },
  { href: "/discarded", label: "Discarded" },
  { href: "/runs", label: "Runs" },
  { href: "/calibration", label: "Calibration" },
  { href: "/rounds", label: "Rounds" },
  { href: "/dashboard", label: "Dashboard" },
  { href: "/settings", label: "Settings" },
  { href: "/users", label: "Users" },
  { href: "/audit", label: "Audit log" },
];

test("the health check reaches the database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ ok: true });
});

test("the tab has the studio's icon", async ({ request }) => {
  const icon = await request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toBe("image/x-icon");
});

test("/ redirects to the datasets page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/datasets$/);
  await expect(page.getByRole("heading", { level: 1, name: "Datasets" })).toBeVisible();
  await expect(page.getByText("FunReason Studio").first()).toBeVisible();
});

test("the datasets page shows its table, or how to import when there is nothing yet", async ({ page }) => {
  await page.goto("/datasets");
  await expect(page.getByRole("button", { name: "Import", exact: true })).toBeVisible();
  // The e2e database persists between runs (.data/e2e-postgres): only the first run sees it empty.
  if (await page.getByRole("table").isVisible()) {
    await expect(page.getByText(/\d+ datasets? · [\d,]+ samples/)).toBeVisible();
    return;
  }
  await expect(page.getByText("No datasets yet")).toBeVisible();
  await expect(page.getByText("npm run studio -- import <file> --dataset <name>")).toBeVisible();
  await screenshot(page, "datasets-empty");
});

test("every section is reachable from the nav, which marks the current one", async ({ page }) => {
  // Twelve pages, each loaded and photographed.
  test.setTimeout(120_000);
  await page.goto("/datasets");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(SECTIONS.map((s) => s.text ?? s.label));

  for (const section of SECTIONS) {
    await nav.getByRole("link", { name: section.label }).click();
    await expect(page).toHaveURL(new RegExp(`${section.href}$`));
    await expect(page.getByRole("heading", { level: 1, name: section.label })).toBeVisible();
    await expect(nav.getByRole("link", { name: section.label })).toHaveAttribute("aria-current", "page");
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
    await screenshot(page, `page-${section.href.slice(1)}`);
  }
});

test("the shell works from the keyboard", async ({ page }) => {
  await page.goto("/review");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Tab"); // the product name
  await page.keyboard.press("Tab"); // the first nav link
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Datasets" })).toBeFocused();
  await screenshot(page, "keyboard-focus", { fullPage: false });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/datasets$/);
});
