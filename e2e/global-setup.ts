// Runs once, after the web servers are up (with the same database settings as the app, playwright.config.ts):
// signs in the e2e people (creating all but the admin through the Users API) and saves their sessions for the
// tests. With E2E_README_SCREENSHOT=1 it first empties the e2e database, so docs/screenshot-datasets.png shows just
// the datasets its test imports.
import { rmSync } from "node:fs";
import { request } from "@playwright/test";
import { CSP_REPORT_FILE, E2E_USERS, E2E_WEB_PORT, e2eDatabaseEnv, storageStatePath, type E2EUser } from "./env";

const BASE_URL = `http://127.0.0.1:${E2E_WEB_PORT}`;

export default async function globalSetup() {
  rmSync(CSP_REPORT_FILE, { force: true });
  if (process.env.E2E_README_SCREENSHOT) await emptyDatabase();
  const admin = await signIn("admin");
  for (const key of Object.keys(E2E_USERS) as E2EUser[]) {
    if (key === "admin") continue;
    const { email, name, role, password } = E2E_USERS[key];
    const created = await admin.post("/api/users", { data: { email, name, role, password } });
    // 409: made by an earlier run on the same database.
    if (!created.ok() && created.status() !== 409) throw new Error(`creating ${email}: HTTP ${created.status()} ${await created.text()}`);
    await (await signIn(key)).dispose();
  }
  await admin.dispose();
}

async function signIn(key: E2EUser) {
  const { email, password } = E2E_USERS[key];
  // Like any script that changes something, it names the studio as its Origin (lib/http/origin.ts).
  const context = await request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { origin: BASE_URL } });
  const response = await context.post("/api/auth/sign-in/email", { data: { email, password } });
  if (!response.ok()) throw new Error(`signing in ${email}: HTTP ${response.status()} ${await response.text()}`);
  await context.storageState({ path: storageStatePath(key) });
  return context;
}

async function emptyDatabase() {
  const env = e2eDatabaseEnv();
  if (env.DATABASE_URL) process.env.DATABASE_URL = env.DATABASE_URL;
  else delete process.env.DATABASE_URL;
  process.env.STUDIO_PG_PORT = env.STUDIO_PG_PORT;
  process.env.STUDIO_PG_DATA = env.STUDIO_PG_DATA;
  const { getPool, closeDb } = await import("../lib/db/client");
  const pool = await getPool();
  await pool.query("TRUNCATE datasets, import_jobs, export_jobs RESTART IDENTITY CASCADE");
  await closeDb();
}
