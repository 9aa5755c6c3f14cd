import type { Metadata } from "next";
import { requireSection } from "@/lib/auth/require-page";
import Link from "next/link";
import { AgreementCard } from "@/components/dashboard/AgreementCard";
import { AnnotatorAgreementCard } from "@/components/dashboard/AnnotatorAgreementCard";
import { DatasetPicker } from "@/components/dashboard/DatasetPicker";
import { DecisionsCard } from "@/components/dashboard/DecisionsCard";
import { FailureReasonsCard } from "@/components/dashboard/FailureReasonsCard";
import { FunnelCard } from "@/components/dashboard/FunnelCard";
import { LiveRefresh } from "@/components/dashboard/LiveRefresh";
import { LiveRunsCard } from "@/components/dashboard/LiveRunsCard";
import { TokenCard } from "@/components/dashboard/TokenCard";
import { Alert } from "@/components/ui/Alert";
import { buttonClasses } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { ChartIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/PageHeader";
import { datasetOptions, getDashboard } from "@/lib/dashboard/queries";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dashboard" };

type Props = { searchParams: Promise<{ dataset?: string | string[] }> };

const DESCRIPTION = "Where samples leave the pipeline and why, what the LLM costs, and whether reviewers agree with its judges.";

export default async function DashboardPage({ searchParams }: Props) {
  await requireSection("/dashboard");
  const { dataset } = await searchParams;
  const wanted = typeof dataset === "string" && dataset !== "" ? dataset : null;
  const datasets = await datasetOptions();
  const current = wanted === null ? null : (datasets.find((d) => d.name === wanted) ?? null);
  const picker = datasets.length ? <DatasetPicker datasets={datasets.map((d) => d.name)} current={current?.name ?? null} /> : null;

  if (wanted !== null && current === null) {
    return (
      <>
        <PageHeader title="Dashboard" description={DESCRIPTION} actions={picker} />
        <Alert tone="error" title={`There is no dataset named “${wanted}”`}>
          It may have been renamed or deleted.{" "}
          <Link href="/dashboard" className="font-medium underline">
            Show all datasets
          </Link>
        </Alert>
      </>
    );
  }

  const data = await getDashboard(current?.id ?? null);
  if (data.funnel.imported === 0) {
    return (
      <>
        <PageHeader title="Dashboard" description={DESCRIPTION} actions={picker} />
        <Card>
          <EmptyState
            icon={<ChartIcon />}
            title={current ? `${current.name} has no samples` : "Nothing to chart yet"}
            actions={
              <Link href="/datasets" className={buttonClasses("secondary")}>
                Go to Datasets
              </Link>
            }
          >
            Import a file, then start a run: this page shows how the samples move through the five stages, why they are
            dropped, what the judges cost, and how reviewers&apos; decisions compare with them.
          </EmptyState>
        </Card>
      </>
    );
  }

  return (
    <>
      <PageHeader title="Dashboard" description={DESCRIPTION} actions={picker} />
      <LiveRefresh active={data.liveRuns.some((run) => run.status === "running")} />
      <div className="space-y-8">
        <FunnelCard funnel={data.funnel} />
        <LiveRunsCard runs={data.liveRuns} />
        <div className="grid items-stretch gap-8 xl:grid-cols-2">
          <FailureReasonsCard reasons={data.failures} />
          <AgreementCard rows={data.agreement.stages} bulkDecisions={data.agreement.bulkDecisions} />
        </div>
        <div className="grid items-stretch gap-8 xl:grid-cols-2">
          <TokenCard tokens={data.tokens} />
          <DecisionsCard days={data.decisions} />
        </div>
        {data.annotators.items > 0 ? <AnnotatorAgreementCard agreement={data.annotators} /> : null}
      </div>
    </>
  );
}
