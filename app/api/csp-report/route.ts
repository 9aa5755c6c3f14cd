import { recordCspReport } from "@/lib/http/csp-report";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/csp-report — where browsers report Content-Security-Policy violations (public: the sign-in page has them too). 204. */
export async function POST(request: Request) {
  await recordCspReport(request);
  return new Response(null, { status: 204 });
}
