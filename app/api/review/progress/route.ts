import { z } from "zod";
import { route } from "@/lib/http/route";
import { allowQueueMode, queueMode } from "@/lib/review/api";
import { queueProgress } from "@/lib/review/progress";
import { idText } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const query = z.object({ datasetId: idText("datasetId").optional(), mode: queueMode });

/**
 * GET /api/review/progress?datasetId=&mode= — the calling reviewer's figures for a queue: {left, doneToday,
 * medianSeconds} (what the review page shows as "N left in this queue · M done by you today · median per sample").
 */
export const GET = route({ permission: "queue.work", query }, async ({ user, query: { datasetId, mode } }) => {
  allowQueueMode(user, mode);
  return queueProgress(user.email, { datasetId, mode });
});
