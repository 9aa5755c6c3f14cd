import { markMentionsRead } from "@/lib/comments/mark-mentions-read";
import { route } from "@/lib/http/route";
import { MentionsReadBody } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/mentions/read {commentIds} — marks the caller's mentions in these comments read: 200 {marked}. */
export const POST = route({ permission: "comments.read", body: MentionsReadBody }, async ({ user, body }) => ({
  marked: await markMentionsRead(user.id, body.commentIds),
}));
