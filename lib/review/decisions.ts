// Human decisions: approve, discard, restore. A person has the last word over the LLM judges (pipeline.md), so any
// status can be approved or discarded; restore sends a discarded sample back to review (as `flagged`, which the
// queue hands out). A person does not override the rules: approving is refused while a rule stage fails the
// sample's current version (lib/pipeline/rule-check.ts), and the decision then writes only that very version.
// Every decision is one statement: the sample's new state (status, who decided and why, the claim cleared, the
// version bumped), its `review_decisions` row, with the LLM judge's view at that moment and the dataset's guidelines
// version in force (lib/guidelines/), and its audit-log entry.
import { getPool } from "@/lib/db/client";
import { bulkProgressSql } from "./bulk-jobs";
import { STATE_BEFORE_SQL, guidelinesVersionSql, judgeOutcomesSql } from "./decision-sql";
import { castVote, isQueueStatus, type RoundState, type VoteAction } from "./overlap";
import { describeRuleFailures, ruleFailures } from "@/lib/pipeline/rule-check";
import { STAGE_ID_MESSAGE, isStageId } from "@/lib/pipeline/stage-registry";
import { toAnswer } from "@/lib/samples/export";
import type { Answer, FollowUpMessage, SampleStatus, Tool } from "@/lib/samples/types";
import { InvalidRequestError } from "@/lib/errors";

export type DecisionAction = "approve" | "discard" | "restore";

export interface DecisionInput {
  action: DecisionAction;
  /** `human:<name>` (lib/auth/current-user.ts humanAuthor). */
  author: string;
  /** Required for discard and restore. */
  reason?: string;
  /** discard: the stage the reviewer blames, if any. */
  stage?: number;
}

export type DecideOneResult =
  | { ok: true; version: number; status: SampleStatus; decisionId: string; round?: { votes: number; k: number; state: RoundState } }
  | { ok: false; kind: "conflict"; current: { version: number; status: SampleStatus; updatedAt: Date } }
  | { ok: false; kind: "not-found" }
  | { ok: false; kind: "invalid"; message: string };

export interface DecideManyResult {
  decided: number;
  failures: { sampleId: number; message: string }[];
}

const TARGET_STATUS: Record<DecisionAction, SampleStatus> = { approve: "approved", discard: "discarded", restore: "flagged" };

/**
 * Why a decision cannot apply to a sample in this status (null when it can), said after "Sample N". Approving puts a
 * sample in the refined set, so one without a reference answer cannot be approved: it would train on nothing.
 */
export function decisionRefusal(action: DecisionAction, status: SampleStatus, hasAnswer: boolean): string | null {
  if (action === "approve" && status === "approved") return "is already approved";
  if (action === "approve" && !hasAnswer) return "has no answer yet: regenerate or edit it before approving";
  if (action === "discard" && status === "discarded") return "is already discarded";
  if (action === "restore" && status !== "discarded") return `is not discarded (it is ${status})`;
  return null;
}

/** Checks the input itself; null when fine. */
export function invalidDecision(input: DecisionInput): string | null {
  if (!/^human:\S/.test(input.author)) return "author must be human:<name>";
  if ((input.action === "discard" || input.action === "restore") && !input.reason?.trim()) return `a reason is required to ${input.action}`;
  if (input.stage !== undefined && (input.action !== "discard" || !isStageId(input.stage))) {
    return `stage ${STAGE_ID_MESSAGE}, and only for discard`;
  }
  return null;
}

function statusReason(input: DecisionInput): string {
  const who = input.author.replace(/^human:/, "");
  const verb = { approve: "Approved", discard: "Discarded", restore: "Restored to review" }[input.action];
  return input.reason?.trim() ? `${verb} by ${who}: ${input.reason.trim()}` : `${verb} by ${who}`;
}

