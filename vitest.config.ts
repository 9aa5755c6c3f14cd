import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Server modules are marked `import "server-only"` (Next refuses them in a browser bundle); outside Next that
      // package throws unless resolved under the react-server condition, so tests get its empty module.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
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
