import { humanAuthor } from "@/lib/auth/current-user";
import { route } from "@/lib/http/route";
import { requireSettingsUpdate, SettingsBody } from "@/lib/settings/llm-settings";
import { POLICY_SPEC, policyView } from "@/lib/settings/policy-settings";
import { getPolicySettings, savePolicySettings } from "@/lib/settings/store";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/settings/policy — the policy model of self-refinement rounds: {policy} (the key only as set / not set). */
export const GET = route({ permission: "settings.read" }, async () => ({ policy: policyView(await getPolicySettings()) }));

/**
 * PATCH /api/settings/policy {baseURL?, apiKey?, model?} — as PATCH /api/settings: a field left out is kept, null or ""
 * clears it; a key is bound to the base URL it is saved with. 400 {error, fields} naming every bad field.
 */
export const PATCH = route({ permission: "settings.write", body: SettingsBody }, async ({ user, body }) => {
  await savePolicySettings(requireSettingsUpdate(body, POLICY_SPEC), humanAuthor(user));
  return { policy: policyView(await getPolicySettings()) };
});