// $1 ids, $2 expected versions (null = any), $3 action, $4 target status, $5 author, $6 reason, $7 stage,
// $8 status reason, $9 the bulk job it is part of (null: none), $10 its kind (adjudication, or null). Locks the rows, keeps those whose version and status
// allow the decision, writes them, their decision rows and audit entries, and counts them on the bulk job; returns
// the new state of each written sample.
const DECIDE = `
WITH wanted AS (
  SELECT w.id, w.expected FROM unnest($1::int[], $2::int[]) AS w(id, expected)
), locked AS (
  SELECT s.id, s.status, s.version,
    ${STATE_BEFORE_SQL} AS state_before
  FROM samples s JOIN wanted w ON w.id = s.id
  WHERE (w.expected IS NULL OR s.version = w.expected)
    AND CASE $3 WHEN 'approve' THEN s.status <> 'approved' AND s.answer_kind IS NOT NULL WHEN 'discard' THEN s.status <> 'discarded' ELSE s.status = 'discarded' END
  ORDER BY s.id FOR UPDATE OF s
), updated AS (
  UPDATE samples s SET status = $4::"SampleStatus", decided_by = 'human', status_code = 'human', status_stage = $7,
    status_reason = $8, claimed_by = NULL, claimed_until = NULL, version = s.version + 1, updated_at = now()
  FROM locked WHERE s.id = locked.id
  RETURNING s.id, s.version, locked.status AS status_before, locked.state_before, ${guidelinesVersionSql("s.id")} AS guidelines_version
), decisions AS (
  INSERT INTO review_decisions (sample_id, action, author, reason, stage, status_before, status_after, version, judge_outcomes, state_before, bulk_job_id, kind, guidelines_version)
  SELECT u.id, $3, $5, $6, $7, u.status_before, $4::"SampleStatus", u.version,
    ${judgeOutcomesSql("u.id")},
    u.state_before, $9, $10, u.guidelines_version
  FROM updated u
  RETURNING id, sample_id
), audit AS (
  INSERT INTO audit_log (actor, action, target_type, target_id, summary, before, after, bulk_job_id)
  SELECT $5, 'decision.' || $3, 'sample', u.id::text, $8,
    jsonb_build_object('status', u.status_before, 'version', u.version - 1), jsonb_strip_nulls(jsonb_build_object('status', $4, 'version', u.version, 'guidelinesVersion', u.guidelines_version)), $9
  FROM updated u
), progress AS (
  ${bulkProgressSql("$9::int", "(SELECT count(*) FROM updated)")}
)
SELECT u.id, u.version, d.id::text AS decision_id FROM updated u JOIN decisions d ON d.sample_id = u.id`;

/** The decisions written: sample id → its new version and the decision's id. */
async function decide(
  ids: number[],
  expected: (number | null)[],
  input: DecisionInput,
  bulkJobId?: number,
  kind: "adjudication" | null = null,
): Promise<Map<number, { version: number; decisionId: string }>> {
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number; version: number; decision_id: string }>(DECIDE, [
    ids,
    expected,
    input.action,
    TARGET_STATUS[input.action],
    input.author,
    input.reason?.trim() || null,
    input.stage ?? null,
    statusReason(input),
    bulkJobId ?? null,
    kind,
  ]);
  return new Map(rows.map((r) => [r.id, { version: r.version, decisionId: r.decision_id }]));
}

/**
 * One decision on the version the reviewer saw; a sample changed since then is a conflict and stays untouched. On a
 * queue sample of a dataset with several reviews per sample it is the reviewer's vote (lib/review/overlap.ts), and
 * once the k votes are in only someone who may adjudicate decides it.
 */
export async function decideOne(
  target: { sampleId: number; expectedVersion: number },
  input: DecisionInput,
  { canAdjudicate = false }: { canAdjudicate?: boolean } = {},
): Promise<DecideOneResult> {
  const invalid = invalidDecision(input);
  if (invalid) return { ok: false, kind: "invalid", message: invalid };
  if (input.action === "approve") {
    const checked = await checkForApproval([target.sampleId], new Map([[target.sampleId, target.expectedVersion]]));
    const refusal = checked.get(target.sampleId)?.refusal;
    if (refusal) return { ok: false, kind: "invalid", message: `Sample ${target.sampleId} ${refusal}.` };
  }
  const review = await reviewKind(target.sampleId, input.action);
  if (review === "vote") {
    const voted = await castVote(target, { ...input, action: input.action as VoteAction });
    if (voted.ok || voted.kind === "invalid") return voted;
  } else if (review === "adjudication" && !canAdjudicate) {
    return { ok: false, kind: "invalid", message: `Sample ${target.sampleId} has all its reviews and waits for adjudication (someone who may adjudicate decides it).` };
  } else {
    const written = (await decide([target.sampleId], [target.expectedVersion], input, undefined, review === "adjudication" ? "adjudication" : null)).get(target.sampleId);
    if (written) return { ok: true, ...written, status: TARGET_STATUS[input.action] };
  }
  const pool = await getPool();
  const { rows } = await pool.query<{ version: number; status: SampleStatus; updated_at: Date; has_answer: boolean }>(
    `SELECT version, status, updated_at, answer_kind IS NOT NULL AS has_answer FROM samples WHERE id = $1`,
    [target.sampleId],
  );
  const current = rows[0];
  if (!current) return { ok: false, kind: "not-found" };
  if (current.version !== target.expectedVersion) {
    return { ok: false, kind: "conflict", current: { version: current.version, status: current.status, updatedAt: current.updated_at } };
  }
  const refusal = decisionRefusal(input.action, current.status, current.has_answer);
  return { ok: false, kind: "invalid", message: `Sample ${target.sampleId} ${refusal ?? `is ${current.status}`}.` };
}

/**
 * What a decision on the sample is: a vote (a queue sample of a dataset with several reviews per sample, its round
 * open), an adjudication (its k votes are in), or a decision on its own (null).
 */
