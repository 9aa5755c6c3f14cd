import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { route } from "@/lib/http/route";
import { expectedVersion, SampleParams, savedVersion } from "@/lib/review/api";
import { revertToVersion } from "@/lib/review/revert";
import { turnSchema } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({
  to: z.union([z.literal("original"), z.string().regex(/^[1-9]\d{0,17}$/)], { error: 'to must be "original" or a revision id' }),
  /** For "original": the conversation's turn whose first version to bring back (the first answer by default). */
  turn: turnSchema.optional(),
  expectedVersion,
});

/**
 * POST /api/samples/:id/revert {to: "original" | <revision id>, turn?, expectedVersion} — makes that earlier version
 * (of the revision's turn; for "original", of `turn`, the first answer by default) current again as a new revision (lib/review/revert.ts): 200 {version}; 422 {error, failing} when a rule stage fails it; 409
 * when the sample changed since `expectedVersion`.
 */
export const POST = route({ permission: "samples.edit", params: SampleParams, body }, async ({ user, params: { id }, body }) => {
  const result = await revertToVersion({ sampleId: id, expectedVersion: body.expectedVersion }, body.to, humanAuthor(user), body.turn);
  return { version: savedVersion(result, id) };
});
