// The rule halves of the stages, on a sample as it stands, without a judge. A person has the last word over the
// LLM judges, never over the rules (pipeline.md): the editor refuses to save a version the rules fail, approving
// refuses such a version, and the export leaves it out. All three ask this module.
//
// A rule failure is a `fail` decided by `rule:…`. An `error` or `skip` is not one: without a judge, a stage that
// needs one (stage 1 on an ambiguous answer) cannot decide, and a person may decide in its place.
import { STAGES } from "./stages";
import { turnViews } from "./turns";
import type { PipelineSample, StageContext, Verdict } from "./types";

/** A stage context without a judge: each stage returns its rule verdict only. */
export const RULES_ONLY: StageContext = { judge: null, modelFor: () => "rules" };

/** The stages that judge a sample on its own: a stage that looks across the dataset (duplicates) is a run's check. */
export const SAMPLE_STAGES = STAGES.filter((stage) => !stage.prepare);

/**
 * Every such stage's rule verdicts on every assistant turn of the sample (turns.ts), not stopping at the first
 * failure; a later turn's verdicts carry its `turn`.
 */
export async function ruleVerdicts(sample: PipelineSample): Promise<Verdict[]> {
  const perTurn = await Promise.all(
    turnViews(sample).map(async ({ turn, ...view }) => {
      const verdicts = (await Promise.all(SAMPLE_STAGES.map((stage) => stage.run(view, RULES_ONLY)))).flat();
      return turn === 1 ? verdicts : verdicts.map((verdict) => ({ ...verdict, turn }));
    }),
  );
  return perTurn.flat();
}

export function isRuleFailure(verdict: Pick<Verdict, "outcome" | "decidedBy">): boolean {
  return verdict.outcome === "fail" && verdict.decidedBy.startsWith("rule:");
}

/** The rule verdicts that fail the sample (empty when every rule passes it). */
export async function ruleFailures(sample: PipelineSample): Promise<Verdict[]> {
  return (await ruleVerdicts(sample)).filter(isRuleFailure);
}

/**
 * Why a person cannot approve (or an export write) the sample, said after "Sample 12" or "#12": "fails stage 4
 * (rule:function-params): intents: expected an array, got a string — edit it to fix" ("fails turn 3, stage 4 …"
 * for a later turn of a conversation).
 */
export function describeRuleFailures(failures: readonly Pick<Verdict, "stage" | "decidedBy" | "reason" | "turn">[]): string {
  const each = failures.map((f) => `${f.turn && f.turn > 1 ? `turn ${f.turn}, ` : ""}stage ${f.stage} (${f.decidedBy}): ${f.reason.replace(/\.$/, "")}`);
  return `fails ${each.join("; ")} — edit it to fix`;
}
