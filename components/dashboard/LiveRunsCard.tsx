import Link from "next/link";
import { formatCount } from "@/components/datasets/format";
import { RunStatusBadge } from "@/components/runs/RunsBoard";
import { Card, CardHeader } from "@/components/ui/Card";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { StatusBadge } from "@/components/ui/StatusBadge";
import type { RunProgress } from "@/lib/runs/queries";

const RESULTS = ["passed", "text", "flagged", "discarded"] as const;

/** Runs in progress with their live counts; the page refreshes itself while any is running. */
export function LiveRunsCard({ runs }: { runs: RunProgress[] }) {
  const running = runs.some((run) => run.status === "running");
  return (
    <Card aria-labelledby="live-title">
      <CardHeader
        titleId="live-title"
        title="Runs in progress"
        description={running ? "Updating every 3 seconds." : runs.length ? "Paused runs keep their place." : undefined}
        actions={
          <Link href="/runs" className="text-sm font-medium text-accent-700 hover:underline">
            All runs
          </Link>
        }
      />
      {runs.length ? (
        <ul className="divide-y divide-stone-100">
          {runs.map((run) => (
            <li key={run.id} className="grid items-center gap-x-6 gap-y-2 px-5 py-3.5 md:grid-cols-[14rem_minmax(0,1fr)_auto]" data-testid="live-run" data-run={run.id}>
              <div className="min-w-0">
                <div className="flex items-center gap-2">
                  <span className="font-medium text-stone-900">Run #{run.id}</span>
                  <RunStatusBadge status={run.status} />
                </div>
                <div className="mt-0.5 truncate text-xs text-stone-500" title={run.dataset}>
                  {run.dataset} · {run.stages === "rules" ? "rules only" : "all stages"}
                </div>
              </div>
              <ProgressBar label="Finished" value={run.finished} max={run.total || 1} detail={`${formatCount(run.finished)} / ${formatCount(run.total)}`} />
              <ul className="flex flex-wrap gap-1 md:justify-end" aria-label="Results so far">
                {RESULTS.filter((r) => (run.results[r] ?? 0) > 0).map((result) => (
                  <li key={result}>
                    <StatusBadge status={result} count={run.results[result]} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-5 py-4 text-sm text-stone-500">
          No run in progress.{" "}
          <Link href="/runs" className="font-medium text-accent-700 hover:underline">
            Start one on the Runs page
          </Link>
          .
        </p>
      )}
    </Card>
  );
}
