import { route } from "@/lib/http/route";
import { requireSettingsUpdate, SettingsBody } from "@/lib/settings/llm-settings";
import { getStoredSettings } from "@/lib/settings/store";
import { previewConfig, testConnection } from "@/lib/settings/test-connection";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/settings/test {field: value | null, ...} — tries the judge endpoint with the settings as typed (the
 * same body as PATCH /api/settings, not saved): 200 {result: {ok, ...}} whether or not the server answered;
 * 400 {error, fields} for bad values.
 */
export const POST = route({ permission: "settings.write", body: SettingsBody }, async ({ body }) => {
  const update = requireSettingsUpdate(body);
  const saved = await getStoredSettings();
  return { result: await testConnection(() => previewConfig(saved, update)) };
});
