// The one way lib/ code reaches the database: DATABASE_URL if set, else the embedded server; migrated before first use.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/db/generated/client";
import { ensureEmbeddedPostgres } from "./embedded";
import { migrate } from "./migrate";
import { logDatabaseError, logDatabaseReachable } from "./outage";

interface DbState {
  url?: Promise<string>;
  pool?: pg.Pool;
  prisma?: PrismaClient;
}

// Kept on globalThis because Next's dev server re-evaluates modules on every edit: a module-level pool would leak
// its connections each time.
const holder = globalThis as { __studioDb?: DbState };
const state: DbState = (holder.__studioDb ??= {});

/** The database URL, after making sure the server runs and every migration is applied (once per process). */
export function databaseUrl(): Promise<string> {
  state.url ??= (async () => {
    const url = process.env.DATABASE_URL || (await ensureEmbeddedPostgres());
    const { applied } = await migrate(url);
    for (const name of applied) console.error(`database: applied migration ${name}`);
    return url;
  })().catch((error) => {
    // Let the next call try again (the health check, a retried request) instead of caching the failure.
    state.url = undefined;
    throw error;
  });
  return state.url;
}

/** The process's shared pg pool. */
export async function getPool(): Promise<pg.Pool> {
  const url = await databaseUrl();
  if (!state.pool) {
    state.pool = new pg.Pool({ connectionString: url });
    // Without a listener, an idle connection dropped by the server (restart, admin kill) would crash the process.
    state.pool.on("error", (error) => logDatabaseError("database: idle connection lost", error));
    state.pool.on("connect", () => logDatabaseReachable());
  }
  return state.pool;
}

/** The process's shared Prisma client. */
export async function getPrisma(): Promise<PrismaClient> {
  const url = await databaseUrl();
  state.prisma ??= new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return state.prisma;
}

/** Closes the pool and the Prisma client (the embedded server keeps running: other processes may use it). */
export async function closeDb(): Promise<void> {
  const { pool, prisma } = state;
  state.pool = undefined;
  state.prisma = undefined;
  await Promise.all([prisma?.$disconnect(), pool?.end()]);
}
