import { z } from "zod";
import { route } from "@/lib/http/route";
import { toolNameSuggestions } from "@/lib/samples/table-query";
import { idText } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const query = z.object({
  prefix: z.string().max(200, "prefix must be at most 200 characters").default(""),
  dataset: idText("dataset").optional(),
});

/** GET /api/samples/tools?prefix=get_&dataset=3 — {names}: tool names for the table's tool filter picker. */
export const GET = route({ permission: "samples.read", query }, async ({ query }) => ({
  names: await toolNameSuggestions(query.prefix, query.dataset),
}));
