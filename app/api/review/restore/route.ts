import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { route } from "@/lib/http/route";
import { stageIdSchema } from "@/lib/pipeline/stage-schema";
import { restoreGroup, restoreSamples } from "@/lib/review/discard-audit";
import { idSchema } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const reason = z.string({ error: "reason must be text" }).trim().min(1, "reason is required: say why these go back to review").max(2_000, "reason is too long (2,000 characters at most)");

const body = z
  .object({
    reason,
    sampleIds: z
      .array(idSchema("sampleIds[]"), { error: "sampleIds must be a list of sample ids" })
      .min(1, "sampleIds is empty")
      .max(5_000, "sampleIds lists at most 5,000 samples; restore the whole group instead")
      .optional(),
    group: z
      .object(
        {
          stage: stageIdSchema("group.stage").nullable(),
          code: z.string({ error: "group.code must be text or null" }).min(1, "group.code must not be empty").max(200, "group.code is too long").nullable(),
        },
        { error: "group must be {stage, code}" },
      )
      .optional(),
    datasetId: idSchema("datasetId").optional(),
  })
  .refine((b) => (b.sampleIds === undefined) !== (b.group === undefined), "send either sampleIds or group (not both)");

/**
 * POST /api/review/restore — sends discarded samples back to review (they become flagged; each restore is a human
 * decision in the sample's history). {reason, sampleIds} restores those; {reason, group: {stage, code}, datasetId?}
 * restores a whole discard group. Done as one recorded bulk job. 200 {jobId, restored, failed, failures: the first
 * [{sampleId, message}]}.
 */
export const POST = route({ permission: "samples.decide", body }, async ({ user, body }) => {
  const input = { author: humanAuthor(user), reason: body.reason };
  const { sampleIds, group, datasetId } = body;
  return sampleIds ? restoreSamples(sampleIds, input) : restoreGroup(group!, { datasetId }, input);
});
