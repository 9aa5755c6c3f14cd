// Unit tests of lib/formats and lib/pipeline only: no database, so no globalSetup.
// Run: npx vitest run --root /work/main --config vitest.unit.config.ts
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/formats/**/*.test.ts", "lib/pipeline/**/*.test.ts", "test/bfcl-stages.test.ts"],
    testTimeout: 60_000,
  },
});
