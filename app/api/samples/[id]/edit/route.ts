import { humanAuthor } from "@/lib/auth/current-user";
import { UnprocessableError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { conflict, expectedVersion, SampleParams, sampleNotFound } from "@/lib/review/api";
import { EditSchema, saveEdit } from "@/lib/review/edit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = EditSchema.extend({ expectedVersion });

/**
 * POST /api/samples/:id/edit {answer, cot, turn?, expectedVersion} — 200 {version}; 422 {error, failing} when the
 * rule stages fail the edit (nothing written); 409 {error, current} when the sample changed since `expectedVersion`.
 * `turn` is the conversation's assistant turn edited (the first answer by default).
 */
export const POST = route({ permission: "samples.edit", params: SampleParams, body }, async ({ user, params: { id }, body }) => {
  const { expectedVersion: version, ...edit } = body;
  const result = await saveEdit({ sampleId: id, expectedVersion: version }, edit, humanAuthor(user));
  if (result.ok) return { version: result.version };
  if (result.kind === "not-found") throw sampleNotFound(id);
  if (result.kind === "conflict") throw conflict(result.current);
  throw new UnprocessableError(result.message, { failing: result.failing });
});
