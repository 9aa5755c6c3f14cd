// The review page's sticky header: where the reviewer is (queue figures), the sample's status, dataset, version and
// claim, its verdicts at a glance, the action bar, and why the sample stands where it stands.
import Link from "next/link";
import { formatCount, formatDateTime } from "@/components/datasets/format";
import { formatSeconds } from "@/components/queue/format";
import { STAGE_NAMES } from "@/components/samples/SampleParts";
import { Badge } from "@/components/ui/Badge";
import { StatusBadge } from "@/components/ui/StatusBadge";
import type { ApiAnswer } from "@/lib/api/client";
import type { ActionIn } from "@/lib/keyboard/shortcuts";
import type { regeneratedAnswer } from "@/lib/review/diff";
import { ActionBar } from "./ActionBar";
import type { ReviewMode } from "./useReviewQueue";
import type { Task, View } from "./useSampleView";
import { VerdictStrip } from "./VerdictTimeline";

type QueueProgress = ApiAnswer<"GET /api/review/progress">;

export function who(by: string | null): string {
  return by ? by.replace(/^human:/, "") : "someone";
}

function QueueFigures({ progress }: { progress: QueueProgress }) {
  return (
    <p className="tabular text-xs text-stone-500" data-testid="queue-progress">
      <span data-testid="queue-left">{formatCount(progress.left)}</span> left in this queue ·{" "}
      <span data-testid="queue-done-today">{formatCount(progress.doneToday)}</span> done by you today
      {progress.medianSeconds === null ? null : <> · median {formatSeconds(progress.medianSeconds)} per sample</>}
    </p>
  );
}

export function SampleHeader({
  view,
  user,
  mode,
  progress,
  turns,
  regenerated,
  approveRefusal,
  canDecide,
  busy,
  activeTask,
  canPrevious,
  canNext,
  onAction,
}: {
  view: View;
  user: string;
  mode: ReviewMode;
  progress: QueueProgress | null;
  turns: number;
  /** Who wrote the current answer when the teacher rewrote it: its attempt, or the pool's candidate. */
  regenerated: ReturnType<typeof regeneratedAnswer>;
  approveRefusal: string | null;
  canDecide: boolean;
  busy: boolean;
  activeTask: Task | null;
  canPrevious: boolean;
  canNext: boolean;
  onAction: (action: ActionIn<"review">) => void;
}) {
  const sample = view.sample;
  const queue = mode.kind === "queue";
  const claimedByMe = sample.claim?.user === user;
  const backHref = queue ? "/review" : `/samples${mode.listQuery ? `?${mode.listQuery}` : ""}`;
  return (
    <header className="sticky top-0 z-20 -mx-2 mb-6 border-b border-stone-200 bg-stone-50 px-2 pt-1 pb-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <Link href={backHref} className="text-xs font-medium text-stone-500 hover:text-stone-800">
          ← {queue ? (mode.adjudicate ? "Adjudication queue" : "Review queue") : "Samples"}
        </Link>
        {queue && progress ? <QueueFigures progress={progress} /> : null}
      </div>
      <div className="mt-1 flex flex-wrap items-end justify-between gap-x-6 gap-y-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-stone-900">Sample #{sample.id}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-x-2.5 gap-y-1 text-sm text-stone-500">
            <span data-testid="sample-status">
              <StatusBadge status={sample.status} />
            </span>
            <span>
              <Link href={`/samples?dataset=${sample.datasetId}`} className="font-medium text-stone-700 hover:text-accent-800 hover:underline">
                {sample.dataset}
              </Link>
              {sample.sourceId ? <> · source id {sample.sourceId}</> : null}
            </span>
            <span className="tabular" data-testid="sample-version">
              version {sample.version}
            </span>
            {turns > 1 ? <Badge tone="neutral">Conversation · {turns} turns</Badge> : null}
            {sample.errorToolResponse ? (
              <Badge tone="amber" title="The source marks this conversation's tool results as deliberately wrong (error_tool_response): it is left out of the refined set by default.">
                Erroneous tool results
              </Badge>
            ) : null}
            {sample.claim ? (
              <Badge tone={claimedByMe ? "teal" : "amber"} title={`Claimed until ${formatDateTime(new Date(sample.claim.until))}`}>
                {claimedByMe ? "Claimed by you" : `Held by ${sample.claim.user}`}
              </Badge>
            ) : null}
          </p>
          <div className="mt-2">
            <VerdictStrip verdicts={sample.verdicts} />
          </div>
        </div>
        <ActionBar
          status={sample.status}
          approveRefusal={approveRefusal}
          busy={busy}
          regenerating={activeTask?.kind === "regenerate"}
          rechecking={activeTask?.kind === "recheck"}
          canPrevious={canPrevious}
          canNext={canNext}
          queue={queue}
          readOnly={!canDecide}
          onAction={onAction}
        />
      </div>
      {sample.statusReason ? (
        <p className="mt-2 text-sm text-stone-600" data-testid="status-reason">
          {sample.statusStage !== null ? <span className="font-medium text-stone-800">Stage {sample.statusStage} · {STAGE_NAMES[sample.statusStage]}: </span> : null}
          {sample.statusReason.replace(/^Stage \d: /, "")}
          {sample.decidedBy ? <span className="text-stone-400"> — decided by {sample.decidedBy}</span> : null}
          {view.lastChange?.by ? (
            <span className="text-stone-400">
              {" "}
              · last change by {who(view.lastChange.by)}, {formatDateTime(new Date(view.lastChange.updatedAt))}
            </span>
          ) : null}
        </p>
      ) : null}
      {regenerated !== null ? (
        <p className="mt-1 text-sm text-violet-800" data-testid="answer-regenerated">
          {regenerated.poolCandidate
            ? `Answer chosen from the hard-data pool (candidate ${regenerated.poolCandidate})`
            : `Answer regenerated by the teacher (attempt ${regenerated.attempt})`}{" "}
          —{" "}
          <a href="#revisions-title" className="font-medium underline">
            see Revisions
          </a>
        </p>
      ) : null}
      {canDecide && approveRefusal && sample.status !== "approved" ? (
        <p className="mt-1.5 text-sm font-medium text-amber-800" data-testid="approve-refusal">
          {approveRefusal}
        </p>
      ) : null}
    </header>
  );
}
