// What every decision statement records beside the sample's new state (lib/review/decisions.ts, overlap.ts).

/**
 * The LLM judges' latest outcome per stage on sample `sampleId` (an SQL expression): {"3": "pass", "4": "fail"} — a
 * judge panel's verdict, not its members' votes.
 */
export function judgeOutcomesSql(sampleId: string): string {
  return `coalesce((SELECT jsonb_object_agg(j.stage::text, j.outcome) FROM (
      SELECT DISTINCT ON (v.stage) v.stage, v.outcome FROM stage_verdicts v
      WHERE v.sample_id = ${sampleId} AND (v.decided_by LIKE 'llm:%' OR v.decided_by LIKE 'panel:%') AND v.member_of IS NULL ORDER BY v.stage, v.id DESC) j), '{}'::jsonb)`;
}

/**
 * The guidelines version in force for the dataset of sample `sampleId` (an SQL expression; null when the dataset has
 * none): the version a decision is made under (lib/guidelines/).
 */
export function guidelinesVersionSql(sampleId: string): string {
  return `(SELECT max(g.version) FROM dataset_guidelines g WHERE g.dataset_id = (SELECT gs.dataset_id FROM samples gs WHERE gs.id = ${sampleId}))`;
}

/** What a decision changes besides the status, read from the sample row `s`, so an undo puts it back exactly. */
export const STATE_BEFORE_SQL = `jsonb_build_object('decided_by', s.decided_by, 'status_code', s.status_code, 'status_stage', s.status_stage,
      'status_reason', s.status_reason, 'claimed_by', s.claimed_by)`;
