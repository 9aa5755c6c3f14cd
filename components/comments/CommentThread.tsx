"use client";

// A sample's comment thread on the review page (the queue and /samples/<id>): the comments, oldest first, and for
// those who may comment a form (Markdown; @name mentions a person; Ctrl/⌘+Enter sends). Comments here that mention
// the person looking (`user`, their email) are marked read: they have opened them.
import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { failureMessage } from "@/lib/http/failure";
import { COMMENT_MAX_CHARS } from "@/lib/zod/schemas";
import { CommentItem, type CommentData } from "./CommentItem";
import { useMarkMentionsRead } from "./useMarkMentionsRead";

export function CommentThread({
  sampleId,
  comments,
  user,
  canComment,
  onAdded,
}: {
  sampleId: number;
  comments: CommentData[];
  user: string;
  canComment: boolean;
  onAdded: () => Promise<void>;
}) {
  useMarkMentionsRead(comments.filter((comment) => comment.mentions.some((m) => m.email === user)).map((comment) => comment.id));
  const fieldId = useId();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function send(event?: FormEvent) {
    event?.preventDefault();
    if (busy || !text.trim()) return;
    setBusy(true);
    setProblem(null);
    try {
      const response = await fetch(`/api/samples/${sampleId}/comments`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ body: text }) });
      if (!response.ok) return setProblem(failureMessage(response, (await response.json().catch(() => ({}))) as { error?: string }));
      setText("");
      await onAdded();
    } catch {
      setProblem("The studio did not answer: the comment was not saved.");
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) void send();
  }

  return (
    <Card aria-labelledby="comments-title" className="mt-6">
      <CardHeader
        titleId="comments-title"
        title={`Comments${comments.length ? ` · ${comments.length}` : ""}`}
        description={comments.length ? "Oldest first. @name tells a person: it shows in their Mentions." : "No comments yet."}
      />
      {comments.length ? (
        <ol className="divide-y divide-stone-100" data-testid="comment-thread">
          {comments.map((comment) => (
            <li key={comment.id} className="px-5 py-3">
              <CommentItem comment={comment} />
            </li>
          ))}
        </ol>
      ) : null}
      {canComment ? (
        <form onSubmit={send} className="space-y-2 border-t border-stone-100 px-5 py-4" aria-label="Add a comment">
          <label htmlFor={fieldId} className="block text-sm font-medium text-stone-700">
            Add a comment
          </label>
          <textarea
            id={fieldId}
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={onKeyDown}
            rows={3}
            maxLength={COMMENT_MAX_CHARS}
            placeholder="Markdown: **bold**, `code`, lists, links. @name mentions someone."
            className="block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm focus:border-accent-600 focus:ring-2 focus:ring-accent-600/20 focus:outline-none"
          />
          {problem ? <Alert tone="error" title={problem} /> : null}
          <div className="flex items-center justify-end gap-3">
            <span className="text-xs text-stone-400">Ctrl/⌘+Enter sends</span>
            <Button type="submit" size="sm" variant="primary" disabled={busy || !text.trim()}>
              {busy ? "Sending…" : "Comment"}
            </Button>
          </div>
        </form>
      ) : null}
    </Card>
  );
}
