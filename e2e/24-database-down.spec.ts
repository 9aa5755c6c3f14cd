// The database goes away under a working reviewer, then comes back: every page says plainly that it could not
// load, a decision made meanwhile is refused out loud and writes nothing, and once PostgreSQL is back the same
// browser carries on ("Try again") without a restart of the studio. Last in name order: it stops the e2e
// database, which the other files share. It needs the embedded e2e database (with E2E_DATABASE_URL the server is
// someone else's to stop, so this file has no test then).
import { expect, test } from "@playwright/test";
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from "../lib/db/embedded";
import { e2eDatabaseEnv } from "./env";
import { screenshot, screenshotLightAndDark, uniqueName } from "./helpers";
import { importAndRun, weatherLine } from "./queue-data";

const database = e2eDatabaseEnv();
const server = { dataDir: database.STUDIO_PG_DATA, port: Number(database.STUDIO_PG_PORT) };

if (!database.DATABASE_URL) {
  test("PostgreSQL stopped and started again: pages say so, a decision meanwhile writes nothing, then work resumes", async ({ page, request }) => {
    const { sample } = await importAndRun(request, uniqueName("db-down"), [weatherLine("Weather in Turin?", { city: "Turin" })]);
    const { sample_id: id, status } = sample("Weather in Turin?");
    expect(status).toBe("passed");

    await page.goto(`/samples/${id}`);
    await expect(page.getByRole("heading", { level: 1, name: `Sample #${id}` })).toBeVisible();

    await stopEmbeddedPostgres(server);
    try {
      // A decision while the database is away: the page says it failed; nothing to write it to.
      await page.getByRole("button", { name: /^Approve/ }).click();
      const refused = page.getByRole("alert").filter({ hasText: "Could not approve the sample" });
      await expect(refused).toContainText("The server could not reach the database (it may be unreachable or restarting): nothing was written.");

      // Moving to another page: the shell stays, the page says it could not load and offers a retry.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" }).click();
      const failed = page.getByRole("alert").filter({ hasText: "could not" });
      await expect(failed).toContainText("This page could not be loaded");
      await expect(failed).toContainText("The database is not reachable right now");
      await expect(failed).toContainText("Nothing was changed");
      await screenshot(page, "fault-database-down");

      // A fresh load (the layout itself needs the session from the database): the studio's own error page, which
      // names the problem too, and nothing of the server's address or credentials.
      await page.goto("/samples");
      const fresh = page.getByRole("alert").filter({ hasText: "could not" });
      await expect(fresh).toContainText("The studio could not load this page");
      await expect(fresh).toContainText("The database is not reachable right now");
      expect(await page.locator("body").innerText()).not.toMatch(/postgres(ql)?:\/\/|127\.0\.0\.1|ECONNREFUSED/i);
      await screenshotLightAndDark(page, "fault-database-down-fresh");

      // The API says so too: 503 with its reason as JSON, not a bare 500.
      const api = await request.get("/api/runs");
      expect(api.status()).toBe(503);
      expect((await api.json()).error).toMatch(/^The server could not reach the database/);
    } finally {
      await ensureEmbeddedPostgres(server);
    }

    // Back: "Try again" loads the page, without restarting the studio.
    // (A retry that loads the page after the 2 s leaves no button to click: the next attempt only looks.)
    await expect(async () => {
      const again = page.getByRole("button", { name: "Try again" });
      if (await again.isVisible()) await again.click();
      await expect(page.getByRole("heading", { level: 1, name: "Samples" })).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });

    // The approve made during the outage wrote nothing; made now, it does.
    const before = await (await request.get(`/api/samples/${id}`)).json();
    expect(before.sample.status).toBe("passed");
    await page.goto(`/samples/${id}`);
    await page.getByRole("button", { name: /^Approve/ }).click();
    await expect.poll(async () => (await (await request.get(`/api/samples/${id}`)).json()).sample.status).toBe("approved");
  });
}
