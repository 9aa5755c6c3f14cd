import { z } from "zod";
import { requireUser } from "@/lib/auth/require-role";
import { readJsonBody } from "@/lib/http/json";
import { claimNext, datasetExists } from "@/lib/review/queue";
import { idSchema } from "../schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({
  datasetId: idSchema("datasetId").optional(),
  exclude: z.array(idSchema("exclude[]"), { error: "exclude must be a list of sample ids" }).max(100, "exclude lists at most 100 samples").default([]),
});

/**
 * POST /api/review/next {datasetId?, exclude?} — claims the next sample that needs a human for the calling reviewer
 * (their own unexpired claim first): 200 {sampleId}, or {sampleId: null} when nothing is left; 404 for an unknown
 * dataset.
 */
export async function POST(request: Request) {
  const { user, denied } = await requireUser("annotator");
  if (denied) return denied;
  const parsed = await readJsonBody(request, body);
  if (!parsed.ok) return parsed.response;
  const { datasetId, exclude } = parsed.data;
  const sampleId = await claimNext(user.email, { datasetId, exclude });
  if (sampleId === null && datasetId !== undefined && !(await datasetExists(datasetId))) {
    return Response.json({ error: `dataset ${datasetId} does not exist` }, { status: 404 });
  }
  return Response.json({ sampleId }, { headers: { "Cache-Control": "no-store" } });
}
