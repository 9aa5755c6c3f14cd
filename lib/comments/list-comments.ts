// A sample's comment thread, oldest first, each with its author's name and the people it mentions.
import "server-only";
import { getPool } from "@/lib/db/client";

export interface SampleCommentView {
  id: number;
  sampleId: number;
  /** human:<email> */
  author: string;
  /** The author's name as the Users page has it (null when no such account exists, e.g. a CLI import). */
  authorName: string | null;
  /** Markdown, shown through components/ui/Markdown.tsx. */
  body: string;
  createdAt: Date;
  /** The people the comment @mentions. */
  mentions: { email: string; name: string }[];
}

/** The comments of one sample (or of the ids given), oldest first. */
export async function listComments(where: { sampleId: number } | { commentIds: readonly number[] }): Promise<SampleCommentView[]> {
  const pool = await getPool();
  const [condition, value] = "sampleId" in where ? ["c.sample_id = $1", where.sampleId] : ["c.id = ANY($1::int[])", where.commentIds];
  const { rows } = await pool.query<SampleCommentView>(
    `SELECT c.id, c.sample_id AS "sampleId", c.author, author_user.name AS "authorName", c.body, c.created_at AS "createdAt",
       coalesce((SELECT json_agg(json_build_object('email', u.email, 'name', u.name) ORDER BY u.name)
                 FROM comment_mentions m JOIN users u ON u.id = m.user_id WHERE m.comment_id = c.id), '[]') AS mentions
     FROM sample_comments c
     LEFT JOIN users author_user ON 'human:' || author_user.email = c.author
     WHERE ${condition} ORDER BY c.id`,
    [value],
  );
  return rows;
}
