import type { NextRequest } from "next/server";
import { requireRole } from "@/lib/auth/require-role";
import { REQUEST_KEY } from "@/lib/http/request-key";
import { listBulkJobs } from "@/lib/review/bulk-jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/bulk-jobs — the latest bulk actions, newest first: 200 {jobs: [{id, actor, action, target, status, total,
 * done, failed, failures, runs, failure, createdAt, finishedAt}]}. ?key=<32 hex digits>: only the one asked for
 * under that key (POST /api/samples/bulk), to follow its progress; {jobs: []} before it has started.
 */
export async function GET(request: NextRequest) {
  const denied = await requireRole("viewer");
  if (denied) return denied;
  const key = request.nextUrl.searchParams.get("key") ?? undefined;
  if (key !== undefined && !REQUEST_KEY.test(key)) return Response.json({ error: "key must be 32 hexadecimal digits" }, { status: 400 });
  return Response.json({ jobs: await listBulkJobs({ requestKey: key }) }, { headers: { "Cache-Control": "no-store" } });
}
