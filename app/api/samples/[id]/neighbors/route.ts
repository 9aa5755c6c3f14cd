import { route } from "@/lib/http/route";
import { SampleParams } from "@/lib/review/api";
import { loadReviewView, reviewViewer } from "@/lib/review/sample-view";
import { requireTableFilter } from "@/lib/samples/table-filter";
import { sampleNeighbors } from "@/lib/samples/table-query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/samples/:id/neighbors?<the table's query string> — the samples before and after this one in the table's
 * order under its filter, with their full views, so the review page shows either at once: {previous, next}
 * (each a ReviewView or null). 400 names a query parameter the table would not accept.
 */
export const GET = route({ permission: "samples.read", params: SampleParams }, async ({ user, params, searchParams }) => {
  const ids = await sampleNeighbors(requireTableFilter(searchParams), params.id);
  const [previous, next] = await Promise.all([ids.previous, ids.next].map((n) => (n === null ? null : loadReviewView(n, reviewViewer(user)))));
  return { previous, next };
});
