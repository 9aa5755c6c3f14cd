import { register } from "node:module";
import { defineConfig } from "@playwright/test";
import { CSP_REPORT_FILE, E2E_LLM_API_KEY, E2E_LLM_PORT, E2E_UPLOAD_MAX_BYTES, E2E_USERS, E2E_WEB_PORT, e2eDatabaseEnv, storageStatePath } from "./e2e/env";

// End-to-end tests against a production build (`npm run test:e2e` builds first; this file never builds).
// The app starts its own embedded PostgreSQL (port 54349, E2E_PG_PORT) in .data/e2e-postgres, unless
// E2E_DATABASE_URL names a database to use instead (e2e/env.ts). The web server listens on 3100 (E2E_WEB_PORT). A
// DATABASE_URL from the environment is never used here.

// Specs may import server modules (marked `import "server-only"`): see e2e/server-only-hook.mjs.
register("./e2e/server-only-hook.mjs", import.meta.url);

const PORT = E2E_WEB_PORT;
const LLM_PORT = E2E_LLM_PORT;
const BASE_URL = `http://127.0.0.1:${PORT}`;

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const database = e2eDatabaseEnv();

export default defineConfig({
  testDir: "e2e",
  // A sub-folder: Playwright empties its outputDir on start, and scripts/test.sh keeps vitest's report in
  // test-results/. Screenshots for review go to test-results/screenshots (see e2e/helpers.ts).
  outputDir: "test-results/e2e",
  // One worker, files in name order: 00 sees the empty database, 01 takes the README screenshot before the
  // other tests add their datasets.
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [
    ["list"],
    ["json", { outputFile: "test-results/playwright.json" }],
    ["html", { open: "never", outputFolder: "playwright-report" }],
  ],
  use: {
    baseURL: BASE_URL,
    browserName: "chromium",
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS },
    // Signed in as the admin (e2e/global-setup.ts); tests that need another role load that role's state.
    storageState: storageStatePath("admin"),
    // Specs' own API calls (the `request` fixture) act as a script would, and a script that changes anything names the
    // studio as its Origin (lib/http/origin.ts). Pages send their own; e2e/26-cross-site.spec.ts checks them without it.
    extraHTTPHeaders: { Origin: BASE_URL },
  },
  globalSetup: "./e2e/global-setup.ts",
  // Fails the run when any page caused a Content-Security-Policy violation (the browser reports each to the server).
  globalTeardown: "./e2e/global-teardown.ts",
  webServer: [
    {
      // The project's fake OpenAI-compatible server (lib/llm/fake-server.ts): the judge and teacher of every e2e
      // run, regeneration and re-check, and the policy model of rounds (it knows the BFCL fixtures' answers); tests
      // script it with [[fake:...]] directives in sample text.
      command: `npx tsx lib/llm/fake-server.ts --port ${LLM_PORT} --latency 20 --policy-key fixtures/bfcl --batch-delay 1500`,
      url: `http://127.0.0.1:${LLM_PORT}/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // `env -u`: an inherited DATABASE_URL must not reach the app (Playwright merges process.env into `env`).
      command: database.DATABASE_URL ? `npx next start -p ${PORT}` : `env -u DATABASE_URL npx next start -p ${PORT}`,
      url: `${BASE_URL}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
      env: {
        ...database,
        STUDIO_UPLOAD_MAX_BYTES: String(E2E_UPLOAD_MAX_BYTES),
        STUDIO_LLM_BASE_URL: `http://127.0.0.1:${LLM_PORT}/v1`,
        STUDIO_LLM_MODEL: "fake-judge",
        STUDIO_LLM_TEACHER_MODEL: "fake-teacher",
        STUDIO_LLM_API_KEY: E2E_LLM_API_KEY,
        STUDIO_LLM_MAX_RETRIES: "1",
        STUDIO_LLM_BACKOFF_MS: "50",
        // Batch runs look at their batch in flight twice a second (the fake's batches take 1.5 s).
        STUDIO_BATCH_POLL_SECONDS: "0.5",
        // The project's fake, as `npm start` starts it when no judge is configured: every page says so.
        STUDIO_LLM_BUILT_IN_FAKE: "1",
        STUDIO_ADMIN_EMAIL: E2E_USERS.admin.email,
        STUDIO_ADMIN_PASSWORD: E2E_USERS.admin.password,
        // The tests sign in often from one address; the limit itself is tested in lib/auth/auth.test.ts.
        STUDIO_SIGN_IN_PER_MINUTE: "200",
        STUDIO_CSP_REPORT_FILE: CSP_REPORT_FILE,
      },
    },
  ],
});