async function reviewKind(sampleId: number, action: DecisionAction): Promise<"vote" | "adjudication" | null> {
  if (action === "restore") return null;
  const pool = await getPool();
  const { rows } = await pool.query<{ status: SampleStatus; k: number; votes: string }>(
    `SELECT s.status, d.reviews_per_sample AS k,
       (SELECT count(*) FROM review_votes v WHERE v.sample_id = s.id AND v.action IS NOT NULL AND v.version = s.version) AS votes
     FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE s.id = $1`,
    [sampleId],
  );
  const sample = rows[0];
  if (!sample || sample.k <= 1 || !isQueueStatus(sample.status)) return null;
  return Number(sample.votes) >= sample.k ? "adjudication" : "vote";
}

/**
 * The same decision on many samples (a selection or a whole filter), in batches; says why each skipped one was.
 * `expectedVersions`: the versions a selection was loaded at — a sample changed since is left alone (checked under
 * the row lock, like decideOne). `bulkJobId`: the bulk job the decisions are part of (lib/review/bulk-jobs.ts).
 */
export async function decideMany(
  sampleIds: readonly number[],
  input: DecisionInput,
  { batchSize = 5_000, expectedVersions, bulkJobId }: { batchSize?: number; expectedVersions?: ReadonlyMap<number, number>; bulkJobId?: number } = {},
): Promise<DecideManyResult> {
  const invalid = invalidDecision(input);
  if (invalid) throw new InvalidRequestError(invalid);
  const ids = [...new Set(sampleIds)];
  const result: DecideManyResult = { decided: 0, failures: [] };
  for (let i = 0; i < ids.length; i += batchSize) {
    let batch = ids.slice(i, i + batchSize);
    let expected = batch.map((id) => expectedVersions?.get(id) ?? null);
    if (input.action === "approve") {
      // Each sample is approved at the version its rules were checked on (or not at all).
      const checked = await checkForApproval(batch, expectedVersions);
      for (const [sampleId, { refusal }] of checked) if (refusal) result.failures.push({ sampleId, message: refusal });
      batch = batch.filter((id) => !checked.get(id)?.refusal);
      expected = batch.map((id) => expectedVersions?.get(id) ?? checked.get(id)?.version ?? null);
    }
    const written = await decide(batch, expected, input, bulkJobId);
    result.decided += written.size;
    const missed = batch.filter((id) => !written.has(id));
    if (missed.length > 0) result.failures.push(...(await explainMissed(missed, input.action, expectedVersions)));
  }
  return result;
}

interface ApprovalRow {
  id: number;
  version: number;
  status: SampleStatus;
  query: string;
  tools: Tool[];
  answer_kind: Answer["kind"] | null;
  answer: unknown;
  cot: string | null;
  follow_up: FollowUpMessage[] | null;
}

/**
 * Before approving: reads the samples and runs the rule stages on each one's current version. Per sample read, the
 * version checked (approve at that version, or not at all) and why the rules refuse it (null when they pass it, or
 * when the decision refuses it anyway: loaded at another version, already approved, no answer — said by the decision).
 */
async function checkForApproval(ids: number[], loaded?: ReadonlyMap<number, number>): Promise<Map<number, { version: number; refusal: string | null }>> {
  const pool = await getPool();
  const { rows } = await pool.query<ApprovalRow>(
    `SELECT id, version, status, query, tools, answer_kind, answer, cot, follow_up FROM samples WHERE id = ANY($1::int[]) ORDER BY id`,
    [ids],
  );
  const checked = new Map<number, { version: number; refusal: string | null }>();
  for (const row of rows) {
    const answer = toAnswer(row.answer_kind, row.answer);
    const stale = (loaded?.get(row.id) ?? row.version) !== row.version;
    const refusedAnyway = stale || decisionRefusal("approve", row.status, answer !== null) !== null;
    const failures = refusedAnyway ? [] : await ruleFailures({ query: row.query, tools: row.tools, answer, cot: row.cot, followUp: row.follow_up ?? undefined });
    checked.set(row.id, { version: row.version, refusal: failures.length ? describeRuleFailures(failures) : null });
  }
  return checked;
}

async function explainMissed(ids: number[], action: DecisionAction, expected?: ReadonlyMap<number, number>): Promise<DecideManyResult["failures"]> {
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number; status: SampleStatus; version: number; has_answer: boolean }>(
    `SELECT id, status, version, answer_kind IS NOT NULL AS has_answer FROM samples WHERE id = ANY($1::int[])`,
    [ids],
  );
  const current = new Map(rows.map((r) => [r.id, r]));
  return ids.map((sampleId) => {
    const s = current.get(sampleId);
    if (!s) return { sampleId, message: "no such sample" };
    const loaded = expected?.get(sampleId);
    if (loaded !== undefined && loaded !== s.version) return { sampleId, message: `changed since you loaded it (now ${s.status})` };
    return { sampleId, message: decisionRefusal(action, s.status, s.has_answer) ?? `changed while deciding (${s.status})` };
  });
}
