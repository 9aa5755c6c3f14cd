// Writes samples' new states, each all or nothing, in ONE statement (one round trip: at hundreds of samples a second
// the round trips and statements are the cost, so a run writes the samples that finished together in one): their
// verdicts, their revisions, their new states, each with a version check, plus whatever marks the work as done (a
// run's sample marks, a review task). A mark is locked first and must still be open, so a sample that two workers
// processed (a job handed out again after a crash or an expiry) is written exactly once.
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
 * What a write is gated on and what it finishes, per sample: `gate` is a locking SELECT of the `sample_id`s whose
 * mark is still open (a sample whose id it does not return gets nothing written), `finish` a data-modifying
 * statement run either way (it can read `input`, `gate` and `updated`). `$1` is the run id, `$2` the samples, `$3`
 * their ids; their own parameters are numbered from $4, and each sample's own values for them are its `mark` (JSON).
 */
interface WriteMark {
  /** The statement's name: PostgreSQL plans it once per connection, not on every write (it is a long one). */
  name: string;
  gate: string;
  finish?: string;
  params: unknown[];
}

// `input`: one row per sample — its id, expected version, new status (null keeps it), answer and CoT, verdicts and
// revisions, status summary, follow-up (and whether to write it), and its mark's values. Rows are matched by sample
// id: a write never holds one sample twice (writeSamples checks).
// Each piece of JSON is parsed once: verdicts and marks as jsonb (their fields are read from the binary form, not by
// parsing the text again for each `->>`), revisions by json_to_recordset. What is stored as `json` (answers,
// follow-ups) stays json, so it keeps its key order.
// Every read of a large table is also bounded by `= ANY($3)` (the ids): the planner takes json_to_recordset for 100
// rows whatever it holds, and with the run's marks in its statistics it chose plans that read every mark of the run
// (or every mark in the table) for each statement, rescanning `input` per mark — a write's cost grew with the run's
// size and with the runs before it. Bounded by the ids, each table is read by its index for the write's own rows.
const writeStatement = (mark: WriteMark) => `
WITH input AS (
  SELECT * FROM json_to_recordset($2::json) AS i(n int, "sampleId" int, version int, status text, "answerKind" text, answer json, cot text,
    verdicts jsonb, revisions json, "stageOutcomes" text[], "decidedBy" text, "statusStage" smallint, "statusCode" text, "statusReason" text,
    "followUp" json, "writeFollowUp" boolean, mark jsonb)
), gate AS (${mark.gate}
), locked AS (
  -- The samples, locked in id order before they are updated: another statement updating several of them (a bulk
  -- action, another write) waits rather than deadlocks.
  SELECT id FROM samples WHERE id = ANY($3::int[]) AND id IN (SELECT sample_id FROM gate) ORDER BY id FOR UPDATE
), updated AS (
  UPDATE samples s SET status = coalesce(i.status::"SampleStatus", s.status), answer_kind = i."answerKind"::"AnswerKind", answer = i.answer,
    cot = i.cot, version = s.version + greatest(1, json_array_length(i.revisions)), stage_outcomes = i."stageOutcomes",
    decided_by = i."decidedBy", status_stage = i."statusStage", status_code = i."statusCode", status_reason = i."statusReason", updated_at = now(),
    follow_up = CASE WHEN i."writeFollowUp" THEN i."followUp" ELSE s.follow_up END,
    turns = CASE WHEN i."writeFollowUp" THEN 1 + (SELECT count(*) FROM json_array_elements(coalesce(i."followUp", '[]')) m WHERE m->>'role' = 'assistant')
      ELSE s.turns END
  FROM input i
  WHERE s.id = ANY($3::int[]) AND s.id = i."sampleId" AND s.version = i.version AND s.id IN (SELECT id FROM locked) RETURNING s.id, s.version
), verdicts AS (
  INSERT INTO stage_verdicts (sample_id, run_id, stage, turn, outcome, reason, evidence, decided_by, member_of, attempt, prompt_version,
    prompt_tokens, cached_tokens, completion_tokens, latency_ms)
  SELECT i."sampleId", $1::int, v.stage, coalesce(v.turn, 1), v.outcome::"VerdictOutcome", v.reason, v.evidence, v."decidedBy", v."memberOf", v.attempt,
    v."promptVersion", v."promptTokens", v."cachedTokens", v."completionTokens", v."latencyMs"
  FROM input i JOIN updated u ON u.id = i."sampleId",
    jsonb_to_recordset(i.verdicts) AS v(stage smallint, turn smallint, outcome text, reason text, evidence jsonb, "decidedBy" text,
    "memberOf" text, attempt smallint, "promptVersion" text, "promptTokens" int, "cachedTokens" int, "completionTokens" int, "latencyMs" int)
), revisions AS (
  INSERT INTO sample_revisions (sample_id, run_id, version, answer_kind_before, answer_before, answer_kind_after,
    answer_after, cot_before, cot_after, turn, follow_up_before, follow_up_after, reason, author)
  SELECT i."sampleId", $1::int, i.version + r.n::int, r."kindBefore"::"AnswerKind", r."answerBefore", r."kindAfter"::"AnswerKind", r."answerAfter",
    r."cotBefore", r."cotAfter", coalesce(r.turn, 1), r."followUpBefore", r."followUpAfter", r.reason, r.author
  FROM input i JOIN updated u ON u.id = i."sampleId",
    ROWS FROM (json_to_recordset(i.revisions) AS ("kindBefore" text, "answerBefore" json, "kindAfter" text, "answerAfter" json, "cotBefore" text,
    "cotAfter" text, turn smallint, "followUpBefore" json, "followUpAfter" json, reason text, author text)) WITH ORDINALITY
    AS r("kindBefore", "answerBefore", "kindAfter", "answerAfter", "cotBefore", "cotAfter", turn, "followUpBefore", "followUpAfter", reason, author, n)
)${mark.finish ? `, finished AS (\n  ${mark.finish}\n)` : ""}
SELECT i."sampleId" AS "sampleId", i."sampleId" IN (SELECT sample_id FROM gate) AS gated, u.version
FROM input i LEFT JOIN updated u ON u.id = i."sampleId" ORDER BY i.n`;

