// How a run asks its judges about stages 2–4 (issue 15 §3): THE list of judge modes. The run options' zod enum,
// `studio run --judge`, the run form's options and the run detail's label are derived from it. Pure and
// browser-safe.
import { PANEL_STAGE_IDS, type StageId } from "./stage-registry";

/** The stages one combined call judges: those whose judge passes or fails (stage 1's sorts calls from text). */
export const COMBINED_STAGE_IDS: readonly StageId[] = PANEL_STAGE_IDS;

export const JUDGE_MODES = [
  {
    id: "per-stage",
    label: "One judge call per stage (the paper's)",
    short: "per stage",
  },
  {
    id: "combined",
    label: "One judge call for stages 2–4",
    short: "combined (stages 2–4 in one call)",
  },
] as const;

export type JudgeMode = (typeof JUDGE_MODES)[number]["id"];

export const JUDGE_MODE_IDS = JUDGE_MODES.map((m) => m.id) as [JudgeMode, ...JudgeMode[]];

/** The default: the paper's, one judge per stage. */
export const DEFAULT_JUDGE_MODE: JudgeMode = "per-stage";

export function judgeModeInfo(id: JudgeMode) {
  return JUDGE_MODES.find((m) => m.id === id)!;
}

/** "must be per-stage or combined": the message of every schema that reads a judge mode. */
export const JUDGE_MODE_MESSAGE = `must be ${JUDGE_MODE_IDS.slice(0, -1).join(", ")} or ${JUDGE_MODE_IDS.at(-1)}`;
