import { humanAuthor } from "@/lib/auth/current-user";
import { jsonResponse, route } from "@/lib/http/route";
import { StartRoundBody } from "@/lib/rounds/api";
import { auditRoundStart, listRounds, startRound } from "@/lib/rounds/rounds";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/rounds — every self-refinement round, newest first, with its figures: {rounds}. */
export const GET = route({ permission: "runs.read" }, async () => ({ rounds: await listRounds() }));

/**
 * POST /api/rounds {source, model?, samplesPerQuery?, temperature?, maxRegenerations?, concurrency?} — 201 {id, number,
 * dataset, answers}: workers ask the policy model, then refine its answers (follow it with GET /api/rounds/:id). 400 a
 * bad field or no model; 404 unknown source; 409 the round's dataset name is taken; 422 a source with nothing to answer.
 */
export const POST = route({ permission: "runs.start", body: StartRoundBody }, async ({ user, body }) => {
  const started = await startRound({ ...body, author: humanAuthor(user) });
  await auditRoundStart(humanAuthor(user), body.source, started, body);
  return jsonResponse(started, { status: 201 });
});
