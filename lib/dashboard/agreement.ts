// Judge–human agreement per stage, from the LLM judge's latest outcome per stage recorded with each human decision
// (review_decisions.judge_outcomes, e.g. {"3": "pass", "4": "fail"}):
//   - an approve agrees with every stage the judge passed and overrides every stage it failed;
//   - a discard that names a stage agrees with a judge `fail` there and overrides a `pass` (a discard without a
//     stage blames none, so it counts nowhere);
//   - judge outcomes other than pass/fail (error, skip) and other actions (restore, edit, …) count nowhere.
// A stage with a low agreement is one whose judge a team should not trust without review.
import { JUDGED_STAGE_IDS, type StageId } from "@/lib/pipeline/stage-registry";

/** Decisions grouped by what decides their counting (the database groups, this file counts). */
export interface DecisionGroup {
  action: string;
  /** The stage a discard names, if any. */
  stage: number | null;
  judgeOutcomes: Record<string, unknown>;
  count: number;
}

export interface StageAgreement {
  stage: StageId;
  /** Decisions counted at this stage. */
  decisions: number;
  agreements: number;
  /** Approved although the judge failed the stage. */
  approvedOverFail: number;
  /** Discarded for this stage although the judge passed it. */
  discardedOverPass: number;
  /** agreements / decisions, null without decisions. */
  rate: number | null;
}

/** One row per stage with an LLM judge (a rules-only stage has no judge to agree with). */
export function judgeAgreement(groups: readonly DecisionGroup[]): StageAgreement[] {
  const rows = new Map<number, StageAgreement>(
    JUDGED_STAGE_IDS.map((stage) => [stage, { stage, decisions: 0, agreements: 0, approvedOverFail: 0, discardedOverPass: 0, rate: null }]),
  );
  const count = (stage: number, judge: unknown, agreesWith: "pass" | "fail", n: number) => {
    const row = rows.get(stage);
    if (!row || (judge !== "pass" && judge !== "fail")) return;
    row.decisions += n;
    if (judge === agreesWith) row.agreements += n;
    else if (agreesWith === "pass") row.approvedOverFail += n;
    else row.discardedOverPass += n;
  };
  for (const group of groups) {
    if (group.action === "approve") {
      for (const [stage, judge] of Object.entries(group.judgeOutcomes)) count(Number(stage), judge, "pass", group.count);
    } else if (group.action === "discard" && group.stage !== null) {
      count(group.stage, group.judgeOutcomes[String(group.stage)], "fail", group.count);
    }
  }
  return [...rows.values()].map((row) => ({ ...row, rate: row.decisions > 0 ? row.agreements / row.decisions : null }));
}
