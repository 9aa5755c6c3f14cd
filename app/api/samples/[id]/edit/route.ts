import { humanAuthor } from "@/lib/auth/current-user";
import { conflict, expectedVersion, sampleNotFound, readSampleRequest } from "@/lib/review/api";
import { EditSchema, saveEdit } from "@/lib/review/edit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = EditSchema.extend({ expectedVersion });

/**
 * POST /api/samples/:id/edit {answer, cot, expectedVersion} — 200 {version}; 422 {error, failing} when the rule
 * stages fail the edit (nothing written); 409 {error, current} when the sample changed since `expectedVersion`.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const parsed = await readSampleRequest(request, params, "annotator", body);
  if (!parsed.ok) return parsed.response;
  const { user, id } = parsed;
  const { expectedVersion: version, ...edit } = parsed.data;
  const result = await saveEdit({ sampleId: id, expectedVersion: version }, edit, humanAuthor(user));
  if (result.ok) return Response.json({ version: result.version });
  if (result.kind === "not-found") return sampleNotFound(id);
  if (result.kind === "conflict") return conflict(result.current);
  return Response.json({ error: result.message, failing: result.failing }, { status: 422 });
}
