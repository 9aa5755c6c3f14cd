// Headers that keep the studio from being framed, sniffed or scripted by anything it did not send: on a page, on
// an API answer and on a signed-out refusal. (That the pages pass their own policy is checked over the whole run:
// e2e/global-teardown.ts fails it on any violation report.)
import { expect, test } from "@playwright/test";

function expectProtected(response: { headers(): Record<string, string> } | null): string {
  const headers = response?.headers() ?? {};
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-powered-by"]).toBeUndefined();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  return csp;
}

test("a page and an API answer carry the CSP (a fresh nonce each time), no framing, nosniff, a referrer policy, no X-Powered-By", async ({ page, request, playwright, baseURL }) => {
  const csp = expectProtected(await page.goto("/datasets"));
  // The page's own scripts carry the nonce of its header (the browser hides it from getAttribute, not from .nonce).
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  expect(await page.evaluate(() => [...document.scripts].map((s) => s.nonce))).toContain(nonce);
  expect(expectProtected(await request.get("/datasets"))).not.toBe(csp);

  expectProtected(await request.get("/api/runs"));
  const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const refused = await anonymous.get("/api/runs");
  expect(refused.status()).toBe(401);
  expectProtected(refused);
  await anonymous.dispose();
});