/** What one sample's write did: `gated` false when its mark was already finished; `version` null when not written. */
interface WriteResult {
  gated: boolean;
  version: number | null;
}

/**
 * Writes each change whose sample is still at its version and whose mark `mark`'s gate holds, all in one statement
 * (`marks[i]`: change i's values for the mark's parameters). Results in the changes' order.
 */
async function writeSamples(changes: readonly SampleWrite[], mark: WriteMark, marks: readonly unknown[] = []): Promise<WriteResult[]> {
  if (new Set(changes.map((c) => c.sampleId)).size !== changes.length) throw new Error("writeSamples: a sample twice in one write");
  const pool = await getPool();
  const input = changes.map((change, n) => {
    const { answer, cot, followUp } = change.sample;
    const { summary } = change;
    return {
      n,
      sampleId: change.sampleId,
      version: change.version,
      status: change.status,
      answerKind: answer?.kind ?? null,
      answer: answer ? answerValue(answer) : null,
      cot,
      verdicts: change.verdicts,
      revisions: change.revisions.map(revisionRow),
      stageOutcomes: summary.stageOutcomes,
      decidedBy: summary.decidedBy,
      statusStage: summary.statusStage,
      statusCode: summary.statusCode,
      statusReason: summary.statusReason,
      followUp: followUp?.length ? followUp : null,
      writeFollowUp: followUp !== undefined,
      mark: marks[n] ?? null,
    };
  });
  const runIds = new Set(changes.map((c) => c.runId));
  if (runIds.size > 1) throw new Error("writeSamples: changes of several runs in one write");
  const { rows } = await pool.query<{ sampleId: number } & WriteResult>({ name: mark.name, text: writeStatement(mark) }, [
    changes[0]?.runId ?? null,
    JSON.stringify(input),
    changes.map((c) => c.sampleId),
    ...mark.params,
  ]);
  return rows.map(({ gated, version }) => ({ gated, version }));
}

/** A revision as its row: a revision's version is the sample's version after it (version + 1, + 2, …). */
function revisionRow(r: Revision) {
  return {
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
  };
}

/** The outcome of a sample edited since the run took it in: no LLM call; storeOutcomes keeps the edit, records a conflict. */
export function editedDuringRun(sample: RefineOutcome["sample"]): RefineOutcome {
  return { result: "pending", reason: "edited during the run", sample, verdicts: [], revisions: [], regenerations: 0, tokens: { ...NO_TOKENS }, calls: 0 };
}

/** One sample's outcome in a run, from the version it was refined at. */
export interface RunSampleOutcome {
  sampleId: number;
  version: number;
  outcome: RefineOutcome;
}

