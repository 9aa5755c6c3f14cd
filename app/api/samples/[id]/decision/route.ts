import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { ForbiddenError, InvalidRequestError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { conflict, expectedVersion, SampleParams, sampleNotFound } from "@/lib/review/api";
import { stageIdSchema } from "@/lib/pipeline/stage-schema";
import { decideOne } from "@/lib/review/decisions";
import { restoreWithOriginalAnswer } from "@/lib/review/restore-original";
import { sampleChange } from "@/lib/samples/queries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z
  .object({
    action: z.enum(["approve", "discard", "restore"], { error: "action must be approve, discard or restore" }),
    expectedVersion,
    reason: z.string({ error: "reason must be text" }).trim().max(2_000, "reason is too long (2,000 characters at most)").optional(),
    stage: stageIdSchema("stage").optional(),
    /** restore: bring the answer and CoT back as imported, too (the original, as a new revision the rules check). */
    withOriginalAnswer: z.boolean({ error: "withOriginalAnswer must be true or false" }).optional(),
  })
  .refine((d) => d.action === "approve" || Boolean(d.reason), { message: "reason is required to discard or restore", path: ["reason"] })
  .refine((d) => d.stage === undefined || d.action === "discard", { message: "stage is only for discard", path: ["stage"] })
  .refine((d) => !d.withOriginalAnswer || d.action === "restore", { message: "withOriginalAnswer is only for restore", path: ["withOriginalAnswer"] });

/**
 * POST /api/samples/:id/decision {action, expectedVersion, reason?, stage?} — 200 {version, status, decisionId, round}
 * (decisionId: what an undo names, POST ./undo; round: {votes, k, state} when the decision was one of the k reviews a
 * sample of the dataset needs, else null); 409 {error,
 * current} when the sample changed since `expectedVersion` (nothing written); 400 for bad input or a decision the
 * status does not allow (e.g. restoring a sample that is not discarded). A restore withOriginalAnswer is an edit back
 * to the imported answer (lib/review/restore-original.ts): {version, status: "flagged", decisionId: null, round: null},
 * 422 {error, failing} when the rules fail that answer.
 */
export const POST = route({ permission: "samples.decide", params: SampleParams, body }, async ({ user, params: { id }, body }) => {
  const { action, reason, stage } = body;
  if (body.withOriginalAnswer) {
    if (!can(user.role, "samples.edit")) throw new ForbiddenError("restoring with the original answer edits the sample: it needs the samples.edit permission");
    const version = await restoreWithOriginalAnswer({ sampleId: id, expectedVersion: body.expectedVersion }, reason!, humanAuthor(user));
    return { version, status: "flagged", decisionId: null, round: null };
  }
  const result = await decideOne(
    { sampleId: id, expectedVersion: body.expectedVersion },
    { action, reason, stage, author: humanAuthor(user) },
    { canAdjudicate: can(user.role, "adjudicate") },
  );
  if (result.ok) return { version: result.version, status: result.status, decisionId: result.decisionId, round: result.round ?? null };
  if (result.kind === "not-found") throw sampleNotFound(id);
  if (result.kind === "invalid") throw new InvalidRequestError(result.message);
  const current = await sampleChange(id);
  throw current ? conflict(current) : sampleNotFound(id);
});
