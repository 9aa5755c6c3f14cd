// Chart colours: the same Tailwind hues the badges use (components/ui/Badge.tsx), as hex for SVG fills.
export const OUTCOME_COLORS = {
  pass: "#14b8a6", // teal-500
  fail: "#f43f5e", // rose-500
  error: "#f59e0b", // amber-500
  skip: "#d6d3d1", // stone-300
} as const;

export const END_COLORS = {
  saved: "#10b981", // emerald-500
  text: "#0ea5e9", // sky-500
  flagged: "#f59e0b", // amber-500
  discarded: "#f43f5e", // rose-500
  pending: "#a8a29e", // stone-400
} as const;

export const ACTION_COLORS = {
  approve: "#8b5cf6", // violet-500, as the Approved status
  discard: "#f43f5e", // rose-500
  restore: "#f59e0b", // amber-500
  edit: "#0ea5e9", // sky-500
  regenerate: "#14b8a6", // teal-500
  recheck: "#a8a29e", // stone-400
} as const;

export const TOKEN_COLORS = { prompt: "#0f766e", completion: "#5eead4" } as const; // teal-700, teal-300

export const AXIS = { stroke: "#a8a29e", fontSize: 12, tick: "#57534e" } as const; // stone-400, stone-600
