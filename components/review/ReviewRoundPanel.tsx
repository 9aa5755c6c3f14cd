// A sample's independent reviews (datasets with several reviewers per sample, lib/review/overlap.ts). A reviewer sees
// how many are in and their own vote while the round is open; once all are in, or for an adjudicator, every vote side
// by side: who, what, which stage they blamed, why.
import { STAGE_NAMES } from "@/components/samples/SampleParts";
import { Badge } from "@/components/ui/Badge";
import { formatDateTime } from "@/components/datasets/format";
import type { Jsonified } from "@/lib/http/json";
import type { ReviewRound } from "@/lib/review/overlap";

const STATE_LINE: Record<ReviewRound["state"], string> = {
  open: "reviews in",
  agreed: "reviews in — they agree",
  disputed: "reviews in — they disagree: an adjudicator decides",
};

export function ReviewRoundPanel({ round, user }: { round: Jsonified<ReviewRound>; user: string }) {
  const mine = round.votes.find((vote) => vote.user === user);
  const others = round.votes.filter((vote) => vote.user !== user);
  return (
    <section aria-labelledby="round-title" className="mt-6 rounded-xl border border-stone-200 bg-white px-5 py-4" data-testid="review-round">
      <h2 id="round-title" className="text-sm font-semibold text-stone-900">
        Independent reviews{" "}
        <span className="tabular font-normal text-stone-500">
          · {round.state === "open" ? countInOpen(round) : `${round.votes.length} of ${round.k}`} {STATE_LINE[round.state]}
        </span>
      </h2>
      {round.votes.length === 0 ? (
        <p className="mt-1 text-sm text-stone-500">
          {round.k} reviewers decide this sample without seeing each other&rsquo;s decision; yours is one of them.
        </p>
      ) : (
        <ul className="mt-3 grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
          {[...(mine ? [mine] : []), ...others].map((vote) => (
            <li key={vote.user} className="rounded-lg border border-stone-200 bg-stone-50 px-3 py-2.5" data-testid="round-vote">
              <div className="flex items-center justify-between gap-2">
                <span className="truncate text-sm font-medium text-stone-800" title={vote.user}>
                  {vote.user === user ? "You" : vote.user}
                </span>
                <Badge tone={vote.action === "approve" ? "green" : "rose"}>{vote.action === "approve" ? "Approve" : "Discard"}</Badge>
              </div>
              {vote.stage !== null ? (
                <p className="mt-1 text-xs text-stone-600">
                  Blames stage {vote.stage} · {STAGE_NAMES[vote.stage]}
                </p>
              ) : null}
              {vote.reason ? <p className="mt-1 text-sm whitespace-pre-wrap text-stone-700">{vote.reason}</p> : null}
              <p className="mt-1 text-xs text-stone-400">
                <time dateTime={vote.votedAt}>{formatDateTime(new Date(vote.votedAt))}</time>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** While blind, a reviewer sees only their own vote: the count says so rather than pretend the others are missing. */
function countInOpen(round: Jsonified<ReviewRound>): string {
  return `${round.votes.length ? "your review is in," : "none of yours yet,"} ${round.k} needed`;
}
