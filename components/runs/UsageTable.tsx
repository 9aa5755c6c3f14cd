import { formatCount } from "@/components/datasets/format";
import { Card } from "@/components/ui/Card";
import { cx } from "@/components/ui/cx";
import { Table, type TableColumn } from "@/components/ui/Table";
import { formatCost } from "@/lib/cost/prices";
import type { Jsonified } from "@/lib/http/json";
import type { JudgeMode } from "@/lib/pipeline/judge-modes";
import { STAGE_NAMES, type StageId } from "@/lib/pipeline/stage-registry";
import type { RunUsage, UsageRow } from "@/lib/runs/usage";

const COLUMNS: TableColumn[] = [{ label: "Who" }, ...["Calls", "Prompt", "Cached", "Completion", "Est. cost"].map((label) => ({ label, numeric: true }))];

/** A run's LLM calls, prompt / cached / completion tokens and estimated cost: per judged stage, the teacher, the run. */
export function UsageTable({ usage, judgeMode }: { usage: Jsonified<RunUsage>; judgeMode?: JudgeMode }) {
  const rows: { key: string; label: string; row: Jsonified<UsageRow>; total?: boolean }[] = [
    ...usage.stages.map((s) => ({ key: `stage-${s.stage}`, label: `${s.stage} · ${STAGE_NAMES[s.stage as StageId] ?? "Stage"}`, row: s })),
    ...(usage.teacher.calls ? [{ key: "teacher", label: "Teacher (CoT, regeneration)", row: usage.teacher }] : []),
    { key: "total", label: "Run", row: usage.total, total: true },
  ];
  const unpriced = [...new Set(rows.filter((r) => r.row.cost === null).flatMap((r) => r.row.models))];
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold text-stone-900">LLM calls, tokens and cost</h3>
      <Card className="overflow-x-auto">
        <Table layout="in-card" columns={COLUMNS} aria-label="LLM usage per stage">
          {rows.map(({ key, label, row, total }) => (
            <tr key={key} data-usage={key} className={cx(total && "font-medium text-stone-900")}>
              <th scope="row" className="py-2 pr-3 pl-4 font-normal text-stone-700" title={row.models.join(", ")}>
                {label}
              </th>
              <td className="tabular px-3 py-2 text-right">{formatCount(row.calls)}</td>
              <td className="tabular px-3 py-2 text-right">{formatCount(row.prompt)}</td>
              <td className="tabular px-3 py-2 text-right" data-cell="cached">
                {formatCount(row.cached)}
                {row.prompt ? <span className="ml-1 text-xs text-stone-400">{Math.round((100 * row.cached) / row.prompt)}%</span> : null}
              </td>
              <td className="tabular px-3 py-2 text-right">{formatCount(row.completion)}</td>
              <td className="tabular px-3 py-2 text-right" data-cell="cost">
                {row.cost === null ? <span className="text-stone-400">—</span> : formatCost(row.cost)}
              </td>
            </tr>
          ))}
        </Table>
      </Card>
      <p className="mt-1.5 text-xs text-stone-500">
        {unpriced.length
          ? `No price saved for ${unpriced.join(", ")}: enter one in Settings to see the cost.`
          : "At the prices saved in Settings; the teacher at the teacher model in force."}
        {judgeMode === "combined" ? " One call judged stages 2–4: it counts once, at the first stage it answered, and its tokens are split evenly among the stages it answered." : null}
      </p>
    </div>
  );
}
