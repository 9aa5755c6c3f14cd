// The lib/llm tests alone: they start their own fake LLM server and need no database (no globalSetup).
// To be folded into vitest.config.ts.
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/llm/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
