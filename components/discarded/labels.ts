import { isStageId } from "@/lib/pipeline/stage-registry";
import type { DiscardGroupKey } from "@/lib/review/discard-audit";

const CODE_LABELS: Record<string, string> = {
  llm: "LLM judge",
  human: "Reviewer",
  "regeneration-exhausted": "Regeneration exhausted",
  "generation-failed": "Generation failed",
};

/** A status code as people read it: "Rule unknown_argument", "LLM judge", "Reviewer", ... */
export function codeLabel(code: string | null): string {
  if (code === null) return "No reason code";
  if (code.startsWith("rule:")) return `Rule ${code.slice("rule:".length)}`;
  return CODE_LABELS[code] ?? code;
}

/** The URL of a group's drill-down: `stage` and `code` each a value or "none" (the group has none). */
export function groupHref(group: DiscardGroupKey, datasetId: number | null): string {
  const params = new URLSearchParams();
  if (datasetId !== null) params.set("dataset", String(datasetId));
  params.set("stage", group.stage === null ? "none" : String(group.stage));
  params.set("code", group.code ?? "none");
  return `/discarded?${params}`;
}

/** The group a URL names, or null when it names none (both `stage` and `code` are needed). */
export function parseGroup(stage: string | string[] | undefined, code: string | string[] | undefined): DiscardGroupKey | null {
  if (typeof stage !== "string" || typeof code !== "string" || code === "") return null;
  if (stage !== "none" && !(/^\d+$/.test(stage) && isStageId(Number(stage)))) return null;
  return { stage: stage === "none" ? null : Number(stage), code: code === "none" ? null : code };
}

export function sameGroup(a: DiscardGroupKey, b: DiscardGroupKey): boolean {
  return a.stage === b.stage && a.code === b.code;
}
