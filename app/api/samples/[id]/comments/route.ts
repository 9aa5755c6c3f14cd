import { humanAuthor } from "@/lib/auth/current-user";
import { addComment } from "@/lib/comments/add-comment";
import { listComments } from "@/lib/comments/list-comments";
import { jsonResponse, route } from "@/lib/http/route";
import { SampleParams } from "@/lib/review/api";
import { CommentBody } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/samples/:id/comments — {comments}: the sample's thread, oldest first (empty for an unknown sample). */
export const GET = route({ permission: "comments.read", params: SampleParams }, async ({ params }) => ({ comments: await listComments({ sampleId: params.id }) }));

/**
 * POST /api/samples/:id/comments {body} — adds a Markdown comment; each @name that names a person mentions them:
 * 201 {comment}; 400 naming the field (empty, too long); 404 unknown sample.
 */
export const POST = route({ permission: "comments.write", params: SampleParams, body: CommentBody }, async ({ user, params, body }) =>
  jsonResponse({ comment: await addComment(params.id, body.body, humanAuthor(user)) }, { status: 201 }),
);
