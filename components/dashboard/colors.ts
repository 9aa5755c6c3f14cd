// Chart colours: the same Tailwind hues the badges use (components/ui/Badge.tsx), as the theme's CSS variables so
// that SVG fills follow dark mode (app/globals.css remaps the palette under `.dark`) like every other colour.
const color = (name: string) => `var(--color-${name})`;

export const OUTCOME_COLORS = {
  pass: color("teal-500"),
  fail: color("rose-500"),
  error: color("amber-500"),
  skip: color("stone-300"),
} as const;

export const END_COLORS = {
  saved: color("emerald-500"),
  text: color("sky-500"),
  flagged: color("amber-500"),
  discarded: color("rose-500"),
  pending: color("stone-400"),
} as const;

export const ACTION_COLORS = {
  approve: color("violet-500"), // as the Approved status
  discard: color("rose-500"),
  restore: color("amber-500"),
  edit: color("sky-500"),
  regenerate: color("teal-500"),
  recheck: color("stone-400"),
} as const;

export const TOKEN_COLORS = { prompt: color("teal-700"), completion: color("teal-300") } as const;

export const AXIS = { stroke: color("stone-400"), fontSize: 12, tick: color("stone-600") } as const;

/** The chart's grid lines, the hover band behind a bar, and a neutral series (imported samples). */
export const CHART_CHROME = { grid: color("stone-200"), cursor: color("stone-100"), neutral: color("stone-500") } as const;
