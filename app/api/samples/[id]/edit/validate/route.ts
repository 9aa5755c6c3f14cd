import { sampleNotFound, readSampleRequest } from "@/lib/review/api";
import { EditSchema, editContext, validateEdit } from "@/lib/review/edit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/samples/:id/edit/validate {answer, cot} — 200 {ok, failing}: what the rule stages say of the edit as
 * typed (the editor calls it while the reviewer types). Writes nothing.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const parsed = await readSampleRequest(request, params, "annotator", EditSchema);
  if (!parsed.ok) return parsed.response;
  const { id } = parsed;
  const context = await editContext(id);
  if (!context) return sampleNotFound(id);
  const result = await validateEdit(context.sample, context.kind, parsed.data);
  return Response.json({ ok: result.ok, failing: result.ok ? [] : result.failing });
}
