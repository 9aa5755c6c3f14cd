import { route } from "@/lib/http/route";
import { CSP_REPORT_TYPES, recordCspReport } from "@/lib/http/csp-report";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/csp-report — where browsers report Content-Security-Policy violations. Public (the sign-in page has a
 * policy too) and from any origin (browsers send reports as they please); it writes nothing but a log line. 204.
 */
export const POST = route({ permission: "public", anyOrigin: true, upload: { contentTypes: CSP_REPORT_TYPES } }, async ({ request }) => {
  await recordCspReport(request);
  return new Response(null, { status: 204 });
});
