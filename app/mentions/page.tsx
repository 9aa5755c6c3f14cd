import type { Metadata } from "next";
import Link from "next/link";
import { CommentItem } from "@/components/comments/CommentItem";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { AtSignIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/PageHeader";
import { requireSection } from "@/lib/auth/require-page";
import { listMentions } from "@/lib/comments/list-mentions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Mentions" };

/** The comments that @mention the signed-in person, newest first; each stays new until they open it on its sample. */
export default async function MentionsPage() {
  const user = await requireSection("/mentions");
  const mentions = await listMentions(user.id);
  const unread = mentions.filter((m) => m.readAt === null).length;
  return (
    <>
      <PageHeader title="Mentions" description={`Comments on samples that @mention you, newest first${unread ? ` — ${unread} new` : ""}. Opening one (its sample) marks it read.`} />
      <Card>
        {mentions.length ? (
          <ol className="divide-y divide-stone-100" data-testid="mentions">
            {mentions.map(({ comment, dataset, readAt }) => (
              <li key={comment.id} className="px-5 py-4" data-unread={readAt === null || undefined}>
                <p className="mb-1.5 flex flex-wrap items-center gap-2 text-xs text-stone-500">
                  {readAt === null ? <Badge tone="teal">New</Badge> : null}
                  <Link href={`/samples/${comment.sampleId}#comment-${comment.id}`} className="font-medium text-accent-800 hover:underline">
                    Sample #{comment.sampleId}
                  </Link>
                  <span>in {dataset}</span>
                </p>
                <CommentItem comment={JSON.parse(JSON.stringify(comment))} />
              </li>
            ))}
          </ol>
        ) : (
          <EmptyState icon={<AtSignIcon />} title="No mentions yet">
            When someone writes @ and your name (or the part of your email before @) in a comment on a sample, it shows here.
          </EmptyState>
        )}
      </Card>
    </>
  );
}
