// A test file's own database on the run's server, for files whose queue jobs must not be taken by another file's
// workers (pg-boss queues live in the database). Import it before anything reaches the database: it points
// DATABASE_URL at the new database, which lib/db/client.ts migrates on first use. Drop it in afterAll.
import pg from "pg";

async function admin(sharedUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: sharedUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function useOwnDatabase(suffix: string): Promise<{ drop(): Promise<void> }> {
  const sharedUrl = process.env.DATABASE_URL!;
  const name = `${new URL(sharedUrl).pathname.slice(1)}_${suffix}`;
  await admin(sharedUrl, `CREATE DATABASE "${name}"`);
  process.env.DATABASE_URL = Object.assign(new URL(sharedUrl), { pathname: `/${name}` }).toString();
  return { drop: () => admin(sharedUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
