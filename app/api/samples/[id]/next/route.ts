import { z } from "zod";
import { currentUser } from "@/lib/auth/current-user";
import { requireRole } from "@/lib/auth/require-role";
import { readJsonBody } from "@/lib/http/json";
import { sampleIdFrom } from "@/lib/review/api";
import { claimNext } from "@/lib/review/queue";
import { loadReviewView } from "@/lib/review/sample-view";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({
  /** Samples this reviewer skipped in this session: not handed out again right away. */
  skipped: z.array(z.number().int().positive(), { error: "skipped must be a list of sample ids" }).max(1_000, "skipped lists at most 1,000 ids").default([]),
  datasetId: z.number({ error: "datasetId must be a dataset id" }).int().positive().optional(),
});

/**
 * POST /api/samples/:id/next {skipped?, datasetId?} — the review queue's next sample after this one, claimed for the
 * reviewer now (while :id is still on screen), with its full view: {next: ReviewView | null} (null: queue empty).
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const denied = await requireRole("annotator");
  if (denied) return denied;
  const id = await sampleIdFrom(params);
  if (!id.ok) return id.response;
  const parsed = await readJsonBody(request, body);
  if (!parsed.ok) return parsed.response;
  const user = await currentUser();
  const nextId = await claimNext(user.name, { datasetId: parsed.data.datasetId, exclude: [id.id, ...parsed.data.skipped] });
  const next = nextId === null ? null : await loadReviewView(nextId);
  return Response.json({ next }, { headers: { "Cache-Control": "no-store" } });
}
