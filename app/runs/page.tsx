import type { Metadata } from "next";
import Link from "next/link";
import { requireSection } from "@/lib/auth/require-page";
import { can } from "@/lib/auth/permissions";
import { formatCount } from "@/components/datasets/format";
import { RunsBoard, type RunRow } from "@/components/runs/RunsBoard";
import { StartRunForm } from "@/components/runs/StartRunForm";
import { buttonClasses } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { DatabaseIcon, PlayIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/PageHeader";
import { listDatasets } from "@/lib/datasets/queries";
import { listRuns } from "@/lib/runs/list-runs";
import { getRunDefaults, isLlmAvailable } from "@/lib/settings/store";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage() {
  const user = await requireSection("/runs");
  const canStart = can(user.role, "runs.start");
  const [datasets, runs, defaults, llmConfigured] = await Promise.all([listDatasets(), listRuns(), getRunDefaults(), isLlmAvailable()]);
  const rows: RunRow[] = runs.map((run) => ({
    ...run,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
  }));
  const running = runs.filter((run) => run.status === "running").length;

  return (
    <>
      <PageHeader
        title="Runs"
        description="Run the five refinement stages over a dataset's pending samples, follow each stage as it passes, regenerates or discards, and pause or cancel between samples."
      />

      <div className="space-y-8">
        {canStart ? (
        <Card aria-labelledby="start-title">
          <CardHeader
            titleId="start-title"
            title="Start a run"
            description="Rules only needs no LLM; all stages add the LLM judges and the teacher."
          />
          {datasets.length ? (
            <StartRunForm
              datasets={datasets.map((d) => ({ name: d.name, pending: d.counts.pending }))}
              llmConfigured={llmConfigured}
              defaults={defaults}
            />
          ) : (
            <EmptyState
              icon={<DatabaseIcon />}
              title="No datasets to run on"
              actions={
                <Link href="/datasets" className={buttonClasses("secondary")}>
                  Go to Datasets
                </Link>
              }
            >
              Import a file first; its samples start as pending and wait for a run.
            </EmptyState>
          )}
        </Card>
        ) : null}

        <Card aria-labelledby="runs-title">
          <CardHeader
            titleId="runs-title"
            title="All runs"
            description={
              runs.length
                ? `${formatCount(runs.length)} ${runs.length === 1 ? "run" : "runs"}${running ? ` · ${formatCount(running)} running` : ""}`
                : "No run yet"
            }
          />
          {rows.length ? (
            <RunsBoard runs={rows} canControl={canStart} />
          ) : (
            <EmptyState icon={<PlayIcon />} title="No runs yet">
              Start a run above: each sample goes through the stages in order and ends passed, text, flagged or discarded,
              with every verdict kept.
            </EmptyState>
          )}
        </Card>
      </div>
    </>
  );
}
