import { humanAuthor } from "@/lib/auth/current-user";
import { route } from "@/lib/http/route";
import { BulkRequestSchema, runBulkAction } from "@/lib/review/bulk";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/samples/bulk {target, action} — approve, discard (with a reason), re-run stages or regenerate the
 * selected samples ({kind: "selection", samples: [{id, version}]}) or everything a table filter matches
 * ({kind: "filter", query: "<table query string>"}). 200 {targeted, done, failed, failures, runs}: samples that
 * could not be acted on are listed with why, never silently skipped. 400 {error} on a bad request.
 */
export const POST = route({ permission: "samples.decide", body: BulkRequestSchema }, async ({ user, body, demand }) => {
  // Re-running stages starts pipeline runs: that is an admin's call.
  if (body.action.action === "rerun") demand("runs.start");
  return runBulkAction(body.target, body.action, humanAuthor(user));
});
