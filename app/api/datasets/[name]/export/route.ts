import type { NextRequest } from "next/server";
import { recordAudit } from "@/lib/audit/log";
import { humanAuthor } from "@/lib/auth/current-user";
import { requireUser } from "@/lib/auth/require-role";
import { findDatasetByName } from "@/lib/datasets/queries";
import { streamFromWriter } from "@/lib/http/download";
import { exportSamples } from "@/lib/samples/export";
import { DatasetExportQuery, issuesMessage } from "@/lib/samples/export-request";
import type { SampleStatus } from "@/lib/samples/types";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/datasets/<name>/export?format=<an EXPORT_FORMATS id>&status=passed,approved
 * Streams the dataset's samples as a JSON Lines download. 400 on a bad format or status, 404 on an unknown dataset.
 * Samples of the refined set a rule fails are left out (lib/samples/export.ts); the export dialog asks
 * ./export/check first and says so before the download.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ name: string }> }) {
  const { user, denied } = await requireUser("admin");
  if (denied) return denied;

  const { name } = await params;
  const parsed = DatasetExportQuery.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) return Response.json({ error: issuesMessage(parsed.error) }, { status: 400 });
  const { format, status } = parsed.data;

  const dataset = await findDatasetByName(name);
  if (!dataset) return Response.json({ error: `dataset "${name}" does not exist` }, { status: 404 });

  const statuses: SampleStatus[] | undefined = status.length ? status : undefined;
  await recordAudit({
    actor: humanAuthor(user),
    action: "export",
    target: { type: "dataset", id: dataset.id },
    summary: `Exported ${dataset.name} as ${format}${statuses ? ` (${statuses.join(", ")})` : ""}`,
    after: { format, statuses: statuses ?? null },
  });
  const body = streamFromWriter((out) => exportSamples({ datasetName: dataset.name, format, statuses, out }));
  const fileName = `${dataset.name}.${format}.jsonl`;
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": contentDisposition(fileName),
      "Cache-Control": "no-store",
    },
  });
}

/** An attachment header that survives any dataset name: an ASCII fallback plus the RFC 5987 UTF-8 form. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
