import { requireRole } from "@/lib/auth/require-role";
import { parseSettingsUpdate } from "@/lib/settings/llm-settings";
import { getStoredSettings } from "@/lib/settings/store";
import { previewConfig, testConnection } from "@/lib/settings/test-connection";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/settings/test {field: value | null, ...} — tries the judge endpoint with the settings as typed (the
 * same body as PATCH /api/settings, not saved): 200 {result: {ok, ...}} whether or not the server answered;
 * 400 {error, fields} for bad values.
 */
export async function POST(request: Request) {
  const denied = await requireRole("admin");
  if (denied) return denied;
  let body: unknown = {};
  try {
    const text = await request.text();
    if (text.trim()) body = JSON.parse(text);
  } catch {
    return Response.json({ error: "the request body must be JSON", fields: {} }, { status: 400 });
  }
  const update = parseSettingsUpdate(body);
  if (!update.ok) return Response.json({ error: update.message, fields: update.fields }, { status: 400 });
  const saved = await getStoredSettings();
  return Response.json({ result: await testConnection(() => previewConfig(saved, update)) });
}
