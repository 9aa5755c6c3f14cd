// Writes one sample's pipeline outcome, all or nothing, in ONE statement (one round trip: at hundreds of samples
// a second the round trips are the cost): its verdicts, its revisions, its new state, and the mark that finishes
// it in the run. The mark is locked first and must still be unfinished, so a sample that two workers processed
// (a job handed out again after a crash or an expiry) is written exactly once.
import { getPool } from "@/lib/db/client";
import type { Answer } from "@/lib/samples/types";
import type { RefineOutcome } from "./run";
import { summarizeOutcome } from "./summary";

export interface StoredOutcome {
  written: boolean;
  /**
   * "conflict": the sample changed during the run (someone edited it), nothing of the run is written to it.
   * "already-finished": another worker wrote this sample's outcome first.
   */
  result: RefineOutcome["result"] | "conflict" | "already-finished";
}

const STORE_OUTCOME = `
WITH mark AS (
  SELECT run_id, sample_id FROM pipeline_run_samples
  WHERE run_id = $1 AND sample_id = $2 AND finished_at IS NULL FOR UPDATE
), updated AS (
  UPDATE samples SET status = CASE WHEN $4 = 'pending' THEN status ELSE $4::"SampleStatus" END,
    answer_kind = $5::"AnswerKind", answer = $6::json, cot = $7, version = version + greatest(1, json_array_length($9::json)),
    stage_outcomes = $13::text[], decided_by = $14, status_stage = $15, status_code = $16, status_reason = $17,
    updated_at = now()
  WHERE id = $2 AND version = $3 AND EXISTS (SELECT 1 FROM mark) RETURNING version
), verdicts AS (
  INSERT INTO stage_verdicts (sample_id, run_id, stage, outcome, reason, evidence, decided_by, attempt, prompt_version,
    prompt_tokens, completion_tokens, latency_ms)
  SELECT $2, $1, v.stage, v.outcome::"VerdictOutcome", v.reason, v.evidence, v."decidedBy", v.attempt, v."promptVersion",
    v."promptTokens", v."completionTokens", v."latencyMs"
  FROM json_to_recordset($8::json) AS v(stage smallint, outcome text, reason text, evidence jsonb, "decidedBy" text,
    attempt smallint, "promptVersion" text, "promptTokens" int, "completionTokens" int, "latencyMs" int)
  WHERE EXISTS (SELECT 1 FROM updated)
), revisions AS (
  INSERT INTO sample_revisions (sample_id, run_id, version, answer_kind_before, answer_before, answer_kind_after,
    answer_after, cot_before, cot_after, reason, author)
  SELECT $2, $1, $3::int + r.n::int, (r.value->>'kindBefore')::"AnswerKind", r.value->'answerBefore',
    (r.value->>'kindAfter')::"AnswerKind", r.value->'answerAfter', r.value->>'cotBefore', r.value->>'cotAfter',
    r.value->>'reason', r.value->>'author'
  FROM json_array_elements($9::json) WITH ORDINALITY AS r(value, n)
  WHERE EXISTS (SELECT 1 FROM updated)
), finished AS (
  UPDATE pipeline_run_samples SET result = CASE WHEN EXISTS (SELECT 1 FROM updated) THEN $4 ELSE 'conflict' END,
    regenerations = $10, prompt_tokens = $11, completion_tokens = $12, finished_at = now()
  WHERE (run_id, sample_id) IN (SELECT run_id, sample_id FROM mark)
)
SELECT EXISTS (SELECT 1 FROM mark) AS marked, EXISTS (SELECT 1 FROM updated) AS written`;

export async function storeOutcome(runId: number, sampleId: number, version: number, outcome: RefineOutcome): Promise<StoredOutcome> {
  const pool = await getPool();
  // A revision's version is the sample's version after it: version + 1, + 2, … (the sample ends at the last one).
  const revisions = outcome.revisions.map((r) => ({
    kindBefore: r.before.answer?.kind ?? null,
    answerBefore: answerValue(r.before.answer),
    kindAfter: r.after.answer?.kind ?? null,
    answerAfter: answerValue(r.after.answer),
    cotBefore: r.before.cot,
    cotAfter: r.after.cot,
    reason: r.reason,
    author: r.author,
  }));
  const { answer, cot } = outcome.sample;
  const summary = summarizeOutcome(outcome);
  const { rows } = await pool.query<{ marked: boolean; written: boolean }>(
    STORE_OUTCOME,
    [
      runId,
      sampleId,
      version,
      outcome.result,
      answer?.kind ?? null,
      answer ? JSON.stringify(answerValue(answer)) : null,
      cot,
      JSON.stringify(outcome.verdicts),
      JSON.stringify(revisions),
      outcome.regenerations,
      outcome.tokens.prompt,
      outcome.tokens.completion,
      summary.stageOutcomes,
      summary.decidedBy,
      summary.statusStage,
      summary.statusCode,
      summary.statusReason,
    ],
  );
  if (!rows[0].marked) return { written: false, result: "already-finished" };
  if (!rows[0].written) return { written: false, result: "conflict" };
  return { written: true, result: outcome.result };
}

/** As import stores it: calls as a JSON array, text as a JSON string. */
function answerValue(answer: Answer | null): unknown {
  if (!answer) return null;
  return answer.kind === "calls" ? answer.calls : answer.text;
}
