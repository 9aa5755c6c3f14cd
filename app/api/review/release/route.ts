import { z } from "zod";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { claimHolder, releaseClaim, sampleExists } from "@/lib/review/queue";
import { idSchema } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({
  sampleId: idSchema("sampleId"),
  /** A skip: the queue does not hand this sample to the caller again for a claim's lifetime. */
  skip: z.boolean({ error: "skip must be true or false" }).default(false),
});

/**
 * POST /api/review/release {sampleId, skip?} — gives the calling reviewer's claim back to the queue (with skip: and
 * does not hand it to them again for a claim's lifetime): 200 {released: true};
 * 409 when they do not hold it (with who does, if anyone); 404 for an unknown sample.
 */
export const POST = route({ permission: "queue.work", body }, async ({ user, body: { sampleId, skip } }) => {
  if (await releaseClaim(user.email, sampleId, { skip })) return { released: true };
  if (!(await sampleExists(sampleId))) throw new NotFoundError(`sample ${sampleId} does not exist`);
  const holder = await claimHolder(sampleId);
  throw new ConflictError(holder ? `sample ${sampleId} is held by ${holder.user}, not by you` : `you do not hold sample ${sampleId}`, { holder });
});
