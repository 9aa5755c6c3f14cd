"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, OUTCOME_COLORS, CHART_CHROME } from "./colors";
import { ChartTooltip, compactNumber } from "./ChartTooltip";

export interface FunnelRow {
  label: string;
  imported: number;
  pass: number;
  fail: number;
  error: number;
  skip: number;
}

const SERIES = [
  { key: "imported", name: "Imported", color: CHART_CHROME.neutral },
  { key: "pass", name: "Passed", color: OUTCOME_COLORS.pass },
  { key: "fail", name: "Failed", color: OUTCOME_COLORS.fail },
  { key: "error", name: "Error", color: OUTCOME_COLORS.error },
  { key: "skip", name: "Skipped", color: OUTCOME_COLORS.skip },
] as const;

/** A step's name on one line (recharts' own ticks wrap long names). */
function StepTick({ x, y, payload }: { x?: number | string; y?: number | string; payload?: { value?: unknown } }) {
  return (
    <text x={x} y={y} dx={-6} dy={4} textAnchor="end" fontSize={AXIS.fontSize} fill={AXIS.tick}>
      {String(payload?.value ?? "")}
    </text>
  );
}

/** Imported, then each stage's samples as one bar split by how the stage ended for them. */
export function FunnelChart({ rows }: { rows: FunnelRow[] }) {
  return (
    <BarChart
      layout="vertical"
      data={rows}
      responsive
      style={{ width: "100%", height: rows.length * 38 + 32 }}
      margin={{ top: 4, right: 12, bottom: 0, left: 0 }}
      barCategoryGap={7}
    >
      <CartesianGrid horizontal={false} stroke={CHART_CHROME.grid} />
      <XAxis type="number" tickFormatter={compactNumber} stroke={AXIS.stroke} fontSize={AXIS.fontSize} tick={{ fill: AXIS.tick }} allowDecimals={false} />
      <YAxis type="category" dataKey="label" width={150} tickLine={false} axisLine={false} tick={StepTick} />
      <Tooltip cursor={{ fill: CHART_CHROME.cursor }} content={ChartTooltip} isAnimationActive={false} />
      {SERIES.map((series) => (
        <Bar key={series.key} dataKey={series.key} name={series.name} stackId="stage" fill={series.color} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}
