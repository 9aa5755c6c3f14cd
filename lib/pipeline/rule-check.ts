// The rule halves of the stages, on a sample as it stands, without a judge. A person has the last word over the
// LLM judges, never over the rules (pipeline.md): the editor refuses to save a version the rules fail, approving
// refuses such a version, and the export leaves it out. All three ask this module.
//
// A rule failure is a `fail` decided by `rule:…`. An `error` or `skip` is not one: without a judge, a stage that
// needs one (stage 1 on an ambiguous answer) cannot decide, and a person may decide in its place.
import { STAGES } from "./stages";
import type { PipelineSample, StageContext, Verdict } from "./types";

/** A stage context without a judge: each stage returns its rule verdict only. */
export const RULES_ONLY: StageContext = { judge: null, modelFor: () => "rules" };

/** The stages that judge a sample on its own: a stage that looks across the dataset (duplicates) is a run's check. */
export const SAMPLE_STAGES = STAGES.filter((stage) => !stage.prepare);

/** Every such stage's rule verdicts on the sample, not stopping at the first failure. */
export async function ruleVerdicts(sample: PipelineSample): Promise<Verdict[]> {
  return (await Promise.all(SAMPLE_STAGES.map((stage) => stage.run(sample, RULES_ONLY)))).flat();
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
 * (rule:function-params): intents: expected an array, got a string — edit it to fix".
 */
export function describeRuleFailures(failures: readonly Pick<Verdict, "stage" | "decidedBy" | "reason">[]): string {
  const each = failures.map((f) => `stage ${f.stage} (${f.decidedBy}): ${f.reason.replace(/\.$/, "")}`);
  return `fails ${each.join("; ")} — edit it to fix`;
}
