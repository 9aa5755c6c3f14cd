"use client";

import { formatCount } from "@/components/datasets/format";

interface Entry {
  name?: string | number;
  value?: unknown;
  color?: string;
  fill?: string;
}

/**
 * One tooltip look for every chart (recharts' `content`): the label and one row per non-zero series. Recharts
 * renders it while inactive too, without a label: `formatLabel` only sees the label of an active tooltip.
 */
export function ChartTooltip({
  active,
  label,
  payload,
  formatLabel = String,
}: {
  active?: boolean;
  label?: string | number;
  payload?: ReadonlyArray<Entry>;
  formatLabel?: (label: string | number) => string;
}) {
  if (!active || !payload?.length || label === undefined) return null;
  const rows = payload.filter((entry) => typeof entry.value === "number" && entry.value > 0);
  return (
    <div className="rounded-lg border border-stone-200 bg-white px-3 py-2 text-xs shadow-md">
      <p className="mb-1 font-medium text-stone-900">{formatLabel(label)}</p>
      {rows.length ? (
        <ul className="space-y-0.5">
          {rows.map((entry) => (
            <li key={String(entry.name)} className="flex items-center gap-2 text-stone-600">
              <span aria-hidden className="size-2 rounded-sm" style={{ background: entry.fill ?? entry.color }} />
              <span className="flex-1 pr-3">{entry.name}</span>
              <span className="tabular font-medium text-stone-900">{formatCount(entry.value as number)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-stone-500">None</p>
      )}
    </div>
  );
}

const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** Axis ticks: 1.2K, 3M. */
export function compactNumber(value: number): string {
  return COMPACT.format(value);
}
