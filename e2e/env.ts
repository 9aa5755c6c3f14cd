/** The upload limit the e2e server runs with (STUDIO_UPLOAD_MAX_BYTES): above the 10 MB a proxy would once cut a
 * body to (e2e/02-import-large.spec.ts uploads ~12 MB), small enough that the over-the-limit tests stay quick. */
export const E2E_UPLOAD_MAX_BYTES = 16 * 1024 * 1024;

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

/**
 * The e2e studio's people: the admin is created by the server itself on first start (STUDIO_ADMIN_EMAIL /
 * STUDIO_ADMIN_PASSWORD), the others by e2e/global-setup.ts through the Users API. Each gets a signed-in
 * storage state in test-results/auth/<key>.json; tests run as the admin unless they say otherwise.
 */
export const E2E_USERS = {
  admin: { email: "admin@e2e.test", name: "Ada Admin", role: "admin", password: "admin-password-e2e" },
  annotator: { email: "annie@e2e.test", name: "Annie Annotator", role: "annotator", password: "annie-password-e2e" },
  annotator2: { email: "bert@e2e.test", name: "Bert Annotator", role: "annotator", password: "bert-password-e2e" },
  viewer: { email: "vera@e2e.test", name: "Vera Viewer", role: "viewer", password: "vera-password-e2e" },
} as const;
export type E2EUser = keyof typeof E2E_USERS;

export const storageStatePath = (user: E2EUser) => `test-results/auth/${user}.json`;

/**
 * Where the e2e server appends Content-Security-Policy violation reports (STUDIO_CSP_REPORT_FILE): cleared by the
 * global setup, and the run fails in the global teardown if any page of any spec caused one.
 */
export const CSP_REPORT_FILE = "test-results/csp-violations.jsonl";
