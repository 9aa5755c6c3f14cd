import { recordAudit } from "@/lib/audit/log";
import { humanAuthor } from "@/lib/auth/current-user";
import { streamFromWriter } from "@/lib/http/download";
import { route } from "@/lib/http/route";
import { exportSampleSet, type ExportFormatId } from "@/lib/samples/export";
import { ExportFormatQuery, SampleSelectionExport } from "@/lib/samples/export-request";
import { requireTableFilter, tableFilterToParams } from "@/lib/samples/table-filter";
import { filteredSampleIds } from "@/lib/samples/table-query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/samples/export?<table filter>&format=<an EXPORT_FORMATS id> — downloads every sample the samples
 * table's filter matches (its sort and page ignored), as JSON Lines in id order. 400 on a bad filter or format.
 */
export const GET = route({ permission: "data.export", query: ExportFormatQuery }, async ({ user, query, searchParams }) => {
  const filter = requireTableFilter(searchParams);
  const ids = await filteredSampleIds(filter);
  await recordAudit({
    actor: humanAuthor(user),
    action: "export",
    summary: `Exported ${ids.length} samples of a table filter as ${query.format}`,
    after: { format: query.format, filter: tableFilterToParams(filter).toString(), samples: ids.length },
  });
  return download(ids, query.format);
});

/**
 * POST /api/samples/export (form: ids=1,2,3&format=…) — downloads the selected samples. A form the page submits
 * (a download, not a fetch), not a query string, because a selection can be thousands of ids.
 */
export const POST = route({ permission: "data.export", form: SampleSelectionExport }, async ({ user, body }) => {
  await recordAudit({
    actor: humanAuthor(user),
    action: "export",
    summary: `Exported ${body.ids.length} selected samples as ${body.format}`,
    after: { format: body.format, samples: body.ids.length },
  });
  return download(body.ids, body.format);
});

function download(sampleIds: number[], format: ExportFormatId): Response {
  const body = streamFromWriter((out) => exportSampleSet({ sampleIds, format, out }));
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="samples.${format}.jsonl"`,
      "Cache-Control": "no-store",
    },
  });
}
