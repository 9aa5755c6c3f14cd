import { humanAuthor } from "@/lib/auth/current-user";
import { requireUser } from "@/lib/auth/require-role";
import { readJsonBody } from "@/lib/http/json";
import { conflict, expectedVersion, sampleNotFound, sampleIdFrom } from "@/lib/review/api";
import { EditSchema, saveEdit } from "@/lib/review/edit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = EditSchema.extend({ expectedVersion });

/**
 * POST /api/samples/:id/edit {answer, cot, expectedVersion} — 200 {version}; 422 {error, failing} when the rule
 * stages fail the edit (nothing written); 409 {error, current} when the sample changed since `expectedVersion`.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { user, denied } = await requireUser("annotator");
  if (denied) return denied;
  const id = await sampleIdFrom(params);
  if (!id.ok) return id.response;
  const parsed = await readJsonBody(request, body);
  if (!parsed.ok) return parsed.response;
  const { expectedVersion: version, ...edit } = parsed.data;
  const result = await saveEdit({ sampleId: id.id, expectedVersion: version }, edit, humanAuthor(user));
  if (result.ok) return Response.json({ version: result.version });
  if (result.kind === "not-found") return sampleNotFound(id.id);
  if (result.kind === "conflict") return conflict(result.current);
  return Response.json({ error: result.message, failing: result.failing }, { status: 422 });
}
