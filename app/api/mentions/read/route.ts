import { unreadMentionsNow } from "@/lib/comments/list-mentions";
import { markMentionsRead } from "@/lib/comments/mark-mentions-read";
import { route } from "@/lib/http/route";
import { MentionsReadBody } from "@/lib/zod/schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/mentions/read {commentIds} — marks the caller's mentions in these comments read: 200 {marked, unread}
 * (how many it marked; the caller's unread mentions after it, with when they were counted).
 */
export const POST = route({ permission: "comments.read", body: MentionsReadBody }, async ({ user, body }) => {
  const marked = await markMentionsRead(user.id, body.commentIds);
  return { marked, unread: await unreadMentionsNow(user.id) };
});
