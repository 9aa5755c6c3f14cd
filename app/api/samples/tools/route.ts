import type { NextRequest } from "next/server";
import { z } from "zod";
import { requireRole } from "@/lib/auth/require-role";
import { toolNameSuggestions } from "@/lib/samples/table-query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const query = z.object({
  prefix: z.string().max(200, "prefix must be at most 200 characters").default(""),
  dataset: z.coerce.number({ error: "dataset must be a dataset id" }).int("dataset must be a dataset id").positive("dataset must be a dataset id").optional(),
});

/** GET /api/samples/tools?prefix=get_&dataset=3 — {names}: tool names for the table's tool filter picker. */
export async function GET(request: NextRequest) {
  const denied = await requireRole("viewer");
  if (denied) return denied;
  const parsed = query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0].message }, { status: 400 });
  return Response.json({ names: await toolNameSuggestions(parsed.data.prefix, parsed.data.dataset) });
}
