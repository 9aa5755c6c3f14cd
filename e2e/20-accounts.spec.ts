// Accounts in the browser: signing in and out, wrong passwords, what each role sees, and the server refusing what a
// role may not do whatever the browser shows.
import { expect, test } from "@playwright/test";
import { E2E_USERS, storageStatePath } from "./env";
import { addPersonInBrowser, screenshot } from "./helpers";

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a page sends you to sign in and back; a wrong password says so; sign out ends the session", async ({ page }) => {
    await page.goto("/runs");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fruns$/);
    const form = page.getByRole("form", { name: "Sign in" });
    await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
    await form.getByLabel("Email").fill(E2E_USERS.annotator.email);
    await form.getByLabel("Password").fill("not-the-password");
    await form.getByRole("button", { name: "Sign in" }).click();
    await expect(form.getByRole("alert")).toHaveText("Wrong email or password.");
    await screenshot(page, "sign-in-error");

    await form.getByLabel("Password").fill(E2E_USERS.annotator.password);
    await form.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/runs$/);
    await expect(page.getByTestId("user-menu")).toContainText(E2E_USERS.annotator.email);
    await expect(page.getByTestId("user-role")).toHaveText("annotator");

    await page.getByTestId("user-menu").getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/datasets");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fdatasets$/);
  });

  test("after sign-in only a studio path is followed, and the address logged is the connection's, not X-Forwarded-For", async ({ page, browser, baseURL }) => {
    // Browsers read /\evil.example/x as //evil.example/x: another site.
    await page.setExtraHTTPHeaders({ "X-Forwarded-For": "203.0.113.77" });
    await page.goto("/sign-in?next=/%5Cevil.example/x");
    const form = page.getByRole("form", { name: "Sign in" });
    await form.getByLabel("Email").fill(E2E_USERS.viewer.email);
    await form.getByLabel("Password").fill(E2E_USERS.viewer.password);
    await form.getByRole("button", { name: "Sign in" }).click();
    // Not the other site: the studio's home, which sends a viewer to the samples.
    await expect(page).toHaveURL(`${baseURL}/samples`);
    // Signed in already: the sign-in page redirects at once, again only to a studio path.
    await page.goto("/sign-in?next=/%5Cevil.example/x");
    await expect(page).toHaveURL(`${baseURL}/samples`);

    const admin = await browser.newPage({ storageState: storageStatePath("admin") });
    await admin.goto(`/audit?actor=${encodeURIComponent(`human:${E2E_USERS.viewer.email}`)}&action=sign-in`);
    await expect(admin.getByText(`${E2E_USERS.viewer.email} signed in from 127.0.0.1`).first()).toBeVisible();
    await expect(admin.getByText("203.0.113.77")).toHaveCount(0);
    await admin.close();
  });

  test("the API answers 401 without a session", async ({ request }) => {
    const response = await request.get("/api/runs");
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ error: "Sign in first." });
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: storageStatePath("viewer") });

  test("reads but is offered nothing to change, and admin pages say why they are closed", async ({ page }) => {
    await page.goto("/datasets");
    await expect(page.getByRole("heading", { level: 1, name: "Datasets" })).toBeVisible();
    await expect(page.locator("#import")).toHaveCount(0);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
    await page.goto("/runs");
    await expect(page.getByRole("form", { name: "Start a run" })).toHaveCount(0);
    await page.goto("/users");
    await expect(page.getByText("This page is not for your role")).toBeVisible();
    await expect(page.getByText(/It needs the admin role \(users\.manage\); you are signed in as vera@e2e\.test \(viewer\)/)).toBeVisible();
    await screenshot(page, "forbidden");
  });
});

test("an admin adds a person, who can then sign in with the role given", async ({ page, browser }) => {
  await page.goto("/users");
  const email = `new-${Date.now()}@e2e.test`;
  const form = await addPersonInBrowser(page, { name: "Nia New", email, role: "viewer", password: "short" });
  // The browser's own minlength check keeps the form from going out.
  await expect(page.locator(`tr[data-user="${email}"]`)).toHaveCount(0);
  await form.getByLabel("Password").fill("a-long-enough-password");
  await form.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("status")).toHaveText(`${email} can now sign in as viewer.`);
  await expect(page.locator(`tr[data-user="${email}"]`)).toBeVisible();
  await page.getByLabel(`Role of ${email}`).selectOption("annotator");
  await expect(page.getByRole("status")).toHaveText(`${email} is now annotator.`);
  await screenshot(page, "users");

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const other = await context.newPage();
  await other.goto("/sign-in");
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Password").fill("a-long-enough-password");
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByTestId("user-role")).toHaveText("annotator");
  await context.close();
});

test("an admin makes a login with a generated password, gives a new one, deactivates and reactivates it; an annotator lands on the queue", async ({ page, browser }) => {
  await page.goto("/users");
  const email = `gen-${Date.now()}@e2e.test`;
  await addPersonInBrowser(page, { name: "Gen Erated", email, role: "annotator" });
  await expect(page.getByRole("status")).toContainText(`${email} can now sign in as annotator.`);
  const first = await page.getByTestId("shown-password").innerText();
  expect(first).toHaveLength(18);

  // They sign in without a next page: an annotator starts in the review queue.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, extraHTTPHeaders: {} });
  const them = await context.newPage();
  const signIn = async (password: string) => {
    await them.goto("/sign-in");
    await them.getByLabel("Email").fill(email);
    await them.getByLabel("Password").fill(password);
    await them.getByRole("button", { name: "Sign in" }).click();
  };
  await signIn(first);
  await expect(them).toHaveURL(/\/review$/);

  // A new password: shown once to the admin; the old one and their session stop working.
  await page.getByRole("button", { name: `New password for ${email}` }).click();
  await expect(page.getByRole("status")).toContainText(`${email} has a new password; their sessions ended.`);
  const second = await page.getByTestId("shown-password").innerText();
  expect(second).not.toBe(first);
  await screenshot(page, "users-new-password");
  await them.goto("/samples");
  await expect(them).toHaveURL(/\/sign-in\?next=%2Fsamples$/);
  await signIn(second);
  await expect(them).toHaveURL(/\/review$/);

  // Deactivated: their session ends at once, and signing in says why.
  await page.getByRole("button", { name: `Deactivate ${email}` }).click();
  await expect(page.getByRole("status")).toHaveText(`${email} is deactivated; their sessions ended.`);
  await expect(page.locator(`tr[data-user="${email}"]`)).toHaveAttribute("data-active", "false");
  await them.reload();
  await expect(them).toHaveURL(/\/sign-in/);
  await signIn(second);
  await expect(them.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("This account is deactivated: ask an admin to reactivate it.");

  await page.getByRole("button", { name: `Reactivate ${email}` }).click();
  await expect(page.getByRole("status")).toHaveText(`${email} can sign in again.`);
  await signIn(second);
  await expect(them).toHaveURL(/\/review$/);
  await context.close();
});
