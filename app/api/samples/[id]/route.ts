import { route } from "@/lib/http/route";
import { SampleParams, sampleNotFound } from "@/lib/review/api";
import { loadReviewView, reviewViewer } from "@/lib/review/sample-view";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/samples/:id — the review page's view of a sample (ReviewView): the sample, highlights, tasks, last change. */
export const GET = route({ permission: "samples.read", params: SampleParams }, async ({ user, params }) => {
  const view = await loadReviewView(params.id, reviewViewer(user));
  if (!view) throw sampleNotFound(params.id);
  return view;
});
