import type { NextRequest } from "next/server";
import { requireUser } from "@/lib/auth/require-role";
import { checkExport } from "@/lib/samples/export";
import { exportFormat, issuesMessage, SampleSelectionExport } from "@/lib/samples/export-request";
import { readTableFilter } from "@/lib/samples/table-filter";
import { filteredSampleIds } from "@/lib/samples/table-query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/samples/export/check?<table filter>&format=… — what downloading the filter would write and leave out:
 * {written, withheld, withheldSamples: [{sampleId, reason}] (the first 20)}. The export dialog shows it first.
 */
export async function GET(request: NextRequest) {
  const { denied } = await requireUser("admin");
  if (denied) return denied;
  const params = request.nextUrl.searchParams;
  const chosen = exportFormat.safeParse(params.get("format") ?? undefined);
  if (!chosen.success) return Response.json({ error: issuesMessage(chosen.error) }, { status: 400 });
  const { filter, issues } = readTableFilter(params);
  if (issues.length) return Response.json({ error: issues.map((i) => i.message).join("; ") }, { status: 400 });
  return Response.json(await checkExport({ sampleIds: await filteredSampleIds(filter) }, chosen.data));
}

/** POST /api/samples/export/check (form: ids=1,2,3&format=…) — the same for a selection. */
export async function POST(request: Request) {
  const { denied } = await requireUser("admin");
  if (denied) return denied;
  const form = await request.formData().catch(() => null);
  const parsed = SampleSelectionExport.safeParse({ format: form?.get("format") ?? undefined, ids: form?.get("ids") ?? undefined });
  if (!parsed.success) return Response.json({ error: issuesMessage(parsed.error) }, { status: 400 });
  return Response.json(await checkExport({ sampleIds: parsed.data.ids }, parsed.data.format));
}
