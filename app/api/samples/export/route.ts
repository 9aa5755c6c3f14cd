import type { NextRequest } from "next/server";
import { recordAudit } from "@/lib/audit/log";
import { humanAuthor } from "@/lib/auth/current-user";
import { requireUser } from "@/lib/auth/require-role";
import { streamFromWriter } from "@/lib/http/download";
import { exportSampleSet, type ExportFormatId } from "@/lib/samples/export";
import { exportFormat, issuesMessage, SampleSelectionExport } from "@/lib/samples/export-request";
import { readTableFilter, tableFilterToParams } from "@/lib/samples/table-filter";
import { filteredSampleIds } from "@/lib/samples/table-query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/samples/export?<table filter>&format=<an EXPORT_FORMATS id> — downloads every sample the samples
 * table's filter matches (its sort and page ignored), as JSON Lines in id order. 400 on a bad filter or format.
 */
export async function GET(request: NextRequest) {
  const { user, denied } = await requireUser("admin");
  if (denied) return denied;
  const params = request.nextUrl.searchParams;
  const chosen = exportFormat.safeParse(params.get("format") ?? undefined);
  if (!chosen.success) return Response.json({ error: chosen.error.issues[0].message }, { status: 400 });
  const { filter, issues } = readTableFilter(params);
  if (issues.length) return Response.json({ error: issues.map((i) => i.message).join("; ") }, { status: 400 });
  const ids = await filteredSampleIds(filter);
  await recordAudit({
    actor: humanAuthor(user),
    action: "export",
    summary: `Exported ${ids.length} samples of a table filter as ${chosen.data}`,
    after: { format: chosen.data, filter: tableFilterToParams(filter).toString(), samples: ids.length },
  });
  return download(ids, chosen.data);
}

/**
 * POST /api/samples/export (form: ids=1,2,3&format=…) — downloads the selected samples. A form post, not a
 * query string, because a selection can be thousands of ids.
 */
export async function POST(request: Request) {
  const { user, denied } = await requireUser("admin");
  if (denied) return denied;
  const form = await request.formData().catch(() => null);
  const parsed = SampleSelectionExport.safeParse({ format: form?.get("format") ?? undefined, ids: form?.get("ids") ?? undefined });
  if (!parsed.success) return Response.json({ error: issuesMessage(parsed.error) }, { status: 400 });
  await recordAudit({
    actor: humanAuthor(user),
    action: "export",
    summary: `Exported ${parsed.data.ids.length} selected samples as ${parsed.data.format}`,
    after: { format: parsed.data.format, samples: parsed.data.ids.length },
  });
  return download(parsed.data.ids, parsed.data.format);
}

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
