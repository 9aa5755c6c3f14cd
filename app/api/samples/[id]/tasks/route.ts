import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { conflict, expectedVersion, sampleNotFound, readSampleRequest } from "@/lib/review/api";
import { requestTasks } from "@/lib/review/tasks";
import { sampleChange } from "@/lib/samples/queries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("regenerate"),
      expectedVersion,
      scope: z.enum(["answer", "cot+answer"], { error: "scope must be answer or cot+answer" }).default("cot+answer"),
      instruction: z.string({ error: "instruction must be text" }).trim().max(2_000, "instruction is too long (2,000 characters at most)").optional(),
    }),
    z.object({
      kind: z.literal("recheck"),
      expectedVersion,
      stages: z.enum(["rules", "all"], { error: "stages must be rules or all" }).default("all"),
    }),
  ],
  { error: "kind must be regenerate or recheck" },
);

/**
 * POST /api/samples/:id/tasks {kind: "regenerate", scope?, instruction?, expectedVersion} or {kind: "recheck",
 * stages?, expectedVersion} — 202 {taskId}; the worker does it in the background (GET /api/samples/:id shows the
 * task). 409 when the sample changed since `expectedVersion` or already has such a task queued or running.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const parsed = await readSampleRequest(request, params, "annotator", body);
  if (!parsed.ok) return parsed.response;
  const { user, id } = parsed;
  const current = await sampleChange(id);
  if (!current) return sampleNotFound(id);
  if (current.version !== parsed.data.expectedVersion) return conflict(current);
  const author = humanAuthor(user);
  const { kind } = parsed.data;
  const result =
    parsed.data.kind === "regenerate"
      ? await requestTasks([id], "regenerate", { scope: parsed.data.scope, instruction: parsed.data.instruction || undefined }, author)
      : await requestTasks([id], "recheck", { stages: parsed.data.stages }, author);
  const task = result.tasks[0];
  if (!task) return Response.json({ error: result.failures[0]?.message ?? `the ${kind} could not be queued` }, { status: 409 });
  return Response.json({ taskId: task.taskId }, { status: 202 });
}
