import type { DecisionActionName } from "@/lib/dashboard/timeline";

export { stageShort } from "@/lib/pipeline/stage-registry";

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
