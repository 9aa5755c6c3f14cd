import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatCount, formatDateTime } from "@/components/datasets/format";
import { answerText, Field, OutcomeBadge, TextBlock } from "@/components/samples/SampleParts";
import { Badge } from "@/components/ui/Badge";
import { buttonClasses } from "@/components/ui/Button";
import { Card, CardBody, CardHeader } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { ListIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/PageHeader";
import { StatusBadge } from "@/components/ui/StatusBadge";
import { getSample } from "@/lib/samples/queries";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

function parseId(raw: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= 2_147_483_647 ? id : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Sample ${id}` };
}

const SHORT = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" });

/** A verdict's time, compact: the full date is in its title. */
function formatShort(date: Date): string {
  return SHORT.format(date);
}

const STAGE_NAMES: Record<number, string> = {
  1: "Function call classification",
  2: "Query & tool identification",
  3: "CoT identification",
  4: "Function & parameter identification",
  5: "Format identification",
};

export default async function SamplePage({ params }: Props) {
  const id = parseId((await params).id);
  if (id === null) notFound();
  const sample = await getSample(id);
  if (!sample) notFound();
  const answer = answerText(sample.answer);

  return (
    <>
      <PageHeader
        title={`Sample #${sample.id}`}
        description={
          <>
            In dataset <span className="font-medium text-stone-700">{sample.dataset}</span>
            {sample.sourceId ? <> · source id {sample.sourceId}</> : null} · read only
          </>
        }
        actions={
          <Link href="/runs" className={buttonClasses("secondary")}>
            Back to Runs
          </Link>
        }
      />

      <div className="space-y-8">
        <Card aria-labelledby="sample-title">
          <CardHeader
            titleId="sample-title"
            title="Content"
            actions={
              <span data-testid="sample-status">
                <StatusBadge status={sample.status} />
              </span>
            }
          />
          <CardBody className="space-y-6">
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
              <Field label="Version">
                <span className="tabular">{sample.version}</span>
              </Field>
              <Field label="Answer kind">{sample.answer ? (sample.answer.kind === "calls" ? "Calls" : "Text") : "None"}</Field>
              <Field label="Created">{formatDateTime(sample.createdAt)}</Field>
              <Field label="Updated">{formatDateTime(sample.updatedAt)}</Field>
            </dl>

            <section aria-labelledby="query-title">
              <h3 id="query-title" className="mb-2 text-sm font-semibold text-stone-900">
                Query
              </h3>
              <p className="text-sm leading-6 whitespace-pre-wrap text-stone-800">{sample.query}</p>
            </section>

            <section aria-labelledby="tools-title">
              <h3 id="tools-title" className="mb-2 text-sm font-semibold text-stone-900">
                Tools <span className="font-normal text-stone-400">({sample.tools.length})</span>
              </h3>
              {sample.tools.length ? (
                <ul className="space-y-3">
                  {sample.tools.map((tool, i) => (
                    <li key={i} className="rounded-lg border border-stone-200 px-4 py-3">
                      <div className="font-mono text-sm font-medium text-stone-900">{String(tool.name)}</div>
                      {tool.description ? <p className="mt-1 text-sm text-stone-600">{String(tool.description)}</p> : null}
                      <TextBlock
                        className="mt-2 max-h-64 overflow-y-auto"
                        label={`Parameters of ${String(tool.name)}`}
                        text={tool.parameters === undefined ? null : JSON.stringify(tool.parameters, null, 2)}
                        empty="No parameters"
                      />
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-stone-400 italic">No tools</p>
              )}
            </section>

            <section aria-labelledby="answer-title">
              <h3 id="answer-title" className="mb-2 text-sm font-semibold text-stone-900">
                Answer
              </h3>
              <TextBlock text={answer} empty="No reference answer" />
            </section>

            <section aria-labelledby="cot-title">
              <h3 id="cot-title" className="mb-2 text-sm font-semibold text-stone-900">
                Chain of thought
              </h3>
              <TextBlock text={sample.cot} empty="No chain of thought yet" className="max-h-80 overflow-y-auto" />
            </section>
          </CardBody>
        </Card>

        <Card aria-labelledby="verdicts-title">
          <CardHeader
            titleId="verdicts-title"
            title="Stage verdicts"
            description={sample.verdicts.length ? `${formatCount(sample.verdicts.length)} in the order they were decided` : "None yet"}
          />
          {sample.verdicts.length ? (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[52rem] table-fixed text-left text-sm" aria-label="Stage verdicts">
                <colgroup>
                  <col className="w-48" />
                  <col className="w-20" />
                  <col />
                  <col className="w-32" />
                  <col className="w-16" />
                  <col className="w-24" />
                  <col className="w-24" />
                </colgroup>
                <thead className="border-b border-stone-200 bg-stone-50/70 text-xs text-stone-500">
                  <tr>
                    <th scope="col" className="py-2.5 pr-3 pl-5 font-medium">Stage</th>
                    <th scope="col" className="px-3 py-2.5 font-medium">Outcome</th>
                    <th scope="col" className="px-3 py-2.5 font-medium">Reason</th>
                    <th scope="col" className="px-3 py-2.5 font-medium">Decided by</th>
                    <th scope="col" className="px-3 py-2.5 text-right font-medium">Attempt</th>
                    <th scope="col" className="px-3 py-2.5 text-right font-medium">Tokens · latency</th>
                    <th scope="col" className="py-2.5 pr-5 pl-3 font-medium">Time</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {sample.verdicts.map((v) => (
                    <tr key={v.id} data-stage={v.stage} data-outcome={v.outcome} className="align-top" data-testid="verdict">
                      <th scope="row" className="py-2.5 pr-3 pl-5 font-normal text-stone-700">
                        <div className="flex gap-1.5">
                          <span className="tabular text-stone-400">{v.stage}</span>
                          <span>{STAGE_NAMES[v.stage] ?? `Stage ${v.stage}`}</span>
                        </div>
                      </th>
                      <td className="px-3 py-2.5">
                        <OutcomeBadge outcome={v.outcome} />
                      </td>
                      <td className="max-w-md px-3 py-2.5 break-words text-stone-700">{v.reason}</td>
                      <td className="px-3 py-2.5 text-xs">
                        <div className="font-mono break-all text-stone-600">{v.decidedBy}</div>
                        {v.promptVersion ? <div className="mt-0.5 text-stone-400">prompt {v.promptVersion}</div> : null}
                      </td>
                      <td className="tabular px-3 py-2.5 text-right text-stone-600">{v.attempt}</td>
                      <td className="tabular px-3 py-2.5 text-right text-xs text-stone-600">
                        <div>
                          {v.promptTokens === null && v.completionTokens === null
                            ? "—"
                            : `${formatCount((v.promptTokens ?? 0) + (v.completionTokens ?? 0))} tok`}
                        </div>
                        {v.latencyMs !== null ? <div className="mt-0.5 text-stone-400">{formatCount(v.latencyMs)} ms</div> : null}
                      </td>
                      <td className="py-2.5 pr-5 pl-3 text-xs text-stone-500">
                        <time dateTime={v.createdAt.toISOString()} title={formatDateTime(v.createdAt)}>
                          {formatShort(v.createdAt)}
                        </time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <EmptyState icon={<ListIcon />} title="No verdicts yet">
              This sample has not been through a run.
            </EmptyState>
          )}
        </Card>

        <Card aria-labelledby="revisions-title">
          <CardHeader
            titleId="revisions-title"
            title="Revisions"
            description={sample.revisions.length ? "Every change of the answer or the chain of thought, oldest first" : "Unchanged since import"}
          />
          {sample.revisions.length ? (
            <ol className="divide-y divide-stone-100">
              {sample.revisions.map((r) => (
                <li key={r.id} className="space-y-3 px-5 py-4" data-testid="revision">
                  <div className="flex flex-wrap items-center gap-2 text-sm">
                    <Badge tone="neutral">v{r.version}</Badge>
                    <span className="font-medium text-stone-900">{r.reason}</span>
                    <span className="text-xs text-stone-500">
                      by <span className="font-mono">{r.author}</span>
                      {r.runId !== null ? <> · run #{r.runId}</> : null} · {formatDateTime(r.createdAt)}
                    </span>
                  </div>
                  <div className="grid gap-4 md:grid-cols-2">
                    <div className="min-w-0 space-y-2">
                      <h4 className="text-xs font-medium text-stone-500">Before</h4>
                      <TextBlock text={r.cotBefore} empty="No chain of thought" className="max-h-60 overflow-y-auto" />
                      <TextBlock text={answerText(r.answerBefore)} empty="No answer" />
                    </div>
                    <div className="min-w-0 space-y-2">
                      <h4 className="text-xs font-medium text-stone-500">After</h4>
                      <TextBlock text={r.cotAfter} empty="No chain of thought" className="max-h-60 overflow-y-auto" />
                      <TextBlock text={answerText(r.answerAfter)} empty="No answer" />
                    </div>
                  </div>
                </li>
              ))}
            </ol>
          ) : (
            <p className="px-5 py-6 text-sm text-stone-500">No revision: the answer and chain of thought are as imported.</p>
          )}
        </Card>
      </div>
    </>
  );
}
