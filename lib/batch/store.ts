// A batch run's request store (table batch_requests): every request its passes asked for, by custom_id, with the
// batch it last went in and the last answer. Tokens are summed over attempts, as the live client sums them.
import "server-only";
import { getPool } from "@/lib/db/client";
import type { TokenUsage } from "@/lib/llm/client";
import { MISSING_ANSWER, type BatchAnswer, type BatchRequest } from "./requests";

export interface StoredRequest {
  state: "pending" | "sent" | "answered";
  answer: BatchAnswer | null;
  /** Answers received so far (each one an attempt, as a live retry is). */
  attempts: number;
  tokens: TokenUsage;
}

export async function loadRequests(runId: number): Promise<Map<string, StoredRequest>> {
  const { rows } = await (await getPool()).query(
    `SELECT custom_id, state, answer, attempts, prompt_tokens, cached_tokens, completion_tokens FROM batch_requests WHERE run_id = $1`,
    [runId],
  );
  return new Map(
    rows.map((r) => [r.custom_id, { state: r.state, answer: r.answer, attempts: r.attempts, tokens: { prompt: r.prompt_tokens, cached: r.cached_tokens, completion: r.completion_tokens } }]),
  );
}

/** The batches this run's requests are waiting on. */
export async function inFlightBatches(runId: number): Promise<string[]> {
  const { rows } = await (await getPool()).query<{ batch_id: string }>(
    `SELECT DISTINCT batch_id FROM batch_requests WHERE run_id = $1 AND state = 'sent' ORDER BY batch_id`,
    [runId],
  );
  return rows.map((r) => r.batch_id);
}

/** Records that these requests went in `batchId`: new ones, and answered ones asked again (a retry). */
export async function markSent(runId: number, requests: readonly BatchRequest[], batchId: string): Promise<void> {
  await (await getPool()).query(
    `INSERT INTO batch_requests (run_id, custom_id, body, state, batch_id)
     SELECT $1, r->>'customId', r->'body', 'sent', $3 FROM json_array_elements($2::json) r
     ON CONFLICT (run_id, custom_id) DO UPDATE SET state = 'sent', batch_id = $3, updated_at = now()`,
    [runId, JSON.stringify(requests), batchId],
  );
}

/**
 * Applies a finished batch's results to the requests it held, in one statement: each gets its answer, or
 * MISSING_ANSWER when the files have none it can read (expired, cancelled, a malformed line), as one more attempt.
 */
export async function recordAnswers(runId: number, batchId: string, answers: ReadonlyMap<string, BatchAnswer>): Promise<number> {
  const pool = await getPool();
  const { rows } = await pool.query<{ custom_id: string }>(`SELECT custom_id FROM batch_requests WHERE run_id = $1 AND batch_id = $2 AND state = 'sent'`, [runId, batchId]);
  const updates = rows.map(({ custom_id }) => {
    const answer = answers.get(custom_id) ?? MISSING_ANSWER;
    return { customId: custom_id, answer, ...usageOf(answer) };
  });
  await pool.query(
    `UPDATE batch_requests b SET state = 'answered', answer = u->'answer', attempts = b.attempts + 1,
       prompt_tokens = b.prompt_tokens + (u->>'prompt')::int, cached_tokens = b.cached_tokens + (u->>'cached')::int,
       completion_tokens = b.completion_tokens + (u->>'completion')::int, updated_at = now()
     FROM json_array_elements($3::json) u
     WHERE b.run_id = $1 AND b.batch_id = $2 AND b.state = 'sent' AND b.custom_id = u->>'customId'`,
    [runId, batchId, JSON.stringify(updates)],
  );
  return updates.length;
}

/** The answer's usage, as the live client reads it (lib/llm/client.ts readCompletion). */
function usageOf(answer: BatchAnswer): TokenUsage {
  type Usage = { prompt_tokens?: unknown; completion_tokens?: unknown; prompt_tokens_details?: { cached_tokens?: unknown } };
  const usage = "status" in answer && typeof answer.body === "object" && answer.body !== null ? (answer.body as { usage?: Usage }).usage : undefined;
  const count = (n: unknown) => (typeof n === "number" && Number.isFinite(n) ? n : 0);
  return { prompt: count(usage?.prompt_tokens), cached: count(usage?.prompt_tokens_details?.cached_tokens), completion: count(usage?.completion_tokens) };
}
