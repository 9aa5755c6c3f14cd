import Link from "next/link";
import { formatCount } from "@/components/datasets/format";
import { Card, CardHeader } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { CheckSquareIcon } from "@/components/ui/icons";
import { StatusBadge } from "@/components/ui/StatusBadge";
import { STAGE_NAMES } from "@/lib/pipeline/stage-registry";
import type { FailureReason } from "@/lib/dashboard/queries";
import { codeLabel } from "./labels";

/** The largest groups of discarded and flagged samples per stage, each with one example reason. */
export function FailureReasonsCard({ reasons }: { reasons: FailureReason[] }) {
  const stages = [...new Set(reasons.map((r) => r.stage))];
  return (
    <Card aria-labelledby="failures-title" className="flex flex-col">
      <CardHeader
        titleId="failures-title"
        title="Top failure reasons"
        description="Discarded and flagged samples by the stage and check that decided, with one example each."
      />
      {reasons.length ? (
        <div className="divide-y divide-stone-100">
          {stages.map((stage) => {
            const group = reasons.filter((r) => r.stage === stage);
            const largest = Math.max(...group.map((r) => r.count));
            return (
              <section key={String(stage)} className="px-5 py-4" data-testid="failure-stage" data-stage={stage ?? "none"} aria-label={stageTitle(stage)}>
                <h3 className="mb-2.5 text-xs font-semibold tracking-wide text-stone-500 uppercase">{stageTitle(stage)}</h3>
                <ul className="space-y-3">
                  {group.map((reason) => (
                    <li key={`${reason.code}-${reason.status}`} data-testid="failure-reason" data-code={reason.code} data-status={reason.status} data-count={reason.count}>
                      <div className="flex items-center gap-2 text-sm">
                        <span className="min-w-0 flex-1 truncate font-medium text-stone-800" title={reason.code}>
                          {codeLabel(reason.code)}
                        </span>
                        <StatusBadge status={reason.status} />
                        <span className="tabular w-14 text-right font-semibold text-stone-900">{formatCount(reason.count)}</span>
                      </div>
                      <div className="mt-1.5 h-1 overflow-hidden rounded-full bg-stone-100" aria-hidden>
                        <div
                          className={reason.status === "discarded" ? "h-full rounded-full bg-rose-400" : "h-full rounded-full bg-amber-400"}
                          style={{ width: `${(reason.count / largest) * 100}%` }}
                        />
                      </div>
                      {reason.example ? (
                        <p className="mt-1.5 line-clamp-2 text-xs leading-5 text-stone-500">
                          {reason.exampleId !== null ? (
                            <Link href={`/samples/${reason.exampleId}`} className="tabular mr-1 font-medium text-stone-600 hover:text-accent-700 hover:underline">
                              #{reason.exampleId}
                            </Link>
                          ) : null}
                          {reason.example}
                        </p>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
      ) : (
        <EmptyState icon={<CheckSquareIcon />} title="Nothing discarded or flagged" className="flex-1">
          Samples a stage drops or flags are grouped here by the check that decided.
        </EmptyState>
      )}
    </Card>
  );
}

function stageTitle(stage: number | null): string {
  return stage === null ? "No single stage" : `Stage ${stage} · ${STAGE_NAMES[stage] ?? ""}`;
}
