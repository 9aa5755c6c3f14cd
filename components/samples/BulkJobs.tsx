"use client";

// Bulk actions as the browser follows them: the progress of one while it runs (polled under the key the page sent
// it with), and the latest ones on the Samples page, running ones polled until they end.
import Link from "next/link";
import { useEffect, useState } from "react";
import { formatCount } from "@/components/datasets/format";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Card, CardHeader } from "@/components/ui/Card";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { BULK_JOB_ACTIONS, describeBulkTally, describeBulkTarget, type BulkJobStatus, type BulkJobView } from "@/lib/review/bulk-job-view";

const POLL_MS = 500;

async function fetchJobs(query: string): Promise<BulkJobView[] | null> {
  try {
    const response = await fetch(`/api/bulk-jobs${query}`, { cache: "no-store" });
    return response.ok ? ((await response.json()) as { jobs: BulkJobView[] }).jobs : null;
  } catch {
    return null; // a missed poll is made up by the next one
  }
}

/** The job asked for under `key` while `key` is set (null before its first poll answers). */
export function useBulkJobProgress(key: string | null): BulkJobView | null {
  const [job, setJob] = useState<BulkJobView | null>(null);
  useEffect(() => {
    setJob(null);
    if (!key) return;
    let stopped = false;
    const timer = setInterval(async () => {
      const jobs = await fetchJobs(`?key=${key}`);
      if (!stopped && jobs?.[0]) setJob(jobs[0]);
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [key]);
  return job;
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
  const [jobs, setJobs] = useState(initial);
  useEffect(() => setJobs(initial), [initial]);
  const running = jobs.some((j) => j.status === "running");
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(async () => {
      const latest = await fetchJobs("");
      if (latest) setJobs(latest);
    }, POLL_MS * 2);
    return () => clearInterval(timer);
  }, [running]);
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
