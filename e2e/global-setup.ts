// Only for `E2E_README_SCREENSHOT=1`: empties the e2e database first, so docs/screenshot-datasets.png shows just the
// datasets its test imports. Runs after the web server is up, with the same database settings (playwright.config.ts).
import { e2eDatabaseEnv } from "./env";

export default async function globalSetup() {
  if (!process.env.E2E_README_SCREENSHOT) return;
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
