import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { ConflictError } from "@/lib/errors";
import { jsonResponse, route } from "@/lib/http/route";
import { conflict, expectedVersion, SampleParams, sampleNotFound } from "@/lib/review/api";
import { requestTasks } from "@/lib/review/tasks";
import { sampleChange } from "@/lib/samples/queries";
import { turnSchema } from "@/lib/zod/schemas";

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
      turn: turnSchema.optional(),
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
 * POST /api/samples/:id/tasks {kind: "regenerate", scope?, instruction?, turn?, expectedVersion} (`turn`: a
 * conversation's assistant turn, the first answer by default) or {kind: "recheck",
 * stages?, expectedVersion} — 202 {taskId}; the worker does it in the background (GET /api/samples/:id shows the
 * task). 409 when the sample changed since `expectedVersion` or already has such a task queued or running.
 */
export const POST = route({ permission: "samples.edit", params: SampleParams, body }, async ({ user, params: { id }, body }) => {
  const current = await sampleChange(id);
  if (!current) throw sampleNotFound(id);
  if (current.version !== body.expectedVersion) throw conflict(current);
  const author = humanAuthor(user);
  const result =
    body.kind === "regenerate"
      ? await requestTasks([id], "regenerate", { scope: body.scope, instruction: body.instruction || undefined, turn: body.turn }, author)
      : await requestTasks([id], "recheck", { stages: body.stages }, author);
  const task = result.tasks[0];
  if (!task) throw new ConflictError(result.failures[0]?.message ?? `the ${body.kind} could not be queued`);
  return jsonResponse({ taskId: task.taskId }, { status: 202 });
});
