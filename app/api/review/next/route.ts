import { z } from "zod";
import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { allowQueueMode, queueMode } from "@/lib/review/api";
import { claimNext, datasetExists } from "@/lib/review/queue";
import { idSchema } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({
  datasetId: idSchema("datasetId").optional(),
  exclude: z.array(idSchema("exclude[]"), { error: "exclude must be a list of sample ids" }).max(100, "exclude lists at most 100 samples").default([]),
  mode: queueMode,
});

/**
 * POST /api/review/next {datasetId?, exclude?, mode?} — claims the next sample that needs a human for the calling reviewer
 * (their own unexpired claim first): 200 {sampleId}, or {sampleId: null} when nothing is left; 404 for an unknown
 * dataset.
 */
export const POST = route({ permission: "queue.work", body }, async ({ user, body: { datasetId, exclude, mode } }) => {
  allowQueueMode(user, mode);
  const sampleId = await claimNext(user.email, { datasetId, exclude, mode });
  if (sampleId === null && datasetId !== undefined && !(await datasetExists(datasetId))) {
    throw new NotFoundError(`dataset ${datasetId} does not exist`);
  }
  return { sampleId };
});
