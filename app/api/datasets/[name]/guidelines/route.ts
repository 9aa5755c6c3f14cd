import { humanAuthor } from "@/lib/auth/current-user";
import { getGuidelines } from "@/lib/guidelines/get-guidelines";
import { saveGuidelines } from "@/lib/guidelines/save-guidelines";
import { route } from "@/lib/http/route";
import { DatasetParams } from "@/lib/samples/export-request";
import { GuidelinesBody, GuidelinesQuery } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/datasets/<name>/guidelines[?version=N] — {current, versions}: the latest guidelines (or version N; null
 * when there are none) and every version's number, author and date, newest first. 404 unknown dataset or version.
 */
export const GET = route({ permission: "samples.read", params: DatasetParams, query: GuidelinesQuery }, async ({ params, query }) =>
  getGuidelines(params.name, query.version),
);

/**
 * PUT /api/datasets/<name>/guidelines {body} — saves the Markdown as the next version: 200 {guidelines, saved} (saved
 * false: the text is the latest version's, nothing written); 400 naming the field when empty or too long.
 */
export const PUT = route({ permission: "guidelines.write", params: DatasetParams, body: GuidelinesBody }, async ({ user, params, body }) => {
  const { saved, ...guidelines } = await saveGuidelines(params.name, body.body, humanAuthor(user));
  return { guidelines, saved };
});
