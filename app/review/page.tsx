import type { Metadata } from "next";
import Link from "next/link";
import { formatCount } from "@/components/datasets/format";
import { AnnotatorTable } from "@/components/queue/AnnotatorTable";
import { DatasetPicker } from "@/components/queue/DatasetPicker";
import { formatTime, parseIdParam, queueSampleHref } from "@/components/queue/format";
import { QueueByDataset, Stat } from "@/components/queue/QueueParts";
import { ReviewNext } from "@/components/queue/ReviewNext";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { buttonClasses } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { CheckSquareIcon, DatabaseIcon, ListIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/PageHeader";
import { StatusBadge } from "@/components/ui/StatusBadge";
import { can } from "@/lib/auth/permissions";
import { requireSection } from "@/lib/auth/require-page";
import { annotatorProgress, queueOverview } from "@/lib/review/progress";
import { claimMinutes } from "@/lib/review/queue";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Review" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ReviewPage({ searchParams }: Props) {
  const params = await searchParams;
  const requested = parseIdParam(params.dataset);
  const user = await requireSection("/review");
  const [overview, annotators] = await Promise.all([queueOverview(user.email), annotatorProgress()]);

  const selected = overview.datasets.find((d) => d.id === requested) ?? null;
  const unknownDataset = params.dataset !== undefined && selected === null;
  const inScope = selected ? [selected] : overview.datasets;
  const passed = inScope.reduce((n, d) => n + d.passed, 0);
  const flagged = inScope.reduce((n, d) => n + d.flagged, 0);
  const held = inScope.reduce((n, d) => n + d.held, 0);
  const waiting = passed + flagged;
  const withWork = overview.datasets.filter((d) => d.passed + d.flagged > 0);
  const totalWaiting = withWork.reduce((n, d) => n + d.passed + d.flagged, 0);
  const me = annotators.find((a) => a.name === user.email);
  const scopeName = selected ? selected.name : "all datasets";
  const overlapScope = inScope.filter((d) => d.reviewsPerSample > 1);
  const awaitingAdjudication = overlapScope.reduce((n, d) => n + d.awaitingAdjudication, 0);
  const showAdjudication = can(user.role, "adjudicate") && overlapScope.length > 0;

  return (
    <>
      <PageHeader
        title="Review"
        description={`Take the next sample that needs a human: one the pipeline passed, or one a stage flagged. It is yours alone until you decide it, or for ${claimMinutes()} minutes if you leave it.`}
      />

      <div className="space-y-8">
        {unknownDataset ? (
          <Alert tone="warning" title="No such dataset">
            The link names a dataset that does not exist (any more); showing all datasets instead.
          </Alert>
        ) : null}

        <Card aria-labelledby="queue-title">
          <h2 id="queue-title" className="sr-only">
            Queue
          </h2>
          {overview.datasets.length === 0 ? (
            <EmptyState
              icon={<DatabaseIcon />}
              title="No datasets yet"
              actions={
                <Link href="/datasets" className={buttonClasses("secondary")}>
                  Go to Datasets
                </Link>
              }
            >
              Import a file and run the pipeline over it: the samples it passes or flags wait here for a human.
            </EmptyState>
          ) : (
            <div className="grid gap-6 px-6 py-6 md:grid-cols-[minmax(0,1fr)_20rem] md:gap-10">
              {waiting > 0 ? (
                <div className="min-w-0" data-testid="queue-summary">
                  <p className="text-sm font-medium text-stone-500">Needs a human in {scopeName}</p>
                  <p className="mt-1 flex items-baseline gap-2">
                    <span className="tabular text-4xl font-semibold tracking-tight text-stone-900" data-testid="queue-waiting">
                      {formatCount(waiting)}
                    </span>
                    <span className="text-sm text-stone-500">{waiting === 1 ? "sample" : "samples"}</span>
                  </p>
                  <div className="mt-4 flex flex-wrap items-center gap-2">
                    <StatusBadge status="passed" count={passed} />
                    <StatusBadge status="flagged" count={flagged} />
                    <Badge tone="neutral" title="Claimed by a reviewer and not yet expired">
                      Held now <span className="tabular font-semibold">{formatCount(held)}</span>
                    </Badge>
                  </div>
                  <p className="mt-4 max-w-prose text-sm leading-6 text-stone-500">
                    Passed samples get a last look before they count as approved; flagged ones need a decision a stage could
                    not make. Your own open claim comes back first, then the oldest free sample.
                  </p>
                </div>
              ) : (
                <EmptyState
                  className="py-6 md:items-start md:px-0 md:text-left"
                  icon={<CheckSquareIcon />}
                  title="Queue empty"
                  actions={
                    <>
                      <Link href="/runs" className={buttonClasses("secondary")}>
                        Go to Runs
                      </Link>
                      <Link href="/discarded" className={buttonClasses("ghost")}>
                        See discarded samples
                      </Link>
                    </>
                  }
                >
                  Nothing in {scopeName} needs a human right now. Run the pipeline over pending samples, or restore discarded
                  ones that deserve a second look.
                </EmptyState>
              )}
              <div className="space-y-4">
                <DatasetPicker
                  basePath="/review"
                  selected={selected?.id ?? null}
                  allDetail={`${formatCount(totalWaiting)} to review`}
                  datasets={overview.datasets.map((d) => ({ id: d.id, name: d.name, detail: `${formatCount(d.passed + d.flagged)} to review` }))}
                />
                {waiting > 0 ? <ReviewNext datasetId={selected?.id ?? null} /> : null}
              </div>
            </div>
          )}
        </Card>

        {showAdjudication ? (
          <Card aria-labelledby="adjudication-title">
            <CardHeader
              titleId="adjudication-title"
              title="Adjudication"
              description={`Samples of ${overlapScope.map((d) => `${d.name} (${d.reviewsPerSample} reviewers each)`).join(", ")} whose independent reviews are all in and disagree: you see the reviews side by side and decide.`}
            />
            <div className="flex flex-wrap items-center justify-between gap-4 px-6 py-5">
              <p className="text-sm text-stone-600">
                <span className="tabular text-2xl font-semibold text-stone-900" data-testid="adjudication-waiting">
                  {formatCount(awaitingAdjudication)}
                </span>{" "}
                {awaitingAdjudication === 1 ? "sample waits" : "samples wait"} for adjudication
              </p>
              {awaitingAdjudication > 0 ? (
                <div className="w-64">
                  <ReviewNext datasetId={selected?.id ?? null} adjudicate />
                </div>
              ) : null}
            </div>
          </Card>
        ) : null}

        <Card aria-labelledby="you-title">
          <CardHeader
            titleId="you-title"
            title="Your progress"
            description={
              <>
                You review as <span className="font-mono text-stone-700">{user.email}</span>; &ldquo;today&rdquo; starts at 00:00
                UTC.
              </>
            }
          />
          <dl className="grid divide-y divide-stone-100 sm:grid-cols-3 sm:divide-x sm:divide-y-0">
            <Stat label="Decided today" value={me?.today ?? 0} testId="you-today">
              {me?.lastDecisionAt ? `last at ${formatTime(me.lastDecisionAt)}` : "nothing yet today"}
            </Stat>
            <Stat label="Decided in total" value={me?.total ?? 0} testId="you-total">
              {formatCount(me?.approved ?? 0)} approved · {formatCount(me?.discarded ?? 0)} discarded · {formatCount(me?.restored ?? 0)} restored
            </Stat>
            <Stat label="Open claims" value={overview.yourClaims.length} testId="you-claims">
              {overview.yourClaims.length ? (
                <ul className="flex flex-wrap gap-x-3 gap-y-0.5" aria-label="Your open claims">
                  {overview.yourClaims.slice(0, 5).map((claim) => (
                    <li key={claim.sampleId}>
                      <Link href={queueSampleHref(claim.sampleId, null)} className="font-medium text-accent-700 hover:underline">
                        #{claim.sampleId}
                      </Link>{" "}
                      until {formatTime(claim.until)}
                    </li>
                  ))}
                  {overview.yourClaims.length > 5 ? <li>and {formatCount(overview.yourClaims.length - 5)} more</li> : null}
                </ul>
              ) : (
                "none: the next sample is claimed when you ask for it"
              )}
            </Stat>
          </dl>
        </Card>

        {withWork.length ? (
          <Card aria-labelledby="datasets-title">
            <CardHeader titleId="datasets-title" title="Waiting per dataset" description="Narrow the queue to one dataset, or take from all of them in id order" />
            <QueueByDataset datasets={withWork} selected={selected?.id ?? null} />
          </Card>
        ) : null}

        <Card aria-labelledby="annotators-title">
          <CardHeader
            titleId="annotators-title"
            title="Annotators"
            description={annotators.length ? "Decisions (approve, discard, restore) on samples each person opened, bulk actions apart, with their pace; most recently active first" : "Nobody has decided anything yet"}
          />
          {annotators.length ? (
            <AnnotatorTable annotators={annotators} you={user.email} />
          ) : (
            <EmptyState icon={<ListIcon />} title="No decisions yet">
              Each approve, discard and restore counts here, per person, as soon as it is made.
            </EmptyState>
          )}
        </Card>
      </div>
    </>
  );
}
