// Writes a sample's new state, all or nothing, in ONE statement (one round trip: at hundreds of samples a second
// the round trips are the cost): its verdicts, its revisions, its new state, with a version check, plus whatever
// marks the work as done (a run's sample mark, a review task). The mark is locked first and must still be open, so
// a sample that two workers processed (a job handed out again after a crash or an expiry) is written exactly once.
import { getPool } from "@/lib/db/client";
import { NO_TOKENS } from "@/lib/llm/client";
import type { Answer, SampleStatus } from "@/lib/samples/types";
import type { AttemptVerdict, RefineOutcome, Revision } from "./run";
import { summarizeOutcome, type StatusSummary } from "./summary";
import type { PipelineSample } from "./types";

export interface StoredOutcome {
  written: boolean;
  /**
   * "conflict": the sample changed during the run (someone edited it), nothing of the run is written to it.
   * "already-finished": another worker wrote this sample's outcome first.
   */
  result: RefineOutcome["result"] | "conflict" | "already-finished";
}

/** A sample's new state and what led to it. */
export interface SampleWrite {
  sampleId: number;
  /** The version the change was computed from: nothing is written unless the sample is still at it. */
  version: number;
  /** The new status; null keeps the current one. */
  status: SampleStatus | null;
  /** The first answer and CoT; `followUp` when the conversation after it changed (else it stays as stored). */
  sample: Pick<PipelineSample, "answer" | "cot" | "followUp">;
  verdicts: AttemptVerdict[];
  revisions: Revision[];
  summary: StatusSummary;
  runId: number | null;
}

/**
 * What a write is gated on and what it finishes: `gate` is a locking SELECT that must find a row (else nothing is
 * written), `finish` a data-modifying statement run either way (it can read `gate` and `updated`). Their own
 * parameters are numbered from $17.
 */
interface WriteMark {
  /** The statement's name: PostgreSQL plans it once per connection, not on every sample (it is a long one). */
  name: string;
  gate: string;
  finish?: string;
  params: unknown[];
}

// $1 run id, $2 sample id, $3 expected version, $4 status (null keeps it), $5–$7 answer kind, answer, CoT,
// $8 verdicts, $9 revisions, $10–$14 the status summary, $15 the follow-up (JSON) and $16 whether to write it.
const writeStatement = (mark: WriteMark) => `
WITH gate AS (${mark.gate}
), updated AS (
  UPDATE samples SET status = coalesce($4::"SampleStatus", status), answer_kind = $5::"AnswerKind", answer = $6::json, cot = $7,
    version = version + greatest(1, json_array_length($9::json)), stage_outcomes = $10::text[], decided_by = $11,
    status_stage = $12, status_code = $13, status_reason = $14, updated_at = now(),
    follow_up = CASE WHEN $16::boolean THEN $15::json ELSE follow_up END,
    turns = CASE WHEN $16::boolean THEN 1 + (SELECT count(*) FROM json_array_elements(coalesce($15::json, '[]')) m WHERE m->>'role' = 'assistant')
      ELSE turns END
  WHERE id = $2 AND version = $3 AND EXISTS (SELECT 1 FROM gate) RETURNING version
), verdicts AS (
  INSERT INTO stage_verdicts (sample_id, run_id, stage, turn, outcome, reason, evidence, decided_by, member_of, attempt, prompt_version,
    prompt_tokens, cached_tokens, completion_tokens, latency_ms)
  SELECT $2, $1::int, v.stage, coalesce(v.turn, 1), v.outcome::"VerdictOutcome", v.reason, v.evidence, v."decidedBy", v."memberOf", v.attempt,
    v."promptVersion", v."promptTokens", v."cachedTokens", v."completionTokens", v."latencyMs"
  FROM json_to_recordset($8::json) AS v(stage smallint, turn smallint, outcome text, reason text, evidence jsonb, "decidedBy" text,
    "memberOf" text, attempt smallint, "promptVersion" text, "promptTokens" int, "cachedTokens" int, "completionTokens" int, "latencyMs" int)
  WHERE EXISTS (SELECT 1 FROM updated)
), revisions AS (
  INSERT INTO sample_revisions (sample_id, run_id, version, answer_kind_before, answer_before, answer_kind_after,
    answer_after, cot_before, cot_after, turn, follow_up_before, follow_up_after, reason, author)
  SELECT $2, $1::int, $3::int + r.n::int, (r.value->>'kindBefore')::"AnswerKind", r.value->'answerBefore',
    (r.value->>'kindAfter')::"AnswerKind", r.value->'answerAfter', r.value->>'cotBefore', r.value->>'cotAfter',
    coalesce((r.value->>'turn')::smallint, 1), r.value->'followUpBefore', r.value->'followUpAfter', r.value->>'reason', r.value->>'author'
  FROM json_array_elements($9::json) WITH ORDINALITY AS r(value, n)
  WHERE EXISTS (SELECT 1 FROM updated)
)${mark.finish ? `, finished AS (\n  ${mark.finish}\n)` : ""}
SELECT EXISTS (SELECT 1 FROM gate) AS gated, (SELECT version FROM updated) AS version`;

