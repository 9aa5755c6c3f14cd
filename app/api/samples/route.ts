import type { NextRequest } from "next/server";
import { requireRole } from "@/lib/auth/require-role";
import { readTableFilter } from "@/lib/samples/table-filter";
import { countFiltered, querySamplesTable } from "@/lib/samples/table-query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/samples?<table filter> — one page of the samples table as JSON (what /samples renders);
 * GET /api/samples?<table filter>&count=exact — {total}: the exact number of matching samples, for the
 * confirmation of a whole-filter action when the table's own count stopped at its cap. 400 on a bad filter.
 */
export async function GET(request: NextRequest) {
  const denied = await requireRole("viewer");
  if (denied) return denied;
  const params = request.nextUrl.searchParams;
  const { filter, issues } = readTableFilter(params);
  if (issues.length) return Response.json({ error: issues.map((i) => i.message).join("; ") }, { status: 400 });
  if (params.get("count") === "exact") return Response.json({ total: await countFiltered(filter) });
  return Response.json(await querySamplesTable(filter));
}
