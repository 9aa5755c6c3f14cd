import { z } from "zod";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { claimHolder, reclaim, sampleExists } from "@/lib/review/queue";
import { idSchema } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({ sampleId: idSchema("sampleId") });

/**
 * POST /api/review/reclaim {sampleId} — takes back a skip (the review page's Undo): the caller holds the sample again.
 * 200 {claimed: true}; 409 when someone else took it meanwhile or it needs no human any more; 404 unknown sample.
 */
export const POST = route({ permission: "queue.work", body }, async ({ user, body: { sampleId } }) => {
  if (await reclaim(user.email, sampleId)) return { claimed: true };
  if (!(await sampleExists(sampleId))) throw new NotFoundError(`sample ${sampleId} does not exist`);
  const holder = await claimHolder(sampleId);
  throw new ConflictError(holder ? `sample ${sampleId} was taken by ${holder.user} meanwhile` : `sample ${sampleId} needs no review any more`, { holder });
});
