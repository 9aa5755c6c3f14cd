// A reviewer's edit of a sample's answer and chain of thought. While they type, validateEdit runs the rule halves of
// the five stages (no judge) on the edited sample and says which fields fail; saveEdit refuses an edit the rules
// fail, and otherwise writes it as a revision by `human:<name>` with those rule verdicts, in one statement with
// the version check (lib/pipeline/store.ts storeEdit): an edit of a stale version writes nothing.
//
// An edited sample is `flagged`: the LLM judges have not seen the new version, so it needs a human decision again
// (approve it, or re-check all stages) and never counts as refined (passed/approved) by itself.
import { recordAudit } from "@/lib/audit/log";
import { z } from "zod";
import { getPool } from "@/lib/db/client";
import { bracketNesting } from "@/lib/formats/json-value";
import { MAX_NESTING } from "@/lib/formats/limits";
import { parseCallList } from "@/lib/pipeline/render";
import type { AttemptVerdict } from "@/lib/pipeline/run";
import { ruleVerdicts } from "@/lib/pipeline/rule-check";
import type { CallProblem } from "@/lib/pipeline/stages/call-check";
import { storeEdit } from "@/lib/pipeline/store";
import { stageOutcomesOf } from "@/lib/pipeline/summary";
import type { PipelineSample, Verdict } from "@/lib/pipeline/types";
import { toAnswer } from "@/lib/samples/export";
import { sampleChange, type SampleChange } from "@/lib/samples/queries";
import type { Answer, FollowUpMessage, Tool } from "@/lib/samples/types";

/** What the editor sends: the answer as text (calls in JSON or Python form; plain text for a text sample), and the CoT. */
export const EditSchema = z.object({
  answer: z
    .string({ error: "answer must be text (the calls as JSON or Python, or the text answer)" })
    .max(200_000, "answer is too long")
    // Refused before anything parses or checks it (those recurse once per level).
    .refine((text) => bracketNesting(text) <= MAX_NESTING, `answer nests lists, dicts or calls more than ${MAX_NESTING} levels deep; the limit is ${MAX_NESTING}`),
  cot: z.string({ error: "cot must be text" }).max(200_000, "cot is too long"),
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

/**
 * Runs every stage's rule half on the edited sample (all five, not stopping at the first failure, so the reviewer
 * sees every problem at once). `kind` is the sample's answer kind, which an edit keeps.
 */
export async function validateEdit(sample: Pick<PipelineSample, "query" | "tools" | "followUp">, kind: Answer["kind"], edit: EditInput): Promise<EditValidation> {
  const parsed = parseEditedAnswer(kind, edit.answer);
  if (!parsed.ok) {
    const failing: FailingVerdict[] = [{ stage: 5, outcome: "fail", reason: parsed.message, decidedBy: "rule:format", fields: ["answer"] }];
    return { ok: false, answer: null, verdicts: [], failing };
  }
  const edited: PipelineSample = { ...sample, answer: parsed.answer, cot: edit.cot.trim() || null };
  // Every turn is checked and its verdicts kept; the edit (of the first answer) is refused for its own failures only.
  const verdicts = await ruleVerdicts(edited);
  const failing = verdicts
    .filter((v): v is Verdict & { outcome: "fail" | "error" } => (v.turn ?? 1) === 1 && (v.outcome === "fail" || v.outcome === "error"))
    .flatMap((v) => failingOf(v, edited));
  return failing.length ? { ok: false, answer: parsed.answer, verdicts, failing } : { ok: true, answer: parsed.answer, verdicts };
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

/** What validating an edit of sample `id` needs: its query, tools and answer kind; null for an unknown sample. */
export async function editContext(id: number): Promise<{ sample: Pick<PipelineSample, "query" | "tools">; kind: Answer["kind"] } | null> {
  const pool = await getPool();
  const { rows } = await pool.query<{ query: string; tools: Tool[]; answer_kind: Answer["kind"] | null }>(
    `SELECT query, tools, answer_kind FROM samples WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  return row ? { sample: { query: row.query, tools: row.tools }, kind: row.answer_kind ?? "calls" } : null;
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

  const before = { answer: toAnswer(row.answer_kind, row.answer), cot: row.cot };
  const followUp = row.follow_up ?? undefined;
  const checked = await validateEdit({ query: row.query, tools: row.tools, followUp }, row.answer_kind ?? "calls", edit);
  if (!checked.ok) return { ok: false, kind: "invalid", message: "The rule stages fail the edit: fix it before saving.", failing: checked.failing };
  const after = { answer: checked.answer, cot: edit.cot.trim() || null };
  if (JSON.stringify(after) === JSON.stringify(before)) return { ok: false, kind: "invalid", message: "Nothing changed.", failing: [] };

  const name = author.replace(/^human:/, "");
  const verdicts: AttemptVerdict[] = checked.verdicts.map((v) => ({ ...v, attempt: row.last_attempt + 1 }));
  const version = await storeEdit({
    sampleId: target.sampleId,
    version: target.expectedVersion,
    status: "flagged",
    sample: after,
    verdicts,
    revisions: [{ before, after, reason: `${what} by ${name}.`, author }],
    summary: {
      stageOutcomes: stageOutcomesOf(verdicts, followUp !== undefined),
      decidedBy: "human",
      statusStage: null,
      statusCode: "human",
      statusReason: `${what} by ${name}: the rule stages pass; the LLM stages have not judged this version.`,
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
