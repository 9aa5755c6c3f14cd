// One closing line for the whole suite, summed over vitest's and Playwright's JSON reports.
import { readFileSync } from "node:fs";

const vitest = JSON.parse(readFileSync("test-results/vitest.json", "utf8"));
const playwright = JSON.parse(readFileSync("test-results/playwright.json", "utf8"));
const passed = vitest.numPassedTests + playwright.stats.expected;
const failed = vitest.numFailedTests + playwright.stats.unexpected;
const skipped = vitest.numPendingTests + vitest.numTodoTests + playwright.stats.skipped;
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
if (failed > 0 || passed === 0) process.exitCode = 1;
