/** The upload limit the e2e server runs with (STUDIO_UPLOAD_MAX_BYTES): small, so tests need no huge file. */
export const E2E_UPLOAD_MAX_BYTES = 2 * 1024 * 1024;

/**
 * The e2e database: the app's own embedded PostgreSQL on port 54349 (E2E_PG_PORT) in .data/e2e-postgres, or
 * E2E_DATABASE_URL. A DATABASE_URL from the environment is never used by e2e (it may be someone's real data).
 */
export function e2eDatabaseEnv(): { STUDIO_PG_PORT: string; STUDIO_PG_DATA: string; DATABASE_URL?: string } {
  const external = process.env.E2E_DATABASE_URL;
  return { STUDIO_PG_PORT: process.env.E2E_PG_PORT ?? "54349", STUDIO_PG_DATA: ".data/e2e-postgres", ...(external ? { DATABASE_URL: external } : {}) };
}

/** The port the e2e web server listens on (E2E_WEB_PORT, default 3100): two checkouts can test side by side. */
export const E2E_WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 3100);

/** The fake LLM server's port (E2E_LLM_PORT, default 3110). */
export const E2E_LLM_PORT = Number(process.env.E2E_LLM_PORT ?? 3110);

/** The API key the e2e server is given: tests assert it never reaches the browser. */
export const E2E_LLM_API_KEY = "sk-e2e-secret-never-in-the-browser";
