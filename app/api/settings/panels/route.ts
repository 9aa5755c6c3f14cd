import { humanAuthor } from "@/lib/auth/current-user";
import { route } from "@/lib/http/route";
import { PanelsUpdate } from "@/lib/judges/panels";
import { getJudgePanelsView, saveJudgePanels } from "@/lib/settings/panels-store";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/settings/panels — the judge panels (members' keys only as set / not set). */
export const GET = route({ permission: "settings.read" }, async () => ({ panels: await getJudgePanelsView() }));

/**
 * PUT /api/settings/panels {panels: [{name, rule, members: [{model, baseURL?, apiKey?, keepKey?, promptVersion?}]}]} —
 * replaces every panel (one left out is deleted): 200 {panels}; 400 naming the field at fault.
 */
export const PUT = route({ permission: "settings.write", body: PanelsUpdate }, async ({ user, body }) => {
  await saveJudgePanels(body, humanAuthor(user));
  return { panels: await getJudgePanelsView() };
});
