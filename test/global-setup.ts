// Vitest globalSetup: one real PostgreSQL for the whole run with a fresh, migrated database that the test files
// reach through DATABASE_URL (see setup-env.ts). TEST_DATABASE_URL picks a server of your own; otherwise an embedded
// one on port 54339 (STUDIO_TEST_PG_PORT), separate from the app's, which keeps running afterwards for the next run.
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

// Databases left by runs that were killed before their teardown are dropped after this long. Not sooner: several
// people may run the suite against the same server at once.
const STALE_AFTER_SECONDS = 24 * 3600;

export default async function setup(project: TestProject) {
  const server =
    process.env.TEST_DATABASE_URL ||
    (await ensureEmbeddedPostgres({ dataDir: ".data/test-postgres", port: Number(process.env.STUDIO_TEST_PG_PORT ?? 54339) }));
  // The creation time is in the name: PostgreSQL keeps no creation date for a database.
  const name = `studio_test_${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString("hex")}`;
  await dropStale(server);
  await admin(server, `CREATE DATABASE "${name}"`);
  const url = withDatabase(server, name);
  await migrate(url);
  project.provide("databaseUrl", url);
  return async () => {
    await admin(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
}

/** The same server URL pointing at another database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin(serverUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query<{ datname: string }>(sql);
  } finally {
    await client.end();
  }
}

async function dropStale(serverUrl: string) {
  const { rows } = await admin(serverUrl, `SELECT datname FROM pg_database WHERE datname ~ '^studio_test_[0-9]+_'`);
  const now = Date.now() / 1000;
  for (const { datname } of rows) {
    if (now - Number(datname.split("_")[2]) > STALE_AFTER_SECONDS) await admin(serverUrl, `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}
