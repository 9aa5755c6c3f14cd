import { route } from "@/lib/http/route";
import { checkExport } from "@/lib/samples/export";
import { DatasetExportQuery, DatasetParams } from "@/lib/samples/export-request";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/datasets/<name>/export/check?format=…&status=…[&withErrorToolResponses=true] — what that download would write and leave out, before it
 * starts: {written, withheld, withheldSamples: [{sampleId, reason}] (the first 20)}. The export dialog shows it.
 */
export const GET = route({ permission: "data.export", params: DatasetParams, query: DatasetExportQuery }, async ({ params, query }) =>
  checkExport({ datasetName: params.name, statuses: query.status }, query.format, query.withErrorToolResponses),
);
