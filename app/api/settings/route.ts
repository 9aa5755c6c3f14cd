import { humanAuthor } from "@/lib/auth/current-user";
import { requireRole, requireUser } from "@/lib/auth/require-role";
import { parseSettingsUpdate } from "@/lib/settings/llm-settings";
import { getSettingsView, resetSettings, saveSettings } from "@/lib/settings/store";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/settings — the judge/teacher settings as the page shows them (the API key only as set / not set). */
export async function GET() {
  const denied = await requireRole("admin");
  if (denied) return denied;
  return Response.json({ settings: await getSettingsView() });
}

/**
 * PATCH /api/settings {field: value | null, ...} — a field left out is kept, null or "" goes back to its default.
 * 200 {settings}; 400 {error, fields: {field: message}} naming every bad field.
 */
export async function PATCH(request: Request) {
  const { user, denied } = await requireUser("admin");
  if (denied) return denied;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: "the request body must be JSON", fields: {} }, { status: 400 });
  }
  const update = parseSettingsUpdate(body);
  if (!update.ok) return Response.json({ error: update.message, fields: update.fields }, { status: 400 });
  await saveSettings(update, humanAuthor(user));
  return Response.json({ settings: await getSettingsView() });
}

/** DELETE /api/settings — forgets every saved setting: the environment's values apply again. */
export async function DELETE() {
  const { user, denied } = await requireUser("admin");
  if (denied) return denied;
  await resetSettings(humanAuthor(user));
  return Response.json({ settings: await getSettingsView() });
}
