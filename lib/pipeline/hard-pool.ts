// The hard-data pool (the paper's v3, issue 13 §2): a sample whose answer fails stage 4 or 5 is not regenerated one
// attempt at a time; the teacher samples K candidate answers, each is checked by the rule stages and judged by the
// stage-4 judge (or panel), and the best passing candidate becomes the answer. Pure: which candidate wins, and why.
import { deciding, type Verdict } from "./types";

/** The pool's settings for a run (the v3 flow); none: the paper's v1 regeneration loop. */
export interface HardPoolOptions {
  /** K: candidate answers asked for in one teacher request. */
  candidates: number;
  /** Above 0, so the K candidates differ. */
  temperature: number;
}

export const HARD_POOL_DEFAULTS: HardPoolOptions = { candidates: 4, temperature: 0.8 };

/** How a run handles a stage 4/5 fail (a run option; v1, the paper's first flow, is the default). */
export const RUN_FLOWS = {
  v1: "v1: regenerate one answer at a time, up to the run's maximum (the paper's)",
  v3: "v3: the hard-data pool: K candidates at once, the best passing one kept",
} as const;
export type RunFlow = keyof typeof RUN_FLOWS;

/** How a sample left the pool: an answer chosen, dropped (discarded), or flagged (a judge could not answer). */
export type PoolResult = "rescued" | "dropped" | "flagged";

/** One candidate answer as the pool saw it. */
export interface PoolCandidate {
  /** The teacher's order (0 = its first answer). */
  index: number;
  /** Every rule stage passed it. */
  rulesPass: boolean;
  /** The stage-4 judge's (or panel's) outcome. */
  judge: "pass" | "fail" | "error";
  /** Members that passed it (a single judge: 1 when it passed); the first key of the order. */
  passes: number;
  /** Rule observations that do not fail a sample (e.g. a default restated); fewer is better. */
  warnings: number;
}

export type PoolChoice =
  | { rescued: true; winner: PoolCandidate; reason: string }
  /** `undecided`: a candidate the rules passed got no usable verdict, so it might have passed: flag, never discard. */
  | { rescued: false; undecided: boolean; reason: string };

/** A candidate as its verdicts (every stage it went through) describe it. */
export function poolCandidate(index: number, verdicts: readonly Verdict[]): PoolCandidate {
  const isRule = (v: Verdict) => v.decidedBy.startsWith("rule:");
  const judged = deciding(verdicts).filter((v) => !isRule(v));
  return {
    index,
    rulesPass: !verdicts.some((v) => isRule(v) && v.outcome === "fail"),
    judge: judged.some((v) => v.outcome === "fail") ? "fail" : judged.some((v) => v.outcome === "error") ? "error" : "pass",
    // Every judge's pass counts, a panel's members each (not the panel's own verdict, which counts them again).
    passes: verdicts.filter((v) => v.outcome === "pass" && v.decidedBy.startsWith("llm:")).length,
    warnings: verdicts.filter(isRule).reduce((sum, v) => sum + (Array.isArray(v.evidence.warnings) ? v.evidence.warnings.length : 0), 0),
  };
}

/**
 * The stated order: only candidates the rules and the judge pass; then the most judges passing, then the fewest rule
 * warnings, then the teacher's order. None passing: the sample is dropped ("hard: no candidate passed").
 */
export function pickCandidate(candidates: readonly PoolCandidate[]): PoolChoice {
  const passing = candidates.filter((c) => c.rulesPass && c.judge === "pass");
  if (passing.length === 0) {
    const why = candidates.length === 0 ? "the teacher gave no candidate" : summary(candidates);
    const undecided = candidates.some((c) => c.rulesPass && c.judge === "error");
    return { rescued: false, undecided, reason: `hard: no candidate passed (${why})` };
  }
  const [winner] = [...passing].sort((a, b) => b.passes - a.passes || a.warnings - b.warnings || a.index - b.index);
  return { rescued: true, winner, reason: `hard: candidate ${winner.index + 1} of ${candidates.length} chosen (${passing.length} passed)` };
}

function summary(candidates: readonly PoolCandidate[]): string {
  const rules = candidates.filter((c) => !c.rulesPass).length;
  const judged = candidates.filter((c) => c.rulesPass && c.judge === "fail").length;
  const errors = candidates.filter((c) => c.rulesPass && c.judge === "error").length;
  return [rules && `${rules} failed a rule`, judged && `${judged} failed the judge`, errors && `${errors} got no usable verdict`].filter(Boolean).join(", ");
}

/** What a candidate came to, as its revision says. */
export type CandidateState = "chosen" | "passed, not chosen" | "did not pass";

/** A candidate's revision reason (the sample page reads the chosen one back with chosenCandidate). */
export function candidateRevisionReason(index: number, count: number, state: CandidateState, after: string): string {
  return `Hard pool: candidate ${index + 1} of ${count} (${state}) after: ${after}`;
}

/** "3 of 4" when the revision chose a pool candidate, else null. */
export function chosenCandidate(reason: string): string | null {
  return /^Hard pool: candidate (\d+ of \d+) \(chosen\)/.exec(reason)?.[1] ?? null;
}
