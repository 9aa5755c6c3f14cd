import type { Metadata } from "next";
import { requireSection } from "@/lib/auth/require-page";
import Link from "next/link";
import { formatCount } from "@/components/datasets/format";
import { GroupSamples } from "@/components/discarded/GroupSamples";
import { GroupTable } from "@/components/discarded/GroupTable";
import { codeLabel, groupHref, parseGroup, sameGroup } from "@/components/discarded/labels";
import { DatasetPicker } from "@/components/queue/DatasetPicker";
import { formatDateTime, formatShort, parseIdParam } from "@/components/queue/format";
import { Alert } from "@/components/ui/Alert";
import { buttonClasses } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { ArchiveIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/PageHeader";
import { listDatasets } from "@/lib/datasets/queries";
import { STAGE_NAMES } from "@/lib/pipeline/stage-registry";
import { discardedSamples, discardGroups, recentRestores } from "@/lib/review/discard-audit";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Discarded" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DiscardedPage({ searchParams }: Props) {
  await requireSection("/discarded");
  const params = await searchParams;
  const group = parseGroup(params.stage, params.code);
  const after = parseIdParam(params.after) ?? undefined;
  const before = after === undefined ? (parseIdParam(params.before) ?? undefined) : undefined;

  const datasets = await listDatasets();
  const requested = parseIdParam(params.dataset);
  const dataset = datasets.find((d) => d.id === requested) ?? null;
  const unknownDataset = params.dataset !== undefined && dataset === null;
  const scope = dataset ? { datasetId: dataset.id } : {};

  const [groups, page, restores] = await Promise.all([
    discardGroups(scope),
    group ? discardedSamples(group, scope, { after, before }) : null,
    recentRestores(scope, 8),
  ]);
  const total = groups.reduce((n, g) => n + g.count, 0);
  const groupCount = group ? (groups.find((g) => sameGroup(g, group))?.count ?? 0) : 0;
  const datasetId = dataset?.id ?? null;
  const pageHref = (key: "after" | "before", id: number) => `${groupHref(group!, datasetId)}&${key}=${id}`;
  const allDiscarded = datasets.reduce((n, d) => n + d.counts.discarded, 0);

  return (
    <>
      <PageHeader
        title="Discarded"
        description="Every discarded sample, grouped by the stage and the reason that discarded it. Open a group to read its samples, and send wrong calls back to review."
      />

      <div className="space-y-8">
        {unknownDataset ? (
          <Alert tone="warning" title="No such dataset">
            The link names a dataset that does not exist (any more); showing all datasets instead.
          </Alert>
        ) : null}

        <Card aria-labelledby="groups-title">
          <CardHeader
            titleId="groups-title"
            title="Groups"
            description={
              total
                ? `${formatCount(total)} discarded ${total === 1 ? "sample" : "samples"} in ${formatCount(groups.length)} ${groups.length === 1 ? "group" : "groups"}, largest first`
                : "No discarded samples"
            }
            actions={
              datasets.length ? (
                <div className="w-80 max-w-full">
                  <DatasetPicker
                    basePath="/discarded"
                    selected={datasetId}
                    allDetail={`${formatCount(allDiscarded)} discarded`}
                    datasets={datasets.map((d) => ({ id: d.id, name: d.name, detail: `${formatCount(d.counts.discarded)} discarded` }))}
                  />
                </div>
              ) : null
            }
          />
          {groups.length ? (
            <GroupTable groups={groups} stageNames={STAGE_NAMES} selected={group} datasetId={datasetId} />
          ) : (
            <EmptyState
              icon={<ArchiveIcon />}
              title="Nothing discarded"
              actions={
                <Link href="/runs" className={buttonClasses("secondary")}>
                  Go to Runs
                </Link>
              }
            >
              {dataset ? `No sample of ${dataset.name} is discarded.` : "No sample is discarded."} Samples a stage or a reviewer
              drops show up here, grouped by why, so a wrong rule or an over-strict judge stands out.
            </EmptyState>
          )}
        </Card>

        {group && page ? (
          <Card aria-labelledby="group-title" data-testid="group-detail">
            <CardHeader
              titleId="group-title"
              title={
                <>
                  {group.stage === null ? "No stage" : `Stage ${group.stage} · ${STAGE_NAMES[group.stage] ?? ""}`}
                  <span className="text-stone-400"> · </span>
                  {codeLabel(group.code)}
                </>
              }
              description={`${formatCount(groupCount)} discarded ${groupCount === 1 ? "sample" : "samples"}${dataset ? ` in ${dataset.name}` : ""}, in id order`}
              actions={
                <Link href={datasetId === null ? "/discarded" : `/discarded?dataset=${datasetId}`} className={buttonClasses("ghost", "sm")}>
                  Close
                </Link>
              }
            />
            <GroupSamples
              key={`${group.stage}|${group.code}|${datasetId}`}
              group={group}
              datasetId={datasetId}
              groupCount={groupCount}
              showDataset={dataset === null}
              samples={page.samples.map((s) => ({ ...s, updatedAt: s.updatedAt.toISOString() }))}
              previousHref={page.before === null ? null : pageHref("before", page.before)}
              nextHref={page.after === null ? null : pageHref("after", page.after)}
            />
          </Card>
        ) : null}

        <Card aria-labelledby="restores-title">
          <CardHeader
            titleId="restores-title"
            title="Recent restores"
            description={restores.length ? "Samples sent back to review, newest first" : "Nothing restored yet"}
          />
          {restores.length ? (
            <ol className="divide-y divide-stone-100">
              {restores.map((r, i) => (
                <li key={`${r.sampleId}-${i}`} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-5 py-3 text-sm" data-testid="restore">
                  <Link href={`/samples/${r.sampleId}`} className="tabular font-medium text-accent-700 hover:underline">
                    #{r.sampleId}
                  </Link>
                  <span className="min-w-0 flex-1 truncate text-stone-700">{r.query}</span>
                  <span className="text-stone-600">{r.reason}</span>
                  <span className="text-xs text-stone-500">
                    <span className="font-mono">{r.author.replace(/^human:/, "")}</span> ·{" "}
                    <time dateTime={r.at.toISOString()} title={formatDateTime(r.at)}>
                      {formatShort(r.at)}
                    </time>
                  </span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="px-5 py-6 text-sm text-stone-500">Restores show here with who made them and why; each is also in the sample&rsquo;s history.</p>
          )}
        </Card>
      </div>
    </>
  );
}
