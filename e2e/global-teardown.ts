// Runs once after every spec: the studio's pages must pass their own Content-Security-Policy. Browsers report each
// violation to /api/csp-report, which the e2e server appends to CSP_REPORT_FILE; any line there fails the run,
// whichever spec, page or browser context caused it.
import { existsSync, readFileSync } from "node:fs";
import { CSP_REPORT_FILE } from "./env";

export default async function globalTeardown() {
  // Reports are sent in the background: give the last ones a moment to arrive.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const lines = existsSync(CSP_REPORT_FILE) ? readFileSync(CSP_REPORT_FILE, "utf8").trim().split("\n").filter(Boolean) : [];
  if (lines.length > 0) {
    throw new Error(`${lines.length} Content-Security-Policy violation(s) during the e2e run:\n${lines.slice(0, 20).join("\n")}`);
  }
}
