import type { NextRequest } from "next/server";
import { requireRole } from "@/lib/auth/require-role";
import { IMPORT_ID, importProgress } from "@/lib/samples/import-progress";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/import/progress?id=… — how far the running import with this importId has got (see POST /api/import):
 * 200 {records, bytes, totalBytes}; 404 when no such import runs (not started yet, or already answered).
 */
export async function GET(request: NextRequest) {
  const denied = await requireRole("admin");
  if (denied) return denied;
  const id = request.nextUrl.searchParams.get("id") ?? "";
  if (!IMPORT_ID.test(id)) return Response.json({ error: "id must be 32 hexadecimal digits" }, { status: 400 });
  const progress = importProgress(id);
  if (!progress) return Response.json({ error: "no import with this id is running" }, { status: 404 });
  return Response.json(progress, { headers: { "Cache-Control": "no-store" } });
}
