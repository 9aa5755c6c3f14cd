import { humanAuthor } from "@/lib/auth/current-user";
import { route } from "@/lib/http/route";
import { requireSettingsUpdate, SettingsBody } from "@/lib/settings/llm-settings";
import { getSettingsView, resetSettings, saveSettings } from "@/lib/settings/store";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/settings — the judge/teacher settings as the page shows them (the API key only as set / not set). */
export const GET = route({ permission: "settings.read" }, async () => ({ settings: await getSettingsView() }));

/**
 * PATCH /api/settings {field: value | null, ...} — a field left out is kept, null or "" goes back to its default.
 * 200 {settings}; 400 {error, fields: {field: message}} naming every bad field.
 */
export const PATCH = route({ permission: "settings.write", body: SettingsBody }, async ({ user, body }) => {
  await saveSettings(requireSettingsUpdate(body), humanAuthor(user));
  return { settings: await getSettingsView() };
});

/** DELETE /api/settings — forgets every saved setting: the environment's values apply again. */
export const DELETE = route({ permission: "settings.write" }, async ({ user }) => {
  await resetSettings(humanAuthor(user));
  return { settings: await getSettingsView() };
});
