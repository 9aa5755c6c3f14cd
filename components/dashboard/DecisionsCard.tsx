import { formatCount } from "@/components/datasets/format";
import { Card, CardHeader } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { CheckSquareIcon } from "@/components/ui/icons";
import { DECISION_ACTIONS, type DecisionDay } from "@/lib/dashboard/timeline";
import { ACTION_COLORS } from "./colors";
import { DecisionsChart } from "./DecisionsChart";
import { ACTION_LABELS } from "./labels";

/** Human decisions per day over the window, by action, with the window's totals as the legend. */
export function DecisionsCard({ days }: { days: DecisionDay[] }) {
  const totals = DECISION_ACTIONS.map((action) => ({ action, count: days.reduce((n, d) => n + d[action], 0) })).filter((t) => t.count > 0);
  const all = totals.reduce((n, t) => n + t.count, 0);
  return (
    <Card aria-labelledby="decisions-title" className="flex flex-col">
      <CardHeader
        titleId="decisions-title"
        title="Human decisions"
        description={all ? `${formatCount(all)} in the last ${days.length} days (UTC).` : `Last ${days.length} days (UTC).`}
      />
      {all ? (
        <figure aria-label="Human decisions per day, by action" className="px-5 py-5">
          <DecisionsChart days={days} actions={totals.map((t) => t.action)} />
          <figcaption>
            <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 pl-9 text-xs text-stone-500" aria-label="Decisions by action">
              {totals.map((t) => (
                <li key={t.action} className="inline-flex items-center gap-1.5" data-testid="decision-total" data-action={t.action} data-count={t.count}>
                  <span aria-hidden className="size-2 rounded-sm" style={{ background: ACTION_COLORS[t.action] }} />
                  {ACTION_LABELS[t.action]}
                  <span className="tabular font-medium text-stone-800">{formatCount(t.count)}</span>
                </li>
              ))}
            </ul>
          </figcaption>
        </figure>
      ) : (
        <EmptyState icon={<CheckSquareIcon />} title="No decisions in this window" className="flex-1">
          Approvals, discards, restores, edits and regenerations by reviewers show here day by day.
        </EmptyState>
      )}
    </Card>
  );
}
