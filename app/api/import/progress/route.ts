import { z } from "zod";
import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { IMPORT_ID, importProgress } from "@/lib/samples/import-progress";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const query = z.object({ id: z.string({ error: "id is missing" }).regex(IMPORT_ID, "id must be 32 hexadecimal digits") });

/**
 * GET /api/import/progress?id=… — how far the running import with this importId has got (see POST /api/import):
 * 200 {records, bytes, totalBytes}; 404 when no such import runs (not started yet, or already answered).
 */
export const GET = route({ permission: "data.import", query }, async ({ query }) => {
  const progress = importProgress(query.id);
  if (!progress) throw new NotFoundError("no import with this id is running");
  return progress;
});
