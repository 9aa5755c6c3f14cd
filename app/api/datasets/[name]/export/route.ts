import { recordAudit } from "@/lib/audit/log";
import { humanAuthor } from "@/lib/auth/current-user";
import { findDatasetByName } from "@/lib/datasets/queries";
import { NotFoundError } from "@/lib/errors";
import { streamFromWriter } from "@/lib/http/download";
import { route } from "@/lib/http/route";
import { exportSamples } from "@/lib/samples/export";
import { DatasetExportQuery, DatasetParams } from "@/lib/samples/export-request";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/datasets/<name>/export?format=<an EXPORT_FORMATS id>&status=passed,approved[&withErrorToolResponses=true]
 * Streams the dataset's samples as a JSON Lines download. 400 on a bad format or status, 404 on an unknown dataset.
 * Samples the export withholds are left out (lib/samples/export.ts: refined samples a rule fails, conversations the
 * format cannot hold, …); the export dialog asks ./export/check first and says so before the download.
 */
export const GET = route({ permission: "data.export", params: DatasetParams, query: DatasetExportQuery }, async ({ user, params, query }) => {
  const dataset = await findDatasetByName(params.name);
  if (!dataset) throw new NotFoundError(`dataset "${params.name}" does not exist`);
  const statuses = query.status.length ? query.status : undefined;
  await recordAudit({
    actor: humanAuthor(user),
    action: "export",
    target: { type: "dataset", id: dataset.id },
    summary: `Exported ${dataset.name} as ${query.format}${statuses ? ` (${statuses.join(", ")})` : ""}`,
    after: { format: query.format, statuses: statuses ?? null, ...(query.withErrorToolResponses ? { withErrorToolResponses: true } : {}) },
  });
  const body = streamFromWriter((out) => exportSamples({ datasetName: dataset.name, format: query.format, statuses, withErrorToolResponses: query.withErrorToolResponses, out }));
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": contentDisposition(`${dataset.name}.${query.format}.jsonl`),
      "Cache-Control": "no-store",
    },
  });
});

/** An attachment header that survives any dataset name: an ASCII fallback plus the RFC 5987 UTF-8 form. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
