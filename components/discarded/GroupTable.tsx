import Link from "next/link";
import { formatCount } from "@/components/datasets/format";
import { Badge } from "@/components/ui/Badge";
import { cx } from "@/components/ui/cx";
import type { DiscardGroup, DiscardGroupKey } from "@/lib/review/discard-audit";
import { codeLabel, groupHref, sameGroup } from "./labels";

/**
 * The discard groups, largest first: stage, code, an example reason, and the count with its share of all discards.
 * Each row opens its group's samples.
 */
export function GroupTable({
  groups,
  stageNames,
  selected,
  datasetId,
}: {
  groups: DiscardGroup[];
  stageNames: Record<number, string>;
  selected: DiscardGroupKey | null;
  datasetId: number | null;
}) {
  const total = groups.reduce((n, g) => n + g.count, 0);
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[56rem] table-fixed text-left text-sm">
        <caption className="sr-only">Discarded samples grouped by stage and reason, largest group first</caption>
        <colgroup>
          <col className="w-56" />
          <col className="w-48" />
          <col />
          <col className="w-40" />
        </colgroup>
        <thead className="border-b border-stone-200 bg-stone-50/70 text-xs text-stone-500">
          <tr>
            <th scope="col" className="py-2.5 pr-4 pl-5 font-medium">
              Stage
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Discarded by
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Example reason
            </th>
            <th scope="col" className="py-2.5 pr-5 pl-4 font-medium">
              Samples
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {groups.map((g) => {
            const isSelected = selected !== null && sameGroup(g, selected);
            const share = total ? (g.count / total) * 100 : 0;
            return (
              <tr
                key={`${g.stage}|${g.code}`}
                data-stage={g.stage ?? "none"}
                data-code={g.code ?? "none"}
                className={cx("group align-top", isSelected ? "bg-accent-50/50" : "hover:bg-stone-50")}
              >
                <th scope="row" className="py-3 pr-4 pl-5 font-normal">
                  <Link
                    href={groupHref(g, datasetId)}
                    aria-current={isSelected ? "true" : undefined}
                    className="flex gap-1.5 rounded text-stone-800 hover:text-accent-800"
                  >
                    <span className="tabular text-stone-400">{g.stage ?? "–"}</span>
                    <span className="font-medium group-hover:underline">{g.stage === null ? "No stage" : (stageNames[g.stage] ?? `Stage ${g.stage}`)}</span>
                  </Link>
                </th>
                <td className="px-4 py-3">
                  <Badge
                    tone={g.code === "human" ? "violet" : g.code?.startsWith("rule:") ? "neutral" : "amber"}
                    className="max-w-full whitespace-normal"
                    title={g.code ?? undefined}
                  >
                    <span className="break-all">{codeLabel(g.code)}</span>
                  </Badge>
                </td>
                <td className="px-4 py-3 text-stone-600">
                  <p className="line-clamp-3 break-words" title={g.example ?? undefined}>
                    {g.example ?? <span className="text-stone-400 italic">No reason recorded</span>}
                  </p>
                </td>
                <td className="py-3 pr-5 pl-4">
                  <div className="flex items-baseline justify-between gap-2">
                    <span className="tabular font-semibold text-stone-900" data-testid="group-count">
                      {formatCount(g.count)}
                    </span>
                    <span className="tabular text-xs text-stone-500">{share < 1 ? "<1" : Math.round(share)}%</span>
                  </div>
                  <div className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-stone-100" aria-hidden>
                    <div className="h-full rounded-full bg-rose-400" style={{ width: `${Math.max(share, 2)}%` }} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
