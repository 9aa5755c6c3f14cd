import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { route } from "@/lib/http/route";
import { SampleParams } from "@/lib/review/api";
import { undoDecision } from "@/lib/review/undo";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({ decisionId: z.string({ error: "decisionId must be the decision's id (text)" }).regex(/^[1-9]\d{0,17}$/, "decisionId must be a decision's id") });

/**
 * POST /api/samples/:id/undo {decisionId} — undoes the caller's latest decision on the sample (lib/review/undo.ts):
 * 200 {version, status}; 404 no such decision; 403 someone else's; 409 the sample changed since, or already undone.
 */
export const POST = route({ permission: "samples.decide", params: SampleParams, body }, async ({ user, params, body }) =>
  undoDecision(params.id, body.decisionId, humanAuthor(user)),
);
