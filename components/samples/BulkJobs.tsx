"use client";

// Bulk actions as the browser follows them: the progress of one while it runs (polled under the key the page sent
// it with), and the latest ones on the Samples page, running ones polled until they end.
import Link from "next/link";
import { formatCount } from "@/components/datasets/format";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Card, CardHeader } from "@/components/ui/Card";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { useApi } from "@/lib/api/use-api";
import { BULK_JOB_ACTIONS, describeBulkTally, describeBulkTarget, type BulkJobStatus, type BulkJobView } from "@/lib/review/bulk-job-view";

const POLL_MS = 500;

/** The job asked for under `key` while `key` is set (null before its first poll answers). */
export function useBulkJobProgress(key: string | null): BulkJobView | null {
  // A missed poll is made up by the next one.
  const { data } = useApi(key ? "GET /api/bulk-jobs" : null, { query: { key: key ?? undefined } }, { refreshInterval: POLL_MS, keepPreviousData: false });
  return data?.jobs[0] ?? null;
}

/** A running job's bar: "1,000 of 22,544 done · 3 failed". */
export function BulkJobProgress({ job }: { job: BulkJobView | null }) {
  if (!job) return <ProgressBar label="Working…" value={0} />;
  const detail = `${formatCount(job.done + job.failed)} of ${formatCount(job.total)}${job.failed ? ` · ${formatCount(job.failed)} failed` : ""}`;
  return <ProgressBar label={`Bulk action #${job.id}: ${describeBulkTally(job)}`} value={job.done + job.failed} max={job.total} detail={detail} />;
}

const STATUS_TONE: Record<BulkJobStatus, BadgeTone> = { running: "sky", succeeded: "green", failed: "rose" };

/**
 * The latest bulk actions (newest first): who, what, on which target, how far and how it ended. Polls while one
 * runs; `auditLinks`: link each to its per-sample audit entries (the audit log is for admins).
 */
export function RecentBulkJobs({ initial, auditLinks }: { initial: BulkJobView[]; auditLinks: boolean }) {
  const running = initial.some((j) => j.status === "running");
  // Polled while one of them runs; the page's own list again when the server sends a new one.
  const { data } = useApi(running ? "GET /api/bulk-jobs" : null, {}, { refreshInterval: (latest) => (latest && !latest.jobs.some((j) => j.status === "running") ? 0 : POLL_MS * 2) });
  const jobs = data?.jobs ?? initial;
  if (jobs.length === 0) return null;
  return (
    <Card aria-labelledby="recent-bulk-title" data-testid="recent-bulk-jobs">
      <CardHeader titleId="recent-bulk-title" title="Recent bulk actions" description="Every bulk action is recorded: who, on what, how far it got and how it ended." />
      <ul className="divide-y divide-stone-100">
        {jobs.map((job) => (
          <li key={job.id} className="space-y-1.5 px-5 py-3 text-sm" data-bulk-job={job.id}>
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <span className="tabular font-medium text-stone-900">#{job.id}</span>
              <span className="font-medium text-stone-800">{BULK_JOB_ACTIONS[job.action].label}</span>
              <span className="text-stone-600">{describeBulkTarget(job.target)}</span>
              <Badge tone={STATUS_TONE[job.status]} dot>
                {job.status}
              </Badge>
              <span className="ml-auto text-xs text-stone-500">
                {job.actor.replace(/^human:/, "")} · <time dateTime={job.createdAt}>{job.createdAt.replace("T", " ").slice(0, 19)}</time>
              </span>
            </div>
            {job.status === "running" ? (
              <BulkJobProgress job={job} />
            ) : (
              <p className="text-stone-700">
                {formatCount(job.total)} targeted: {describeBulkTally(job)}.{job.failure ? <span className="text-rose-700"> {capitalize(job.failure)}.</span> : null}
                {auditLinks ? (
                  <>
                    {" "}
                    <Link href={`/audit?bulkJob=${job.id}`} className="text-xs font-medium text-accent-700 hover:underline">
                      Audit entries
                    </Link>
                  </>
                ) : null}
              </p>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
