import { requireRole } from "@/lib/auth/require-role";
import { sampleNotFound, sampleIdFrom } from "@/lib/review/api";
import { loadReviewView } from "@/lib/review/sample-view";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/samples/:id — the review page's view of a sample (ReviewView): the sample, highlights, tasks, last change. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const denied = await requireRole("viewer");
  if (denied) return denied;
  const id = await sampleIdFrom(params);
  if (!id.ok) return id.response;
  const view = await loadReviewView(id.id);
  if (!view) return sampleNotFound(id.id);
  return Response.json(view, { headers: { "Cache-Control": "no-store" } });
}
