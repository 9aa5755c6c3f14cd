import { formatCount } from "@/components/datasets/format";
import { Card, CardHeader } from "@/components/ui/Card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/EmptyState";
import { CheckSquareIcon } from "@/components/ui/icons";
import { Table, type TableColumn } from "@/components/ui/Table";
import type { StageAgreement } from "@/lib/dashboard/agreement";
import { rateText } from "@/lib/dashboard/funnel";
import { STAGE_NAMES } from "@/lib/pipeline/stage-registry";
import { stageShort } from "./labels";

const AGREEMENT_COLUMNS: TableColumn[] = [{ label: "Stage" }, { label: "Agreement" }, { label: "Overrides", numeric: true }];

export function AgreementCard({ rows, bulkDecisions }: { rows: StageAgreement[]; bulkDecisions: number }) {
  const counted = rows.some((r) => r.decisions > 0);
  return (
    <Card aria-labelledby="agreement-title" className="flex flex-col">
      <CardHeader
        titleId="agreement-title"
        title="Judge–human agreement"
        description="How often reviewers side with the LLM judge: an approval agrees with each stage it passed, a discard naming a stage with a fail there. Only decisions on samples a person opened count."
      />
      {counted ? (
        <Table
          layout="under-card-header"
          columns={AGREEMENT_COLUMNS}
          aria-label="Judge–human agreement per stage"
          foot={
            <tr>
              <td colSpan={3} className="border-t border-stone-100 px-5 py-2.5 text-xs text-stone-500">
                Too strict: approved although the judge failed it; too lenient: discarded for a stage the judge passed. A stage
                with low agreement needs its verdicts reviewed before they are trusted. Stage 5 has no LLM judge.
                {bulkDecisions ? <BulkNote count={bulkDecisions} /> : null}
              </td>
            </tr>
          }
        >
          {rows.map((row) => {
            const overrides = row.approvedOverFail + row.discardedOverPass;
            const rate = row.rate === null ? null : Math.round(row.rate * 100);
            return (
              <tr key={row.stage} data-testid="agreement-stage" data-stage={row.stage} data-decisions={row.decisions} data-rate={rate ?? ""} data-overrides={overrides}>
                <th scope="row" className="py-2.5 pr-3 pl-5 font-normal whitespace-nowrap text-stone-700" title={STAGE_NAMES[row.stage]}>
                  <span className="tabular mr-1.5 text-stone-400">{row.stage}</span>
                  {stageShort(row.stage)}
                </th>
                <td className="px-3 py-2.5">
                  {rate === null ? (
                    <span className="text-xs whitespace-nowrap text-stone-400">No decisions</span>
                  ) : (
                    <div className="flex items-center gap-2">
                      <div className="h-1.5 w-14 flex-none overflow-hidden rounded-full bg-stone-100" aria-hidden>
                        <div className={cx("h-full rounded-full", rateTone(rate))} style={{ width: `${rate}%` }} />
                      </div>
                      <span className="tabular w-10 text-right font-semibold text-stone-900">{rateText(row.rate!)}</span>
                      <span className="tabular text-xs whitespace-nowrap text-stone-500" title="Decisions counted at this stage">
                        of {formatCount(row.decisions)}
                      </span>
                    </div>
                  )}
                </td>
                <td className="py-2.5 pr-5 pl-3 text-right">
                  <span className={cx("tabular", overrides ? "font-semibold text-stone-900" : "text-stone-300")}>{formatCount(overrides)}</span>
                  {overrides ? (
                    <span className="block text-xs whitespace-nowrap text-stone-500">
                      {[
                        row.approvedOverFail ? `${formatCount(row.approvedOverFail)} too strict` : null,
                        row.discardedOverPass ? `${formatCount(row.discardedOverPass)} too lenient` : null,
                      ]
                        .filter(Boolean)
                        .join(" · ")}
                    </span>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </Table>
      ) : (
        <EmptyState icon={<CheckSquareIcon />} title="No human decisions on judged samples yet" className="flex-1">
          Approve, or discard naming a stage, samples the LLM judges have seen: each decision is compared with the judge&apos;s
          verdict at that moment.
          {bulkDecisions ? <BulkNote count={bulkDecisions} /> : null}
        </EmptyState>
      )}
    </Card>
  );
}

/** Bulk decisions say nothing about the judge: nobody read those samples. Said, so the figure is not mistaken for all. */
function BulkNote({ count }: { count: number }) {
  return (
    <span className="mt-1 block" data-testid="agreement-bulk">
      Not counted: {formatCount(count)} {count === 1 ? "decision" : "decisions"} made in bulk actions.
    </span>
  );
}

function rateTone(rate: number): string {
  if (rate >= 90) return "bg-emerald-500";
  if (rate >= 75) return "bg-amber-500";
  return "bg-rose-500";
}
