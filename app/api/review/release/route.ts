import { z } from "zod";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { claimHolder, releaseClaim, sampleExists } from "@/lib/review/queue";
import { idSchema } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({ sampleId: idSchema("sampleId") });

/**
 * POST /api/review/release {sampleId} — gives the calling reviewer's claim back to the queue: 200 {released: true};
 * 409 when they do not hold it (with who does, if anyone); 404 for an unknown sample.
 */
export const POST = route({ permission: "queue.work", body }, async ({ user, body: { sampleId } }) => {
  if (await releaseClaim(user.email, sampleId)) return { released: true };
  if (!(await sampleExists(sampleId))) throw new NotFoundError(`sample ${sampleId} does not exist`);
  const holder = await claimHolder(sampleId);
  throw new ConflictError(holder ? `sample ${sampleId} is held by ${holder.user}, not by you` : `you do not hold sample ${sampleId}`, { holder });
});
