// A person comments on a sample: the comment, a mention row for each person it @mentions (lib/comments/
// parse-mentions.ts) and the audit entry — which is what puts it in the sample's History — are written in one
// transaction.
import "server-only";
import { recordAudit } from "@/lib/audit/log";
import { inTransaction } from "@/lib/db/transaction";
import { InvalidRequestError, NotFoundError } from "@/lib/errors";
import { CommentBody } from "@/lib/zod/schemas";
import { listComments, type SampleCommentView } from "./list-comments";
import { mentionHandles, resolveMentions, type Person } from "./parse-mentions";

/** How much of a comment its audit entry (and so the History) quotes. */
const SUMMARY_CHARS = 160;

/**
 * Adds `body` to the sample's thread as `author` (human:<email>). Mentions name active people other than the author;
 * a handle that names nobody stays plain text.
 */
export async function addComment(sampleId: number, body: string, author: string): Promise<SampleCommentView> {
  const checked = CommentBody.safeParse({ body });
  if (!checked.success) throw new InvalidRequestError(checked.error.issues[0].message);
  const commentId = await inTransaction(async (client) => {
    const sample = await client.query(`SELECT 1 FROM samples WHERE id = $1`, [sampleId]);
    if (!sample.rowCount) throw new NotFoundError(`sample ${sampleId} does not exist`);
    const handles = mentionHandles(body);
    const people = handles.length
      ? (await client.query<Person>(`SELECT id, email, name FROM users WHERE deactivated_at IS NULL AND 'human:' || email <> $1`, [author])).rows
      : [];
    const mentioned = resolveMentions(handles, people);
    const { rows } = await client.query<{ id: number }>(`INSERT INTO sample_comments (sample_id, author, body) VALUES ($1, $2, $3) RETURNING id`, [sampleId, author, body]);
    const id = rows[0].id;
    if (mentioned.length) {
      await client.query(`INSERT INTO comment_mentions (comment_id, user_id) SELECT $1, unnest($2::text[])`, [id, mentioned.map((person) => person.id)]);
    }
    const quoted = body.trim().replace(/\s+/g, " ");
    await recordAudit(
      {
        actor: author,
        action: "comment.add",
        target: { type: "sample", id: sampleId },
        summary: `Commented: ${quoted.length > SUMMARY_CHARS ? `${quoted.slice(0, SUMMARY_CHARS - 1)}…` : quoted}`,
        after: { commentId: id, mentions: mentioned.map((person) => person.email) },
      },
      client,
    );
    return id;
  });
  return (await listComments({ commentIds: [commentId] }))[0];
}
