// What the samples table filters on, derived once when an outcome is stored (so the table never reads verdicts or
// JSON per row): the latest outcome per stage, who decided the status, and why, as a stage + code to group by.
import type { AttemptVerdict, RefineOutcome } from "./run";
import { compareStages } from "./stage-registry";
import { deciding, stageOutcome } from "./types";

export type DeciderKind = "rule" | "llm" | "human";

export interface StatusSummary {
  /**
   * "<stage>:<outcome>" per stage that ran, from its latest attempt, in run order: ["1:pass", "2:pass", "3:fail"];
   * for a conversation also "turn<N>:fail" for each turn a stage fails (the table's failing-turn filter); and
   * "pool:<rescued|dropped|flagged>" when the sample went through the hard-data pool (the funnel's pool row).
   */
  stageOutcomes: string[];
  decidedBy: DeciderKind | null;
  statusStage: number | null;
  /** A rule's id ("rule:unknown-function"), "llm", "regeneration-exhausted" or "generation-failed"; null when passed. */
  statusCode: string | null;
  statusReason: string;
}

export function deciderKind(decidedBy: string): DeciderKind {
  if (decidedBy.startsWith("rule:")) return "rule";
  if (decidedBy.startsWith("human:")) return "human";
  return "llm";
}

/** The table's code for a verdict: rules by id (they are few and stable), every LLM judge as "llm". */
function verdictCode(v: AttemptVerdict): string {
  return deciderKind(v.decidedBy) === "rule" ? v.decidedBy : "llm";
}

/**
 * Per stage, its outcome over the latest attempt of every turn (a conversation's worst turn decides); for a
 * conversation, then "turn<N>:fail" for each turn whose latest verdicts fail it.
 */
export function stageOutcomesOf(verdicts: readonly AttemptVerdict[], conversation = false): string[] {
  const latest = new Map<string, AttemptVerdict[]>();
  for (const v of verdicts) {
    const key = `${v.turn ?? 1}:${v.stage}`;
    const current = latest.get(key);
    if (!current || current[0].attempt < v.attempt) latest.set(key, [v]);
    else if (current[0].attempt === v.attempt) current.push(v);
  }
  const byStage = new Map<number, AttemptVerdict[]>();
  for (const vs of latest.values()) byStage.set(vs[0].stage, [...(byStage.get(vs[0].stage) ?? []), ...vs]);
  const stages = [...byStage.entries()].sort(([a], [b]) => compareStages(a, b)).map(([stage, vs]) => `${stage}:${stageOutcome(vs)}`);
  if (!conversation) return stages;
  const failingTurns = new Set([...latest.values()].filter((vs) => stageOutcome(vs) === "fail").map((vs) => vs[0].turn ?? 1));
  return [...stages, ...[...failingTurns].sort((a, b) => a - b).map((turn) => `turn${turn}:fail`)];
}

export function summarizeOutcome(
  outcome: Pick<RefineOutcome, "result" | "reason" | "verdicts" | "code" | "pool"> & { sample?: Pick<RefineOutcome["sample"], "followUp"> },
): StatusSummary {
  const stageOutcomes = [
    ...stageOutcomesOf(outcome.verdicts, (outcome.sample?.followUp?.length ?? 0) > 0),
    ...(outcome.pool ? [`pool:${outcome.pool}`] : []),
  ];
  const base = { stageOutcomes, statusReason: outcome.reason };
  if (outcome.result === "pending") return { ...base, decidedBy: null, statusStage: null, statusCode: null };
  if (outcome.result === "passed" || outcome.result === "text") {
    // A pass is the judges' as soon as one of them passed a stage (the rules alone pass nothing they judge).
    const judged = outcome.verdicts.some((v) => deciderKind(v.decidedBy) === "llm");
    return { ...base, decidedBy: outcome.verdicts.length ? (judged ? "llm" : "rule") : null, statusStage: null, statusCode: null };
  }
  // discarded or flagged: the deciding verdict is the last failing (or erroring) one — the stages stop right there.
  const wanted = outcome.result === "discarded" ? "fail" : "error";
  const verdicts = deciding(outcome.verdicts);
  const decider = verdicts.findLast((v) => v.outcome === wanted) ?? verdicts.findLast((v) => v.outcome === "fail");
  if (outcome.code === "generation-failed" || !decider) {
    return { ...base, decidedBy: "llm", statusStage: decider?.stage ?? null, statusCode: outcome.code ?? "generation-failed" };
  }
  return {
    ...base,
    // Regeneration ran out: whoever failed the last attempt decided (a rule, or a judge).
    decidedBy: deciderKind(decider.decidedBy),
    statusStage: decider.stage,
    statusCode: outcome.code ?? verdictCode(decider),
  };
}