const RUN_SAMPLE_MARK: WriteMark = {
  name: "store-run-samples",
  // Locked in sample order: two writes holding some of the same samples (a job handed out twice) cannot deadlock.
  gate: `SELECT sample_id FROM pipeline_run_samples WHERE run_id = $1 AND sample_id = ANY($3::int[]) AND finished_at IS NULL
    ORDER BY sample_id FOR UPDATE`,
  finish: `UPDATE pipeline_run_samples m SET result = CASE WHEN u.id IS NOT NULL THEN i.mark->>'result' ELSE 'conflict' END,
    regenerations = (i.mark->>'regenerations')::int, prompt_tokens = (i.mark->>'prompt')::int, completion_tokens = (i.mark->>'completion')::int,
    pool = i.mark->>'pool', cached_tokens = (i.mark->>'cached')::int, llm_calls = (i.mark->>'calls')::int,
    stage_outcomes = CASE WHEN u.id IS NOT NULL THEN i."stageOutcomes" ELSE '{}' END, finished_at = now()
  FROM input i LEFT JOIN updated u ON u.id = i."sampleId"
  WHERE m.run_id = $1 AND m.sample_id = ANY($3::int[]) AND m.sample_id = i."sampleId" AND i."sampleId" IN (SELECT sample_id FROM gate)`,
  params: [],
};

/**
 * A run's outcomes for some of its samples, in one statement; finishes each sample's mark in the run (as a conflict
 * when its sample changed during the run). Exactly once per sample: a sample whose mark another worker finished
 * first gets nothing written ("already-finished"). Results in `outcomes`' order.
 */
export async function storeOutcomes(runId: number, outcomes: readonly RunSampleOutcome[]): Promise<StoredOutcome[]> {
  const changes = outcomes.map(({ sampleId, version, outcome }): SampleWrite => ({
    sampleId,
    version,
    status: outcome.result === "pending" ? null : outcome.result,
    sample: outcome.sample,
    verdicts: outcome.verdicts,
    revisions: outcome.revisions,
    summary: summarizeOutcome(outcome),
    runId,
  }));
  const marks = outcomes.map(({ outcome }) => ({
    result: outcome.result,
    regenerations: outcome.regenerations,
    prompt: outcome.tokens.prompt,
    completion: outcome.tokens.completion,
    cached: outcome.tokens.cached,
    pool: outcome.pool ?? null,
    calls: outcome.calls,
  }));
  const written = await writeSamples(changes, RUN_SAMPLE_MARK, marks);
  return written.map(({ gated, version }, i) => {
    if (!gated) return { written: false, result: "already-finished" };
    if (version === null) return { written: false, result: "conflict" };
    return { written: true, result: outcomes[i].outcome.result };
  });
}

/**
 * A review task's result (lib/review/task-handler.ts): written only while the task is `running`, and the task ends
 * `succeeded` with `message`, or `conflict` when the sample changed since the task was asked for.
 */
export async function storeTaskResult(taskId: number, change: SampleWrite, message: string): Promise<WriteResult> {
  const [written] = await writeSamples([change], {
    name: "store-task-result",
    gate: `SELECT i."sampleId" AS sample_id FROM sample_tasks t, input i WHERE t.id = $4 AND t.status = 'running' FOR UPDATE OF t`,
    finish: `UPDATE sample_tasks SET finished_at = now(),
    status = CASE WHEN EXISTS (SELECT 1 FROM updated) THEN 'succeeded' ELSE 'conflict' END,
    message = CASE WHEN EXISTS (SELECT 1 FROM updated) THEN $5 ELSE 'The sample changed since the task was asked for: nothing was written.' END
  WHERE id = $4 AND EXISTS (SELECT 1 FROM gate)`,
    params: [taskId, message],
  });
  return written;
}

/** A reviewer's edit (lib/review/edit.ts): gated on the version alone. */
export async function storeEdit(change: SampleWrite): Promise<number | null> {
  const [written] = await writeSamples([change], { name: "store-edit", gate: `SELECT "sampleId" AS sample_id FROM input`, params: [] });
  return written.version;
}

/** As import stores it: calls as a JSON array, text as a JSON string. */
function answerValue(answer: Answer | null): unknown {
  if (!answer) return null;
  return answer.kind === "calls" ? answer.calls : answer.text;
}
