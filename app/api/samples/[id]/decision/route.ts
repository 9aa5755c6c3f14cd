import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { conflict, expectedVersion, sampleNotFound, readSampleRequest } from "@/lib/review/api";
import { stageIdSchema } from "@/lib/pipeline/stage-schema";
import { decideOne } from "@/lib/review/decisions";
import { sampleChange } from "@/lib/samples/queries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z
  .object({
    action: z.enum(["approve", "discard", "restore"], { error: "action must be approve, discard or restore" }),
    expectedVersion,
    reason: z.string({ error: "reason must be text" }).trim().max(2_000, "reason is too long (2,000 characters at most)").optional(),
    stage: stageIdSchema("stage").optional(),
  })
  .refine((d) => d.action === "approve" || Boolean(d.reason), { message: "reason is required to discard or restore", path: ["reason"] })
  .refine((d) => d.stage === undefined || d.action === "discard", { message: "stage is only for discard", path: ["stage"] });

/**
 * POST /api/samples/:id/decision {action, expectedVersion, reason?, stage?} — 200 {version, status}; 409 {error,
 * current} when the sample changed since `expectedVersion` (nothing written); 400 for bad input or a decision the
 * status does not allow (e.g. restoring a sample that is not discarded).
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const parsed = await readSampleRequest(request, params, "annotator", body);
  if (!parsed.ok) return parsed.response;
  const { user, id } = parsed;
  const { action, reason, stage } = parsed.data;
  const result = await decideOne({ sampleId: id, expectedVersion: parsed.data.expectedVersion }, { action, reason, stage, author: humanAuthor(user) });
  if (result.ok) return Response.json({ version: result.version, status: result.status });
  if (result.kind === "not-found") return sampleNotFound(id);
  if (result.kind === "invalid") return Response.json({ error: result.message }, { status: 400 });
  const current = await sampleChange(id);
  return current ? conflict(current) : sampleNotFound(id);
}
