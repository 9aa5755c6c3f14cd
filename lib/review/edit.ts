// A reviewer's edit of a sample's answer and chain of thought. While they type, validateEdit runs the rule halves of
// the five stages (no judge) on the edited sample and says which fields fail; saveEdit refuses an edit the rules
// fail, and otherwise writes it as a revision by `human:<name>` with those rule verdicts, in one statement with
// the version check (lib/pipeline/store.ts storeEdit): an edit of a stale version writes nothing.
//
// An edited sample is `flagged`: the LLM judges have not seen the new version, so it needs a human decision again
// (approve it, or re-check all stages) and never counts as refined (passed/approved) by itself.
import { recordAudit } from "@/lib/audit/log";
import { InvalidRequestError } from "@/lib/errors";
import { z } from "zod";
import { getPool } from "@/lib/db/client";
import { bracketNesting } from "@/lib/formats/json-value";
import { MAX_NESTING } from "@/lib/formats/limits";
import { parseCallList } from "@/lib/pipeline/render";
import type { AttemptVerdict } from "@/lib/pipeline/run";
import { ruleVerdicts } from "@/lib/pipeline/rule-check";
import { cutReason, replaceTurn, turnViews, type TurnReplacement } from "@/lib/pipeline/turns";
import type { CallProblem } from "@/lib/pipeline/stages/call-check";
import { storeEdit } from "@/lib/pipeline/store";
import { stageOutcomesOf } from "@/lib/pipeline/summary";
import type { PipelineSample, Verdict } from "@/lib/pipeline/types";
import { toAnswer } from "@/lib/samples/export";
import { sampleChange, type SampleChange } from "@/lib/samples/queries";
import type { Answer, FollowUpMessage, Tool } from "@/lib/samples/types";
import { turnSchema } from "@/lib/zod/schemas";

/** What the editor sends: the answer as text (calls in JSON or Python form; plain text for a text sample), and the CoT. */
export const EditSchema = z.object({
  answer: z
    .string({ error: "answer must be text (the calls as JSON or Python, or the text answer)" })
    .max(200_000, "answer is too long")
    // Refused before anything parses or checks it (those recurse once per level).
    .refine((text) => bracketNesting(text) <= MAX_NESTING, `answer nests lists, dicts or calls more than ${MAX_NESTING} levels deep; the limit is ${MAX_NESTING}`),
  cot: z.string({ error: "cot must be text" }).max(200_000, "cot is too long"),
  /** The assistant turn edited (1, the first answer, when absent). */
  turn: turnSchema.optional(),
});
export type EditInput = z.infer<typeof EditSchema>;

/** A part of the edit a failing verdict blames: "answer", "cot", or a call's name or argument ("calls[0].arguments.unit"). */
export type EditField = string;

export interface FailingVerdict {
  stage: number;
  outcome: "fail" | "error";
  reason: string;
  decidedBy: string;
  fields: EditField[];
}

export type EditValidation =
  | { ok: true; answer: Answer; verdicts: Verdict[] }
  | { ok: false; answer: Answer | null; verdicts: Verdict[]; failing: FailingVerdict[] };

/**
 * The edited answer: calls parsed from JSON or Python call syntax, or the text itself for a text sample — unless
 * that text now parses as a call list (a malformed call fixed in the editor): stage 1 reads it as calls, so it is
 * stored as calls.
 */
export function parseEditedAnswer(kind: Answer["kind"], text: string): { ok: true; answer: Answer } | { ok: false; message: string } {
  const parsed = parseCallList(text);
  if (kind === "text") {
    if (parsed.ok && parsed.calls.length > 0) return { ok: true, answer: { kind: "calls", calls: parsed.calls } };
    return { ok: true, answer: { kind: "text", text: text.trim() } };
  }
  if (!parsed.ok) return { ok: false, message: `The calls do not parse: ${parsed.error}.` };
  return { ok: true, answer: { kind: "calls", calls: parsed.calls } };
}

/** A turn's answer and CoT. */
type TurnContent = Pick<PipelineSample, "answer" | "cot">;

/** The answer and CoT of `turn` (1: the first answer), or null when the sample has no such turn. */
export function turnContent(sample: PipelineSample, turn: number): TurnContent | null {
  const view = turnViews(sample)[turn - 1];
  return view ? { answer: view.answer, cot: view.cot } : null;
}

