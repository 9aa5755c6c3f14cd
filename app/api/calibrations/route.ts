import { recordAudit } from "@/lib/audit/log";
import { humanAuthor } from "@/lib/auth/current-user";
import { StartCalibrationBody } from "@/lib/calibration/api";
import { listCalibrations, startCalibration } from "@/lib/calibration/calibrations";
import { jsonResponse, route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/calibrations — every calibration, newest first, with its figures: {calibrations}. */
export const GET = route({ permission: "runs.read" }, async () => ({ calibrations: await listCalibrations() }));

/**
 * POST /api/calibrations {dataset, stage, model? | panel?, promptVersion?, includeBulk?} — 201 {id, total}: the judge is asked about each
 * sample by a worker (follow it with GET /api/calibrations/:id). 404 unknown dataset; 409 no LLM configured; 422
 * nothing to compare (no decision by a person speaks to the stage).
 */
export const POST = route({ permission: "runs.start", body: StartCalibrationBody }, async ({ user, body }) => {
  const started = await startCalibration({ ...body, author: humanAuthor(user) });
  await recordAudit({
    actor: humanAuthor(user),
    action: "calibration.start",
    target: { type: "calibration", id: started.id },
    summary: `Started calibration #${started.id} of the stage ${body.stage} judge${body.panel ? ` (panel ${body.panel})` : body.model ? ` (${body.model})` : ""}${body.promptVersion ? `, prompt v${body.promptVersion}` : ""} on ${body.dataset}: ${started.total} samples`,
    after: { dataset: body.dataset, stage: body.stage, model: body.model ?? null, panel: body.panel ?? null, promptVersion: body.promptVersion ?? null, includeBulk: body.includeBulk },
  });
  return jsonResponse(started, { status: 201 });
});
