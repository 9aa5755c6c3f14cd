/** The upload limit the e2e server runs with (STUDIO_UPLOAD_MAX_BYTES): small, so tests need no huge file. */
export const E2E_UPLOAD_MAX_BYTES = 2 * 1024 * 1024;

/**
 * The e2e database: the app's own embedded PostgreSQL on port 54349 in .data/e2e-postgres, or E2E_DATABASE_URL.
 * A DATABASE_URL from the environment is never used by e2e (it may be someone's real data).
 */
export function e2eDatabaseEnv(): { STUDIO_PG_PORT: string; STUDIO_PG_DATA: string; DATABASE_URL?: string } {
  const external = process.env.E2E_DATABASE_URL;
  return { STUDIO_PG_PORT: "54349", STUDIO_PG_DATA: ".data/e2e-postgres", ...(external ? { DATABASE_URL: external } : {}) };
}
