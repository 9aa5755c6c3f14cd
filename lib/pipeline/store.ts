// Writes one sample's pipeline outcome, all or nothing: its verdicts, its revisions, its new state, and the mark
// that finishes it in the run. The mark is taken first (row lock + "not finished yet"), so a sample that two
// workers processed (a job retried after a crash or an expiry) is written exactly once.
import type { PoolClient } from "pg";
import { getPool } from "@/lib/db/client";
import type { Answer } from "@/lib/samples/types";
import type { RefineOutcome } from "./run";

export interface StoredOutcome {
  written: boolean;
  /** "conflict" when the sample changed during the run (someone edited it): nothing of this run is written. */
  result: RefineOutcome["result"] | "conflict" | "already-finished";
}

export async function storeOutcome(runId: number, sampleId: number, version: number, outcome: RefineOutcome): Promise<StoredOutcome> {
  const pool = await getPool();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const mark = await client.query(
      `SELECT 1 FROM pipeline_run_samples WHERE run_id = $1 AND sample_id = $2 AND finished_at IS NULL FOR UPDATE`,
      [runId, sampleId],
    );
    if (mark.rowCount === 0) {
      await client.query("ROLLBACK");
      return { written: false, result: "already-finished" };
    }
    const { answer, cot } = outcome.sample;
    const changed = outcome.revisions.length > 0;
    const updated = await client.query(
      `UPDATE samples SET status = CASE WHEN $3 = 'pending' THEN status ELSE $3::"SampleStatus" END,
         answer_kind = $4, answer = $5, cot = $6, version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2 RETURNING version`,
      [sampleId, version, outcome.result, answer?.kind ?? null, storedAnswer(answer), cot],
    );
    if (updated.rowCount === 0) {
      await finishMark(client, runId, sampleId, "conflict", outcome);
      await client.query("COMMIT");
      return { written: false, result: "conflict" };
    }
    const newVersion: number = updated.rows[0].version;
    if (outcome.verdicts.length) {
      await client.query(
        `INSERT INTO stage_verdicts (sample_id, run_id, stage, outcome, reason, evidence, decided_by, attempt, prompt_version,
           prompt_tokens, completion_tokens, latency_ms)
         SELECT $1, $2, v.stage, v.outcome::"VerdictOutcome", v.reason, v.evidence, v."decidedBy", v.attempt, v."promptVersion",
           v."promptTokens", v."completionTokens", v."latencyMs"
         FROM json_to_recordset($3::json) AS v(stage smallint, outcome text, reason text, evidence jsonb, "decidedBy" text,
           attempt smallint, "promptVersion" text, "promptTokens" int, "completionTokens" int, "latencyMs" int)`,
        [sampleId, runId, JSON.stringify(outcome.verdicts)],
      );
    }
    if (changed) {
      const revisions = outcome.revisions.map((r, i) => ({
        version: newVersion - outcome.revisions.length + 1 + i,
        kindBefore: r.before.answer?.kind ?? null,
        answerBefore: answerValue(r.before.answer),
        kindAfter: r.after.answer?.kind ?? null,
        answerAfter: answerValue(r.after.answer),
        cotBefore: r.before.cot,
        cotAfter: r.after.cot,
        reason: r.reason,
        author: r.author,
      }));
      await client.query(
        `INSERT INTO sample_revisions (sample_id, run_id, version, answer_kind_before, answer_before, answer_kind_after,
           answer_after, cot_before, cot_after, reason, author)
         SELECT $1, $2, r.version, r."kindBefore"::"AnswerKind", r."answerBefore", r."kindAfter"::"AnswerKind", r."answerAfter",
           r."cotBefore", r."cotAfter", r.reason, r.author
         FROM json_to_recordset($3::json) AS r(version int, "kindBefore" text, "answerBefore" json, "kindAfter" text,
           "answerAfter" json, "cotBefore" text, "cotAfter" text, reason text, author text)`,
        [sampleId, runId, JSON.stringify(revisions)],
      );
    }
    await finishMark(client, runId, sampleId, outcome.result, outcome);
    await client.query("COMMIT");
    return { written: true, result: outcome.result };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function finishMark(client: PoolClient, runId: number, sampleId: number, result: string, outcome: RefineOutcome) {
  return client.query(
    `UPDATE pipeline_run_samples SET result = $3, regenerations = $4, prompt_tokens = $5, completion_tokens = $6,
       finished_at = now() WHERE run_id = $1 AND sample_id = $2`,
    [runId, sampleId, result, outcome.regenerations, outcome.tokens.prompt, outcome.tokens.completion],
  );
}

/** As import stores it: calls as a JSON array, text as a JSON string. */
function answerValue(answer: Answer | null): unknown {
  if (!answer) return null;
  return answer.kind === "calls" ? answer.calls : answer.text;
}

function storedAnswer(answer: Answer | null): string | null {
  return answer ? JSON.stringify(answerValue(answer)) : null;
}
