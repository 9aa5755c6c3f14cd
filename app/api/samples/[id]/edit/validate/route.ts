import { route } from "@/lib/http/route";
import { SampleParams, sampleNotFound } from "@/lib/review/api";
import { EditSchema, editContext, validateEdit } from "@/lib/review/edit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/samples/:id/edit/validate {answer, cot, turn?} — 200 {ok, failing}: what the rule stages say of the edit
 * of that turn (the first answer by default) as typed (the editor calls it while the reviewer types). Writes nothing.
 */
export const POST = route({ permission: "samples.edit", params: SampleParams, body: EditSchema }, async ({ params: { id }, body }) => {
  const context = await editContext(id, body.turn);
  if (!context) throw sampleNotFound(id);
  const result = await validateEdit(context.sample, context.kind, body);
  return { ok: result.ok, failing: result.ok ? [] : result.failing };
});
