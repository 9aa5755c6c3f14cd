import { route } from "@/lib/http/route";
import { checkExport } from "@/lib/samples/export";
import { ExportFormatQuery, SampleSelectionExport } from "@/lib/samples/export-request";
import { requireTableFilter } from "@/lib/samples/table-filter";
import { filteredSampleIds } from "@/lib/samples/table-query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/samples/export/check?<table filter>&format=… — what downloading the filter would write and leave out:
 * {written, withheld, withheldSamples: [{sampleId, reason}] (the first 20)}. The export dialog shows it first.
 */
export const GET = route({ permission: "data.export", query: ExportFormatQuery }, async ({ query, searchParams }) =>
  checkExport({ sampleIds: await filteredSampleIds(requireTableFilter(searchParams)) }, query.format),
);

/** POST /api/samples/export/check (form: ids=1,2,3&format=…) — the same for a selection. */
export const POST = route({ permission: "data.export", form: SampleSelectionExport }, async ({ body }) =>
  checkExport({ sampleIds: body.ids }, body.format),
);
