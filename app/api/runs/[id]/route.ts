import { z } from "zod";
import { recordAudit } from "@/lib/audit/log";
import { humanAuthor } from "@/lib/auth/current-user";
import { route } from "@/lib/http/route";
import { controlRun } from "@/lib/runs/control";
import { getRunProgress } from "@/lib/runs/queries";
import { getRunDetail } from "@/lib/runs/run-detail";
import { idText } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const params = z.object({ id: idText("the run id") });
const body = z.object({
  action: z.enum(["pause", "resume", "cancel"], { error: "action must be pause, resume or cancel" }),
});

/**
 * GET /api/runs/:id — {run: RunProgress, attention: [{id, result, query}], usage: RunUsage (calls, tokens and cost per
 * stage, the teacher's, the total), batch: RunBatchView (a batch run's latest batch; null for a live run)}; 404 for
 * an unknown run.
 */
export const GET = route({ permission: "runs.read", params }, async ({ params: { id } }) => getRunDetail(id));

/** POST /api/runs/:id {action: pause|resume|cancel} — 200 {run}; a run in the wrong state: 409 {error}. */
export const POST = route({ permission: "runs.start", params, body }, async ({ user, params: { id }, body: { action } }) => {
  await controlRun(id, action);
  await recordAudit({ actor: humanAuthor(user), action: `run.${action}`, target: { type: "run", id }, summary: `Run #${id}: ${action}` });
  return { run: await getRunProgress(id) };
});
