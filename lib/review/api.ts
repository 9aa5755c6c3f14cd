// What the review page's route handlers (app/api/samples/[id]/**) share: the role check, the sample id from the path
// and the JSON body, in that order, and the answers every write gives for an unknown sample or a stale version.
import { z } from "zod";
import { requireUser, type Role } from "@/lib/auth/require-role";
import type { CurrentUser } from "@/lib/auth/current-user";
import { readJsonBody } from "@/lib/http/json";
import type { SampleChange } from "@/lib/samples/queries";

const sampleId = z.coerce.number().int().min(1).max(2_147_483_647);

/** The sample id of the path, or the 400 that says it is not one. */
export async function sampleIdFrom(params: Promise<{ id: string }>): Promise<{ ok: true; id: number } | { ok: false; response: Response }> {
  const parsed = sampleId.safeParse((await params).id);
  if (parsed.success) return { ok: true, id: parsed.data };
  return { ok: false, response: Response.json({ error: "the sample id must be a positive integer" }, { status: 400 }) };
}

/**
 * A POST to /api/samples/:id/…: the caller (with at least `role`), the sample id and the validated body; or the
 * 401/403/400 Response to send back, checked in that order so nobody learns anything before the role check.
 */
export async function readSampleRequest<Schema extends z.ZodType>(
  request: Request,
  params: Promise<{ id: string }>,
  role: Role,
  schema: Schema,
): Promise<{ ok: true; user: CurrentUser; id: number; data: z.infer<Schema> } | { ok: false; response: Response }> {
  const { user, denied } = await requireUser(role);
  if (denied) return { ok: false, response: denied };
  const id = await sampleIdFrom(params);
  if (!id.ok) return id;
  const parsed = await readJsonBody(request, schema);
  if (!parsed.ok) return parsed;
  return { ok: true, user, id: id.id, data: parsed.data };
}

export function sampleNotFound(id: number): Response {
  return Response.json({ error: `sample ${id} does not exist` }, { status: 404 });
}

/** The version the page loaded, which every write carries. */
export const expectedVersion = z
  .number({ error: "expectedVersion must be the version the page loaded (a positive integer)" })
  .int({ error: "expectedVersion must be a whole number" })
  .min(1, "expectedVersion must be at least 1");

/** 409: the sample changed since the page loaded it; nothing was written. `current` lets the page say by whom. */
export function conflict(current: SampleChange): Response {
  const by = current.by ? current.by.replace(/^human:/, "") : "someone";
  const at = `${current.updatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const error = `Changed by ${by} at ${at} since you opened it: nothing was written. Reload to see it.`;
  return Response.json({ error, current }, { status: 409 });
}
