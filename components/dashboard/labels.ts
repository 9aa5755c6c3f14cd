import type { DecisionActionName } from "@/lib/dashboard/timeline";

/** Short stage names for chart axes (the full names are in lib/dashboard/funnel.ts STAGE_NAMES). */
export const STAGE_SHORT: Record<number, string> = {
  1: "Call or text",
  2: "Query & tools",
  3: "CoT",
  4: "Function & params",
  5: "Format",
};

export const ACTION_LABELS: Record<DecisionActionName, string> = {
  approve: "Approved",
  discard: "Discarded",
  restore: "Restored",
  edit: "Edited",
  regenerate: "Regenerated",
  recheck: "Re-checked",
};

/** A failure code for people: rules by their id, the rest in words. */
export function codeLabel(code: string): string {
  if (code.startsWith("rule:")) return `Rule ${code.slice("rule:".length)}`;
  return (
    {
      llm: "LLM judge",
      "regeneration-exhausted": "Regeneration exhausted",
      "generation-failed": "Generation failed",
      human: "Reviewer",
      unknown: "Unknown",
    }[code] ?? code
  );
}
