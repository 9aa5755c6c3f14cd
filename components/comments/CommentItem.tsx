import { formatDateTime } from "@/components/datasets/format";
import { Markdown } from "@/components/ui/Markdown";
import type { SampleCommentView } from "@/lib/comments/list-comments";
import type { Jsonified } from "@/lib/http/json";

export type CommentData = Jsonified<SampleCommentView>;

/** The name of a comment's author as people know them (their email when the account is gone). */
export function authorOf(comment: CommentData): string {
  return comment.authorName ?? comment.author.replace(/^human:/, "");
}

/** One comment: who, when, whom it mentions, and its Markdown as text with basic formatting. */
export function CommentItem({ comment }: { comment: CommentData }) {
  return (
    <article id={`comment-${comment.id}`} data-comment={comment.id} className="scroll-mt-40">
      <header className="flex flex-wrap items-baseline gap-x-2 text-xs text-stone-500">
        <span className="text-sm font-medium text-stone-900">{authorOf(comment)}</span>
        <time dateTime={comment.createdAt}>{formatDateTime(new Date(comment.createdAt))}</time>
        {comment.mentions.length ? <span>· mentions {comment.mentions.map((m) => m.name).join(", ")}</span> : null}
      </header>
      <Markdown className="mt-1" testId="comment-body">
        {comment.body}
      </Markdown>
    </article>
  );
}
