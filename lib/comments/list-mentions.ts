// A person's Mentions: the comments that @mention them, newest first, with the sample each is on and whether they
// have opened it; and how many they have not (the navigation's count).
import "server-only";
import { getPool } from "@/lib/db/client";
import { listComments, type SampleCommentView } from "./list-comments";
import type { UnreadMentions } from "./unread-mentions";

export interface Mention {
  comment: SampleCommentView;
  /** The dataset of the sample the comment is on. */
  dataset: string;
  /** When the person opened their Mentions with it; null while unread. */
  readAt: Date | null;
}

/** The latest `limit` comments that mention the user (by users.id), newest first. */
export async function listMentions(userId: string, limit = 100): Promise<Mention[]> {
  const pool = await getPool();
  const { rows } = await pool.query<{ comment_id: number; dataset: string; read_at: Date | null }>(
    `SELECT m.comment_id, d.name AS dataset, m.read_at
     FROM comment_mentions m JOIN sample_comments c ON c.id = m.comment_id JOIN samples s ON s.id = c.sample_id JOIN datasets d ON d.id = s.dataset_id
     WHERE m.user_id = $1 ORDER BY m.comment_id DESC LIMIT $2`,
    [userId, limit],
  );
  const comments = new Map((await listComments({ commentIds: rows.map((r) => r.comment_id) })).map((c) => [c.id, c]));
  return rows.map((r) => ({ comment: comments.get(r.comment_id)!, dataset: r.dataset, readAt: r.read_at }));
}

/** The user's unread mentions now, with when they were counted. */
export async function unreadMentionsNow(userId: string): Promise<UnreadMentions> {
  const asOf = Date.now();
  return { count: await unreadMentionCount(userId), asOf };
}

/** How many comments mention the user that they have not opened yet. */
export async function unreadMentionCount(userId: string): Promise<number> {
  const pool = await getPool();
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM comment_mentions WHERE user_id = $1 AND read_at IS NULL`, [userId]);
  return rows[0].n;
}
