import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    // Starts one real PostgreSQL (embedded, or TEST_DATABASE_URL) with a fresh, migrated database for the run.
    globalSetup: ["test/global-setup.ts"],
    // Sets DATABASE_URL from that database in every test worker, so lib code under test needs nothing else.
    setupFiles: ["test/setup-env.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
