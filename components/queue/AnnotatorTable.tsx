import { formatCount } from "@/components/datasets/format";
import { Badge } from "@/components/ui/Badge";
import { cx } from "@/components/ui/cx";
import type { AnnotatorProgress } from "@/lib/review/progress";
import { formatDateTime, formatSeconds, formatShort } from "./format";

const HEAD = "px-4 py-2.5 font-medium";
const NUM = "tabular px-4 py-2.5 text-right";

/** A count cell: zeros recede, so the eye finds who did what. */
function Count({ value, column, strong = false }: { value: number; column: string; strong?: boolean }) {
  return (
    <td className={cx(NUM, value === 0 ? "text-stone-400" : strong ? "font-medium text-stone-900" : "text-stone-700")} data-column={column}>
      {formatCount(value)}
    </td>
  );
}

/**
 * Progress per annotator: decisions today and overall on samples they looked at, by kind, those made in bulk, their
 * pace, what they hold now, and when they last decided.
 */
export function AnnotatorTable({ annotators, you }: { annotators: AnnotatorProgress[]; you: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[60rem] text-left text-sm">
        <caption className="sr-only">Decisions per annotator, most recently active first</caption>
        <thead className="border-b border-stone-200 bg-stone-50/70 text-xs text-stone-500">
          <tr>
            <th scope="col" className="py-2.5 pr-4 pl-5 font-medium">
              Annotator
            </th>
            <th scope="col" className={cx(HEAD, "text-right")}>
              Today
            </th>
            <th scope="col" className={cx(HEAD, "text-right")}>
              Total
            </th>
            <th scope="col" className={cx(HEAD, "text-right")}>
              Approved
            </th>
            <th scope="col" className={cx(HEAD, "text-right")}>
              Discarded
            </th>
            <th scope="col" className={cx(HEAD, "text-right")}>
              Restored
            </th>
            <th scope="col" className={cx(HEAD, "text-right")} title="Decisions made in bulk actions (a selection, a whole filter): not in the counts before">
              In bulk
            </th>
            <th scope="col" className={cx(HEAD, "text-right")} title="Median time between two decisions in a row, pauses left out, over the last 30 days">
              Median per sample
            </th>
            <th scope="col" className={cx(HEAD, "text-right")}>
              Holding
            </th>
            <th scope="col" className="py-2.5 pr-5 pl-4 font-medium">
              Last decision (UTC)
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {annotators.map((a) => (
            <tr key={a.name} data-annotator={a.name} className={cx(a.name === you && "bg-accent-50/40")}>
              <th scope="row" className="py-2.5 pr-4 pl-5 font-normal">
                <span className="font-mono text-[13px] text-stone-800">{a.name}</span>
                {a.name === you ? (
                  <Badge tone="teal" className="ml-2">
                    you
                  </Badge>
                ) : null}
              </th>
              <Count value={a.today} column="today" strong />
              <Count value={a.total} column="total" />
              <Count value={a.approved} column="approved" />
              <Count value={a.discarded} column="discarded" />
              <Count value={a.restored} column="restored" />
              <Count value={a.bulk} column="bulk" />
              <td className={cx(NUM, a.medianSeconds === null ? "text-stone-400" : "text-stone-700")} data-column="median">
                {formatSeconds(a.medianSeconds)}
              </td>
              <Count value={a.holding} column="holding" />
              <td className="py-2.5 pr-5 pl-4 text-xs text-stone-500">
                {a.lastDecisionAt ? (
                  <time dateTime={a.lastDecisionAt.toISOString()} title={formatDateTime(a.lastDecisionAt)}>
                    {formatShort(a.lastDecisionAt)}
                  </time>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
