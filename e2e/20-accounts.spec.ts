// Accounts in the browser: signing in and out, wrong passwords, what each role sees, and the server refusing what a
// role may not do whatever the browser shows.
import { expect, test } from "@playwright/test";
import { E2E_USERS, storageStatePath } from "./env";
import { screenshot } from "./helpers";

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
    await expect(page).toHaveURL(`${baseURL}/datasets`);
    // Signed in already: the sign-in page redirects at once, again only to a studio path.
    await page.goto("/sign-in?next=/%5Cevil.example/x");
    await expect(page).toHaveURL(`${baseURL}/datasets`);

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
  const form = page.getByRole("form", { name: "Add a person" });
  await form.getByLabel("Name").fill("Nia New");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByLabel("Password").fill("short");
  await form.getByRole("button", { name: "Add" }).click();
  // The browser's own minlength check keeps the form from going out.
  await expect(page.locator(`tr[data-user="${email}"]`)).toHaveCount(0);
  await form.getByLabel("Password").fill("a-long-enough-password");
  await form.getByRole("button", { name: "Add" }).click();
  await expect(form.getByRole("status")).toHaveText(`${email} can now sign in as viewer.`);
  await expect(page.locator(`tr[data-user="${email}"]`)).toBeVisible();
  await page.getByLabel(`Role of ${email}`).selectOption("annotator");
  await expect(form.getByRole("status")).toHaveText(`${email} is now annotator.`);
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
