import { requireRole } from "@/lib/auth/require-role";
import { sampleIdFrom } from "@/lib/review/api";
import { loadReviewView } from "@/lib/review/sample-view";
import { readTableFilter } from "@/lib/samples/table-filter";
import { sampleNeighbors } from "@/lib/samples/table-query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/samples/:id/neighbors?<the table's query string> — the samples before and after this one in the table's
 * order under its filter, with their full views, so the review page shows either at once: {previous, next}
 * (each a ReviewView or null). 400 names a query parameter the table would not accept.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const denied = await requireRole("viewer");
  if (denied) return denied;
  const id = await sampleIdFrom(params);
  if (!id.ok) return id.response;
  const { filter, issues } = readTableFilter(new URL(request.url).searchParams);
  if (issues.length) return Response.json({ error: issues.map((i) => i.message).join("; ") }, { status: 400 });
  const ids = await sampleNeighbors(filter, id.id);
  const [previous, next] = await Promise.all([ids.previous, ids.next].map((n) => (n === null ? null : loadReviewView(n))));
  return Response.json({ previous, next }, { headers: { "Cache-Control": "no-store" } });
}
