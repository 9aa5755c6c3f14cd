// Opening one's Mentions marks what it showed as read (the page sends the ids it showed, so a mention that arrives
// meanwhile stays unread). Only the caller's own mentions change.
import "server-only";
import { getPool } from "@/lib/db/client";

/** Marks the user's mentions in these comments read; answers how many were unread. */
export async function markMentionsRead(userId: string, commentIds: readonly number[]): Promise<number> {
  const pool = await getPool();
  const { rowCount } = await pool.query(`UPDATE comment_mentions SET read_at = now() WHERE user_id = $1 AND comment_id = ANY($2::int[]) AND read_at IS NULL`, [userId, commentIds]);
  return rowCount ?? 0;
}
