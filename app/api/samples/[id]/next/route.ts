import { z } from "zod";
import { readSampleRequest } from "@/lib/review/api";
import { claimNext } from "@/lib/review/queue";
import { peekNext } from "@/lib/review/queue-peek";
import { loadReviewView } from "@/lib/review/sample-view";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({
  /** false: only look (the page prefetches while :id is on screen); true: claim it (the reviewer moves on). */
  claim: z.boolean({ error: "claim must be true or false" }).default(false),
  /** Samples this reviewer skipped in this session: not handed out again right away. */
  skipped: z.array(z.number().int().positive(), { error: "skipped must be a list of sample ids" }).max(1_000, "skipped lists at most 1,000 ids").default([]),
  datasetId: z.number({ error: "datasetId must be a dataset id" }).int().positive().optional(),
  /** The sample the page already has the view of (claim: true): its view is not sent again. */
  known: z.number({ error: "known must be a sample id" }).int().positive().optional(),
});

/**
 * POST /api/samples/:id/next {claim?, skipped?, datasetId?, known?} — the review queue's next sample after this one
 * for the calling reviewer: {nextId, next} (next: its ReviewView; null with nextId null when the queue is empty, and
 * left out when claim is true and nextId is `known`). With claim: false nothing is claimed (a look ahead).
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const parsed = await readSampleRequest(request, params, "annotator", body);
  if (!parsed.ok) return parsed.response;
  const { user, id } = parsed;
  const { claim, skipped, datasetId, known } = parsed.data;
  const options = { datasetId, exclude: [id, ...skipped] };
  const nextId = claim ? await claimNext(user.email, options) : await peekNext(user.email, options);
  const next = nextId === null || (claim && nextId === known) ? null : await loadReviewView(nextId);
  return Response.json({ nextId, ...(claim && nextId === known ? {} : { next }) }, { headers: { "Cache-Control": "no-store" } });
}
