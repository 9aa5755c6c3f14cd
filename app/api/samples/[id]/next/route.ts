import { z } from "zod";
import { route } from "@/lib/http/route";
import { SampleParams, allowQueueMode, queueMode } from "@/lib/review/api";
import { claimNext } from "@/lib/review/queue";
import { peekNext } from "@/lib/review/queue-peek";
import { loadReviewView, reviewViewer } from "@/lib/review/sample-view";
import { idSchema } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({
  /** false: only look (the page prefetches while :id is on screen); true: claim it (the reviewer moves on). */
  claim: z.boolean({ error: "claim must be true or false" }).default(false),
  /** Samples this reviewer skipped in this session: not handed out again right away. */
  skipped: z.array(idSchema("skipped[]"), { error: "skipped must be a list of sample ids" }).max(1_000, "skipped lists at most 1,000 ids").default([]),
  datasetId: idSchema("datasetId").optional(),
  /** The sample the page already has the view of (claim: true): its view is not sent again. */
  known: idSchema("known").optional(),
  mode: queueMode,
});

/**
 * POST /api/samples/:id/next {claim?, skipped?, datasetId?, known?, mode?} — the review queue's next sample after this one
 * for the calling reviewer: {nextId, next} (next: its ReviewView; null with nextId null when the queue is empty, and
 * left out when claim is true and nextId is `known`). With claim: false nothing is claimed (a look ahead).
 */
export const POST = route({ permission: "queue.work", params: SampleParams, body }, async ({ user, params, body }) => {
  const { claim, skipped, datasetId, known, mode } = body;
  allowQueueMode(user, mode);
  const options = { datasetId, exclude: [params.id, ...skipped], mode };
  const nextId = claim ? await claimNext(user.email, options) : await peekNext(user.email, options);
  if (claim && nextId === known) return { nextId };
  return { nextId, next: nextId === null ? null : await loadReviewView(nextId, reviewViewer(user)) };
});
