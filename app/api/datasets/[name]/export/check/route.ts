import type { NextRequest } from "next/server";
import { requireUser } from "@/lib/auth/require-role";
import { checkExport, UnknownDatasetError } from "@/lib/samples/export";
import { DatasetExportQuery, issuesMessage } from "@/lib/samples/export-request";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/datasets/<name>/export/check?format=…&status=… — what that download would write and leave out, before it
 * starts: {written, withheld, withheldSamples: [{sampleId, reason}] (the first 20)}. The export dialog shows it.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ name: string }> }) {
  const { denied } = await requireUser("admin");
  if (denied) return denied;
  const parsed = DatasetExportQuery.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) return Response.json({ error: issuesMessage(parsed.error) }, { status: 400 });
  try {
    const { name } = await params;
    return Response.json(await checkExport({ datasetName: name, statuses: parsed.data.status }, parsed.data.format));
  } catch (error) {
    if (error instanceof UnknownDatasetError) return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
}
