import { z } from "zod";
import { recordAudit } from "@/lib/audit/log";
import { humanAuthor } from "@/lib/auth/current-user";
import { requireRole, requireUser } from "@/lib/auth/require-role";
import { controlRun, RunStateError } from "@/lib/runs/control";
import { runAttention } from "@/lib/runs/list-runs";
import { getRunProgress } from "@/lib/runs/queries";
import { readJsonBody } from "@/lib/http/json";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const runId = z.coerce.number().int().min(1).max(2_147_483_647);
const body = z.object({
  action: z.enum(["pause", "resume", "cancel"], { error: "action must be pause, resume or cancel" }),
});

/** GET /api/runs/:id — {run: RunProgress, attention: [{id, result, query}]}; 404 for an unknown run. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const denied = await requireRole("viewer");
  if (denied) return denied;
  const id = runId.safeParse((await params).id);
  if (!id.success) return Response.json({ error: "the run id must be a positive integer" }, { status: 400 });
  const [run, attention] = await Promise.all([getRunProgress(id.data), runAttention(id.data)]);
  if (!run) return Response.json({ error: `run ${id.data} does not exist` }, { status: 404 });
  return Response.json({ run, attention }, { headers: { "Cache-Control": "no-store" } });
}

/** POST /api/runs/:id {action: pause|resume|cancel} — 200 {run}; a run in the wrong state: 409 {error}. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { user, denied } = await requireUser("admin");
  if (denied) return denied;
  const id = runId.safeParse((await params).id);
  if (!id.success) return Response.json({ error: "the run id must be a positive integer" }, { status: 400 });
  const parsed = await readJsonBody(request, body);
  if (!parsed.ok) return parsed.response;
  try {
    await controlRun(id.data, parsed.data.action);
  } catch (error) {
    if (error instanceof RunStateError) return Response.json({ error: error.message }, { status: 409 });
    throw error;
  }
  await recordAudit({ actor: humanAuthor(user), action: `run.${parsed.data.action}`, target: { type: "run", id: id.data }, summary: `Run #${id.data}: ${parsed.data.action}` });
  return Response.json({ run: await getRunProgress(id.data) });
}
