import { route } from "@/lib/http/route";
import { RoundParams } from "@/lib/rounds/api";
import { disagreeingRefined, getRound } from "@/lib/rounds/rounds";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/rounds/:id — {round, disagreeing}: its figures and the refined answers that disagree with the reference. */
export const GET = route({ permission: "runs.read", params: RoundParams }, async ({ params }) => ({
  round: await getRound(params.id),
  disagreeing: await disagreeingRefined(params.id),
}));
