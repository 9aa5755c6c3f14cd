"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, TOKEN_COLORS, CHART_CHROME } from "./colors";
import { ChartTooltip, compactNumber } from "./ChartTooltip";

export interface TokenRow {
  label: string;
  prompt: number;
  completion: number;
}

/** The judges' prompt and completion tokens per stage. */
export function TokenChart({ rows }: { rows: TokenRow[] }) {
  return (
    <BarChart data={rows} responsive style={{ width: "100%", height: 200 }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap="28%">
      <CartesianGrid vertical={false} stroke={CHART_CHROME.grid} />
      <XAxis dataKey="label" tickLine={false} stroke={AXIS.stroke} fontSize={AXIS.fontSize} tick={{ fill: AXIS.tick }} />
      <YAxis tickFormatter={compactNumber} width={48} stroke={AXIS.stroke} fontSize={AXIS.fontSize} tick={{ fill: AXIS.tick }} allowDecimals={false} />
      <Tooltip cursor={{ fill: CHART_CHROME.cursor }} content={ChartTooltip} isAnimationActive={false} />
      <Bar dataKey="prompt" name="Prompt tokens" stackId="tokens" fill={TOKEN_COLORS.prompt} isAnimationActive={false} />
      <Bar dataKey="completion" name="Completion tokens" stackId="tokens" fill={TOKEN_COLORS.completion} radius={[3, 3, 0, 0]} isAnimationActive={false} />
    </BarChart>
  );
}
