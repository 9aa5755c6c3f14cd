import { humanAuthor } from "@/lib/auth/current-user";
import { requireUser } from "@/lib/auth/require-role";
import { hasRole } from "@/lib/auth/roles";
import { readJsonBody } from "@/lib/http/json";
import { BulkRequestError, BulkRequestSchema, runBulkAction } from "@/lib/review/bulk";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/samples/bulk {target, action} — approve, discard (with a reason), re-run stages or regenerate the
 * selected samples ({kind: "selection", samples: [{id, version}]}) or everything a table filter matches
 * ({kind: "filter", query: "<table query string>"}), as a recorded bulk job. 200 {jobId, targeted, done, failed,
 * failures, runs}: samples that could not be acted on are listed with why, never silently skipped. With `key` (32 hex
 * digits) GET /api/bulk-jobs?key=… shows the job's progress while this request works. 400 {error} on a bad request.
 */
export async function POST(request: Request) {
  const { user, denied } = await requireUser("annotator");
  if (denied) return denied;
  const parsed = await readJsonBody(request, BulkRequestSchema);
  if (!parsed.ok) return parsed.response;
  const { target, action, key } = parsed.data;
  // Re-running stages starts pipeline runs: that is an admin's call.
  if (action.action === "rerun" && !hasRole(user.role, "admin")) {
    return Response.json({ error: `re-running stages needs the admin role; you are ${user.role}.` }, { status: 403 });
  }
  try {
    return Response.json(await runBulkAction(target, action, humanAuthor(user), key));
  } catch (error) {
    if (error instanceof BulkRequestError) return Response.json({ error: error.message }, { status: 400 });
    throw error;
  }
}
