import { route } from "@/lib/http/route";
import { requireTableFilter } from "@/lib/samples/table-filter";
import { countFiltered, querySamplesTable } from "@/lib/samples/table-query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/samples?<table filter> — one page of the samples table as JSON (what /samples renders);
 * GET /api/samples?<table filter>&count=exact — {total}: the exact number of matching samples, for the
 * confirmation of a whole-filter action when the table's own count stopped at its cap. 400 on a bad filter.
 */
export const GET = route({ permission: "samples.read" }, async ({ searchParams }) => {
  const filter = requireTableFilter(searchParams);
  if (searchParams.get("count") === "exact") return { total: await countFiltered(filter) };
  return querySamplesTable(filter);
});
