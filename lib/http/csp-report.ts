// Content-Security-Policy violation reports from browsers: the studio's own pages should never cause one, so
// each is logged (and, with STUDIO_CSP_REPORT_FILE, appended to that file: the e2e run fails when it is not empty).
import { appendFile } from "node:fs/promises";

const MAX_REPORT_BYTES = 16 * 1024;

export async function recordCspReport(request: Request, env: Record<string, string | undefined> = process.env): Promise<void> {
  const text = (await request.text()).slice(0, MAX_REPORT_BYTES);
  let report: Record<string, unknown> = {};
  try {
    const body = JSON.parse(text) as { "csp-report"?: Record<string, unknown> };
    report = body["csp-report"] ?? {};
  } catch {
    return; // not a report: nothing to say
  }
  const line = {
    page: String(report["document-uri"] ?? ""),
    directive: String(report["effective-directive"] ?? report["violated-directive"] ?? ""),
    blocked: String(report["blocked-uri"] ?? ""),
    sample: String(report["script-sample"] ?? ""),
  };
  console.warn(`CSP violation on ${line.page}: ${line.directive} blocked ${line.blocked || "an inline resource"}${line.sample ? ` (${line.sample})` : ""}`);
  if (env.STUDIO_CSP_REPORT_FILE) await appendFile(env.STUDIO_CSP_REPORT_FILE, `${JSON.stringify(line)}\n`);
}
