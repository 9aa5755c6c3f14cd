"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { DecisionDay } from "@/lib/dashboard/timeline";
import { ACTION_COLORS, AXIS, CHART_CHROME } from "./colors";
import { ChartTooltip } from "./ChartTooltip";
import { ACTION_LABELS } from "./labels";

const DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

function dayLabel(day: string): string {
  return DAY.format(new Date(`${day}T00:00:00Z`));
}

/** Human decisions per day, stacked by action. `actions`: the ones to draw (those that happened). */
export function DecisionsChart({ days, actions }: { days: DecisionDay[]; actions: Array<keyof typeof ACTION_COLORS> }) {
  return (
    <BarChart data={days} responsive style={{ width: "100%", height: 200 }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap="18%">
      <CartesianGrid vertical={false} stroke={CHART_CHROME.grid} />
      <XAxis dataKey="day" tickFormatter={dayLabel} tickLine={false} minTickGap={24} stroke={AXIS.stroke} fontSize={AXIS.fontSize} tick={{ fill: AXIS.tick }} />
      <YAxis width={36} allowDecimals={false} stroke={AXIS.stroke} fontSize={AXIS.fontSize} tick={{ fill: AXIS.tick }} />
      <Tooltip
        cursor={{ fill: CHART_CHROME.cursor }}
        content={({ active, label, payload }) => <ChartTooltip active={active} label={label} payload={payload} formatLabel={(day) => dayLabel(String(day))} />}
        isAnimationActive={false}
      />
      {actions.map((action) => (
        <Bar key={action} dataKey={action} name={ACTION_LABELS[action]} stackId="day" fill={ACTION_COLORS[action]} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}