/**
 * Runs every stage's rule half on the sample with `turn` edited (all five, not stopping at the first failure, so the
 * reviewer sees every problem at once); the edit is refused for the edited turn's failures only. `kind` is that
 * turn's answer kind, which an edit keeps.
 */
export async function validateEdit(
  current: Omit<PipelineSample, "answer" | "cot"> & Partial<TurnContent>,
  kind: Answer["kind"],
  edit: EditInput,
): Promise<EditValidation & { edited?: TurnReplacement }> {
  const sample: PipelineSample = { answer: null, cot: null, ...current };
  const parsed = parseEditedAnswer(kind, edit.answer);
  if (!parsed.ok) {
    const failing: FailingVerdict[] = [{ stage: 5, outcome: "fail", reason: parsed.message, decidedBy: "rule:format", fields: ["answer"] }];
    return { ok: false, answer: null, verdicts: [], failing };
  }
  const turn = edit.turn ?? 1;
  // The repair policy applies to an edit as to a regeneration: new calls end the conversation after the turn.
  const edited = replaceTurn(sample, turn, { answer: parsed.answer, cot: edit.cot.trim() || null })!;
  const verdicts = await ruleVerdicts(edited.sample);
  const view = turnViews(edited.sample)[turn - 1];
  const failing = verdicts
    .filter((v): v is Verdict & { outcome: "fail" | "error" } => (v.turn ?? 1) === turn && (v.outcome === "fail" || v.outcome === "error"))
    .flatMap((v) => failingOf(v, view));
  return failing.length ? { ok: false, answer: parsed.answer, verdicts, failing } : { ok: true, answer: parsed.answer, verdicts, edited };
}

/**
 * What the editor lists for a failing verdict, with the parts of the edit it blames (from its evidence). Stage 4's
 * rule names every problem in its evidence: each becomes its own entry, on its own argument.
 */
function failingOf(verdict: Verdict & { outcome: "fail" | "error" }, sample: PipelineSample): FailingVerdict[] {
  const calls = sample.answer?.kind === "calls" ? sample.answer.calls : [];
  const { evidence } = verdict;
  const entry = (reason: string, fields: EditField[]): FailingVerdict => ({ stage: verdict.stage, outcome: verdict.outcome, reason, decidedBy: verdict.decidedBy, fields });
  if (verdict.stage === 2 && Array.isArray(evidence.missing)) {
    const missing = new Set(evidence.missing);
    return [entry(verdict.reason, calls.flatMap((c, i) => (missing.has(c.name) ? [`calls[${i}].name`] : [])))];
  }
  if (verdict.stage === 3) return [entry(verdict.reason, ["cot"])];
  if (verdict.stage === 4 && Array.isArray(evidence.problems)) {
    return (evidence.problems as CallProblem[]).map((p) =>
      entry(p.message, [p.parameter === null ? `calls[${p.call}].name` : `calls[${p.call}].arguments.${p.parameter}`]),
    );
  }
  // Stage 5: a problem with the think block is the CoT's (a stray <think> in it), unless the answer holds the stray
  // tag (a malformed call answer); anything else is the answer's.
  if (verdict.stage === 5 && typeof evidence.problem === "string") {
    const answerHasThink = sample.answer?.kind === "text" && /<\/?think>/.test(sample.answer.text);
    return [entry(verdict.reason, [/think/.test(evidence.problem) && !answerHasThink ? "cot" : "answer"])];
  }
  return [entry(verdict.reason, ["answer"])];
}

/**
 * What validating an edit of `turn` of sample `id` needs: the sample and that turn's answer kind; null for an
 * unknown sample. A turn the sample does not have is a bad request.
 */
export async function editContext(id: number, turn = 1): Promise<{ sample: PipelineSample; kind: Answer["kind"] } | null> {
  const pool = await getPool();
  const { rows } = await pool.query<EditedRow>(`SELECT query, tools, answer_kind, answer, cot, follow_up FROM samples WHERE id = $1`, [id]);
  if (!rows[0]) return null;
  const sample = pipelineSample(rows[0]);
  const content = turnContent(sample, turn);
  if (!content) throw new InvalidRequestError(`sample ${id} has no turn ${turn}`);
  return { sample, kind: content.answer?.kind ?? "calls" };
}

