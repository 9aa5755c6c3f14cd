// Content-Security-Policy violation reports from browsers: the studio's own pages should never cause one, so
// each is logged (and, with STUDIO_CSP_REPORT_FILE, appended to that file: the e2e run fails when it is not empty).
import { appendFile } from "node:fs/promises";

const MAX_REPORT_BYTES = 16 * 1024;

/** What browsers send reports as (report-uri: application/csp-report; some send plain JSON). */
export const CSP_REPORT_TYPES = ["application/csp-report", "application/json", "application/reports+json"] as const;

export async function recordCspReport(request: Request, env: Record<string, string | undefined> = process.env): Promise<void> {
  const text = await readStart(request, MAX_REPORT_BYTES);
  let report: unknown;
  try {
    report = (JSON.parse(text) as { "csp-report"?: unknown } | null)?.["csp-report"];
  } catch {
    return; // not a report: nothing to say
  }
  if (!isRecord(report)) return;
  const line = {
    page: String(report["document-uri"] ?? ""),
    directive: String(report["effective-directive"] ?? report["violated-directive"] ?? ""),
    blocked: String(report["blocked-uri"] ?? ""),
    sample: String(report["script-sample"] ?? ""),
  };
  console.warn(`CSP violation on ${line.page}: ${line.directive} blocked ${line.blocked || "an inline resource"}${line.sample ? ` (${line.sample})` : ""}`);
  if (env.STUDIO_CSP_REPORT_FILE) await appendFile(env.STUDIO_CSP_REPORT_FILE, `${JSON.stringify(line)}\n`);
}

/** The first `max` bytes of the body as text; the rest is not read (anyone may post here). */
async function readStart(request: Request, max: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  while (bytes < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, max).toString("utf8");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
