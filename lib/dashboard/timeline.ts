// Human decisions per day and action, with every day of the window present (a chart must show quiet days as zero).

export const DECISION_ACTIONS = ["approve", "discard", "restore", "edit", "regenerate", "recheck"] as const;
export type DecisionActionName = (typeof DECISION_ACTIONS)[number];

export type DecisionDay = { day: string } & Record<DecisionActionName, number>;

/**
 * `rows`: counts per UTC day ("2026-11-25") and action. Returns `days` days ending with `today` (UTC), oldest
 * first; actions outside DECISION_ACTIONS are left out.
 */
export function decisionDays(rows: ReadonlyArray<{ day: string; action: string; count: number }>, days: number, today: Date): DecisionDay[] {
  const byDay = new Map<string, DecisionDay>();
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(end - i * 86_400_000).toISOString().slice(0, 10);
    byDay.set(day, { day, ...(Object.fromEntries(DECISION_ACTIONS.map((a) => [a, 0])) as Record<DecisionActionName, number>) });
  }
  for (const row of rows) {
    const entry = byDay.get(row.day);
    if (entry && (DECISION_ACTIONS as readonly string[]).includes(row.action)) entry[row.action as DecisionActionName] += row.count;
  }
  return [...byDay.values()];
}