function pipelineSample(row: Pick<EditedRow, "query" | "tools" | "answer_kind" | "answer" | "cot" | "follow_up">): PipelineSample {
  return {
    query: row.query,
    tools: row.tools,
    answer: toAnswer(row.answer_kind, row.answer),
    cot: row.cot,
    ...(row.follow_up ? { followUp: row.follow_up } : {}),
  };
}

export type SaveEditResult =
  | { ok: true; version: number }
  | { ok: false; kind: "conflict"; current: SampleChange }
  | { ok: false; kind: "not-found" }
  | { ok: false; kind: "invalid"; message: string; failing: FailingVerdict[] };

interface EditedRow {
  query: string;
  tools: Tool[];
  answer_kind: Answer["kind"] | null;
  answer: unknown;
  cot: string | null;
  follow_up: FollowUpMessage[] | null;
  version: number;
  last_attempt: number;
}

/**
 * Saves an edit made on `expectedVersion` by `author` (`human:<name>`), if the rule stages pass it. `what` names the
 * change in the revision and the audit log ("Edited", or "Reverted to v3" for a revert: lib/review/revert.ts).
 */
export async function saveEdit(
  target: { sampleId: number; expectedVersion: number },
  edit: EditInput,
  author: string,
  what = "Edited",
): Promise<SaveEditResult> {
  const pool = await getPool();
  const { rows } = await pool.query<EditedRow>(
    `SELECT s.query, s.tools, s.answer_kind, s.answer, s.cot, s.follow_up, s.version,
       coalesce((SELECT max(attempt) FROM stage_verdicts WHERE sample_id = s.id), 0)::int AS last_attempt
     FROM samples s WHERE s.id = $1`,
    [target.sampleId],
  );
  const row = rows[0];
  if (!row) return { ok: false, kind: "not-found" };
  const conflict = async (): Promise<SaveEditResult> => {
    const current = await sampleChange(target.sampleId);
    return current ? { ok: false, kind: "conflict", current } : { ok: false, kind: "not-found" };
  };
  if (row.version !== target.expectedVersion) return conflict();

  const sample = pipelineSample(row);
  const turn = edit.turn ?? 1;
  const before = turnContent(sample, turn);
  if (!before) return { ok: false, kind: "invalid", message: `The sample has no turn ${turn}.`, failing: [] };
  const checked = await validateEdit(sample, before.answer?.kind ?? "calls", edit);
  if (!checked.ok) return { ok: false, kind: "invalid", message: "The rule stages fail the edit: fix it before saving.", failing: checked.failing };
  const after = { answer: checked.answer, cot: edit.cot.trim() || null };
  if (JSON.stringify(after) === JSON.stringify(before)) return { ok: false, kind: "invalid", message: "Nothing changed.", failing: [] };

  const { sample: edited, cut } = checked.edited!;
  const name = author.replace(/^human:/, "");
  const reason = `${what}${turn > 1 ? ` turn ${turn}` : ""} by ${name}.${cut ? cutReason(cut, turn) : ""}`;
  const verdicts: AttemptVerdict[] = checked.verdicts.map((v) => ({ ...v, attempt: row.last_attempt + 1 }));
  const version = await storeEdit({
    sampleId: target.sampleId,
    version: target.expectedVersion,
    status: "flagged",
    sample: { answer: edited.answer, cot: edited.cot, ...(sample.followUp ? { followUp: edited.followUp ?? [] } : {}) },
    verdicts,
    revisions: [{ before, after, reason, author, turn, ...(cut ? { followUp: cut } : {}) }],
    summary: {
      stageOutcomes: stageOutcomesOf(verdicts, sample.followUp !== undefined),
      decidedBy: "human",
      statusStage: null,
      statusCode: "human",
      statusReason: `${what}${turn > 1 ? ` turn ${turn}` : ""} by ${name}: the rule stages pass; the LLM stages have not judged this version.`,
    },
    runId: null,
  });
  if (version === null) return conflict();
  await recordAudit({
    actor: author,
    action: "sample.edit",
    target: { type: "sample", id: target.sampleId },
    summary: `${what === "Edited" ? "Edited sample" : `${what}: sample`} ${target.sampleId} (version ${target.expectedVersion} → ${version})`,
    before,
    after,
  });
  return { ok: true, version };
}
