import Link from "next/link";
import type { ReactNode } from "react";
import { formatCount } from "@/components/datasets/format";
import { cx } from "@/components/ui/cx";
import { StatusBadge } from "@/components/ui/StatusBadge";
import type { QueueDataset } from "@/lib/review/progress";

/** One figure of a stat row: a label, a big number, and a line under it. */
export function Stat({ label, value, children, testId }: { label: string; value: number; children?: ReactNode; testId?: string }) {
  return (
    <div className="px-5 py-4">
      <dt className="text-xs font-medium text-stone-500">{label}</dt>
      <dd className="mt-1">
        <span className="tabular text-2xl font-semibold text-stone-900" data-testid={testId}>
          {formatCount(value)}
        </span>
        {children ? <div className="mt-1 text-xs leading-5 text-stone-500">{children}</div> : null}
      </dd>
    </div>
  );
}

/** The datasets that have samples waiting for a human, each a link that narrows the queue to it. */
export function QueueByDataset({ datasets, selected }: { datasets: QueueDataset[]; selected: number | null }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm">
        <caption className="sr-only">Samples waiting for a human, per dataset</caption>
        <thead className="border-b border-stone-200 bg-stone-50/70 text-xs text-stone-500">
          <tr>
            <th scope="col" className="py-2.5 pr-4 pl-5 font-medium">
              Dataset
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Waiting
            </th>
            <th scope="col" className="px-4 py-2.5 text-right font-medium">
              To review
            </th>
            <th scope="col" className="px-4 py-2.5 text-right font-medium">
              Held now
            </th>
            <th scope="col" className="py-2.5 pr-5 pl-4 text-right font-medium">
              <span className="sr-only">Queue</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {datasets.map((d) => (
            <tr key={d.id} data-dataset={d.name} className={cx(d.id === selected && "bg-accent-50/40")}>
              <th scope="row" className="py-2.5 pr-4 pl-5 font-medium text-stone-900">
                {d.name}
              </th>
              <td className="px-4 py-2.5">
                <span className="flex flex-wrap gap-1.5">
                  {d.passed ? <StatusBadge status="passed" count={d.passed} /> : null}
                  {d.flagged ? <StatusBadge status="flagged" count={d.flagged} /> : null}
                </span>
              </td>
              <td className="tabular px-4 py-2.5 text-right font-medium text-stone-900">{formatCount(d.passed + d.flagged)}</td>
              <td className={cx("tabular px-4 py-2.5 text-right", d.held ? "text-stone-700" : "text-stone-400")}>{formatCount(d.held)}</td>
              <td className="py-2.5 pr-5 pl-4 text-right text-sm">
                {d.id === selected ? (
                  <span className="text-stone-400">Selected</span>
                ) : (
                  <Link href={`/review?dataset=${d.id}`} className="font-medium text-accent-700 hover:text-accent-800 hover:underline">
                    Review only this
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