/** Writes `change` if the sample is still at its version and `mark`'s gate holds. */
async function writeSample(change: SampleWrite, mark: WriteMark): Promise<{ gated: boolean; version: number | null }> {
  const pool = await getPool();
  // A revision's version is the sample's version after it: version + 1, + 2, … (the sample ends at the last one).
  const revisions = change.revisions.map((r) => ({
    kindBefore: r.before.answer?.kind ?? null,
    answerBefore: answerValue(r.before.answer),
    kindAfter: r.after.answer?.kind ?? null,
    answerAfter: answerValue(r.after.answer),
    cotBefore: r.before.cot,
    cotAfter: r.after.cot,
    reason: r.reason,
    author: r.author,
    turn: r.turn ?? 1,
    followUpBefore: r.followUp?.before ?? null,
    followUpAfter: r.followUp?.after ?? null,
  }));
  const { answer, cot, followUp } = change.sample;
  const { summary } = change;
  const { rows } = await pool.query<{ gated: boolean; version: number | null }>({ name: mark.name, text: writeStatement(mark) }, [
    change.runId,
    change.sampleId,
    change.version,
    change.status,
    answer?.kind ?? null,
    answer ? JSON.stringify(answerValue(answer)) : null,
    cot,
    JSON.stringify(change.verdicts),
    JSON.stringify(revisions),
    summary.stageOutcomes,
    summary.decidedBy,
    summary.statusStage,
    summary.statusCode,
    summary.statusReason,
    followUp?.length ? JSON.stringify(followUp) : null,
    followUp !== undefined,
    ...mark.params,
  ]);
  return rows[0];
}

/** A run's outcome for one of its samples; finishes the sample's mark in the run (as a conflict when not written). */
/** The outcome of a sample edited since the run took it in: no LLM call; storeOutcome keeps the edit, records a conflict. */
export function editedDuringRun(sample: RefineOutcome["sample"]): RefineOutcome {
  return { result: "pending", reason: "edited during the run", sample, verdicts: [], revisions: [], regenerations: 0, tokens: { ...NO_TOKENS }, calls: 0 };
}

export async function storeOutcome(runId: number, sampleId: number, version: number, outcome: RefineOutcome): Promise<StoredOutcome> {
  const summary = summarizeOutcome(outcome);
  const written = await writeSample(
    {
      sampleId,
      version,
      status: outcome.result === "pending" ? null : outcome.result,
      sample: outcome.sample,
      verdicts: outcome.verdicts,
      revisions: outcome.revisions,
      summary,
      runId,
    },
    {
      name: "store-run-sample",
      gate: `SELECT run_id, sample_id FROM pipeline_run_samples WHERE run_id = $1 AND sample_id = $2 AND finished_at IS NULL FOR UPDATE`,
      finish: `UPDATE pipeline_run_samples SET result = CASE WHEN EXISTS (SELECT 1 FROM updated) THEN $17 ELSE 'conflict' END,
    regenerations = $18, prompt_tokens = $19, completion_tokens = $20, pool = $21, cached_tokens = $22, llm_calls = $23,
    stage_outcomes = CASE WHEN EXISTS (SELECT 1 FROM updated) THEN $24::text[] ELSE '{}' END, finished_at = now()
  WHERE (run_id, sample_id) IN (SELECT run_id, sample_id FROM gate)`,
      params: [outcome.result, outcome.regenerations, outcome.tokens.prompt, outcome.tokens.completion, outcome.pool ?? null, outcome.tokens.cached, outcome.calls, summary.stageOutcomes],
    },
  );
  if (!written.gated) return { written: false, result: "already-finished" };
  if (written.version === null) return { written: false, result: "conflict" };
  return { written: true, result: outcome.result };
}

/**
 * A review task's result (lib/review/task-handler.ts): written only while the task is `running`, and the task ends
 * `succeeded` with `message`, or `conflict` when the sample changed since the task was asked for.
 */
export async function storeTaskResult(taskId: number, change: SampleWrite, message: string): Promise<{ gated: boolean; version: number | null }> {
  return writeSample(change, {
    name: "store-task-result",
    gate: `SELECT id FROM sample_tasks WHERE id = $17 AND status = 'running' FOR UPDATE`,
    finish: `UPDATE sample_tasks SET finished_at = now(),
    status = CASE WHEN EXISTS (SELECT 1 FROM updated) THEN 'succeeded' ELSE 'conflict' END,
    message = CASE WHEN EXISTS (SELECT 1 FROM updated) THEN $18 ELSE 'The sample changed since the task was asked for: nothing was written.' END
  WHERE id IN (SELECT id FROM gate)`,
    params: [taskId, message],
  });
}

/** A reviewer's edit (lib/review/edit.ts): gated on the version alone. */
export async function storeEdit(change: SampleWrite): Promise<number | null> {
  return (await writeSample(change, { name: "store-edit", gate: "SELECT 1", params: [] })).version;
}

/** As import stores it: calls as a JSON array, text as a JSON string. */
function answerValue(answer: Answer | null): unknown {
  if (!answer) return null;
  return answer.kind === "calls" ? answer.calls : answer.text;
}
