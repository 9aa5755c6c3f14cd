import { z } from "zod";
import { getRunBatchView } from "@/lib/batch/store";
import { recordAudit } from "@/lib/audit/log";
import { humanAuthor } from "@/lib/auth/current-user";
import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { controlRun } from "@/lib/runs/control";
import { runAttention } from "@/lib/runs/list-runs";
import { getRunProgress } from "@/lib/runs/queries";
import { getRunUsageNow } from "@/lib/runs/usage";
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
export const GET = route({ permission: "runs.read", params }, async ({ params: { id } }) => {
  const [run, attention, usage, batch] = await Promise.all([getRunProgress(id), runAttention(id), getRunUsageNow(id), getRunBatchView(id)]);
  if (!run) throw new NotFoundError(`run ${id} does not exist`);
  return { run, attention, usage, batch };
});

/** POST /api/runs/:id {action: pause|resume|cancel} — 200 {run}; a run in the wrong state: 409 {error}. */
export const POST = route({ permission: "runs.start", params, body }, async ({ user, params: { id }, body: { action } }) => {
  await controlRun(id, action);
  await recordAudit({ actor: humanAuthor(user), action: `run.${action}`, target: { type: "run", id }, summary: `Run #${id}: ${action}` });
  return { run: await getRunProgress(id) };
});
