// The pipeline for one sample: walk the stages of stage-registry.ts in order, generate a CoT when there is none,
// and apply each stage's failure action (pipeline.md). Pure of storage: it returns what happened, and
// lib/pipeline/store.ts writes it in one transaction, so a crash mid-sample leaves nothing half-written.
//
// The walk, from the registry's data:
//   - stages before the one that saves text answers look at the sample as stored (stage 0: duplicates);
//   - a missing reference answer is written by the teacher right before the save-as-text stage (stage 1), and a
//     missing CoT right after it, for call samples only;
//   - a stage that does not check the answer runs once: a fail discards, an error flags;
//   - the stages that check the answer (`checksAnswer`, the registry's last ones: 3, 4, 5) run in order until one
//     fails; a fail regenerates the answer and they all run again on it — a "discard" stage among them (stage 3)
//     discards only the sample as it came, since after a regeneration its CoT came with the new answer;
//   - with the hard-data pool (the paper's v3, hard-pool.ts) a regenerating stage's fail instead asks the teacher
//     for K candidates at once, checks each with the same stages, and keeps the best one that passes.
import { NO_TOKENS, addTokens, type LlmClient, type TokenUsage } from "@/lib/llm/client";
import { regenerateAnswerV3, rejectedAnswer, splitThinkAnswer, teacherCotV2, validateTeacherAnswer } from "@/lib/llm/prompts";
import type { Answer, FollowUpMessage, ToolCall } from "@/lib/samples/types";
import { combinedJudging, countsCall } from "./combined";
import { candidateRevisionReason, pickCandidate, poolCandidate, type HardPoolOptions, type PoolResult } from "./hard-pool";
import type { JudgeMode } from "./judge-modes";
import { parseCallList } from "./render";
import { stageInfo, type StageId } from "./stage-registry";
import { STAGES, isTextSample, type AnyStage } from "./stages";
import { callsOf } from "./stages/common";
import { cutReason, replaceTurn, turnViews, type TurnReplacement } from "./turns";
import { deciding, stageOutcome, type PipelineSample, type StageContext, type Verdict } from "./types";

/** What the sample becomes: a sample status, or `pending` when a rules-only run leaves it for a full run. */
export type RefineResult = "passed" | "text" | "discarded" | "flagged" | "pending";

export interface AttemptVerdict extends Verdict {
  /** 1 for the sample as it came, 2.. for each regenerated answer. */
  attempt: number;
}

export interface Revision {
  /** The turn's answer and CoT before and after (turn 1: the sample's own). */
  before: Pick<PipelineSample, "answer" | "cot">;
  after: Pick<PipelineSample, "answer" | "cot">;
  reason: string;
  author: string;
  /** The assistant turn revised; 1 when absent. */
  turn?: number;
  /** A later turn's repair cut the conversation after it: the follow-up as it was, and as it is now. */
  followUp?: { before: FollowUpMessage[]; after: FollowUpMessage[] };
}

export interface RefineOutcome {
  result: RefineResult;
  /** One sentence: why the sample ended where it did. */
  reason: string;
  sample: PipelineSample;
  verdicts: AttemptVerdict[];
  revisions: Revision[];
  regenerations: number;
  tokens: TokenUsage;
  /** LLM requests made (judges, panel members, teacher; a retry is not another). */
  calls: number;
  /** Set when no single verdict explains the result: "regeneration-exhausted" | "generation-failed" | "hard-no-candidate". */
  code?: string;
  /** Set when the sample went through the hard-data pool: how it left it. */
  pool?: PoolResult;
}

export interface RefineOptions {
  /** "rules": no LLM at all (judges, CoT generation and regeneration are skipped). */
  stages: "rules" | "all";
  /** Judge client (the judged stages) and teacher client (CoT generation, regeneration); both null for rules. */
  judge: LlmClient | null;
  teacher: LlmClient | null;
  modelFor: StageContext["modelFor"];
  /** The judge panels the run gave some stages (full runs only). */
  panelFor?: StageContext["panelFor"];
  maxRegenerations: number;
  /** The v3 flow: a regenerating stage's fail goes to the hard-data pool (K candidates) instead of the regeneration loop. */
  hardPool?: HardPoolOptions | null;
  /** "combined": one judge call for stages 2–4 (combined.ts); "per-stage" (the default): one per stage. */
  judgeMode?: JudgeMode;
  /** Optional stages the run leaves out. */
  skipStages?: readonly StageId[];
  /** What dataset-wide stages prepared for this run (Stage.prepare); such a stage without it does not run. */
  prepared?: ReadonlyMap<StageId, unknown>;
  signal?: AbortSignal;
}

/** The stages a run with these options walks, in order. */
export function stagesToRun(options: Pick<RefineOptions, "skipStages" | "prepared">): AnyStage[] {
  return STAGES.filter((stage) => !options.skipStages?.includes(stage.id) && (!stage.prepare || options.prepared?.has(stage.id)));
}

/** A call sample without a CoT yet (a full run generates one): stages that read the CoT wait for it. */
export function waitsForCot(stage: AnyStage, sample: PipelineSample): boolean {
  return stageInfo(stage.id).looksAt.includes("cot") && !sample.cot?.trim() && callsOf(sample) !== null;
}

/**
 * Refines every assistant turn of the sample, in order (turns.ts): the first answer as a single-turn sample always
 * was, then each later turn with the conversation before it as its request. The sample ends as its worst turn: a
 * turn discarded or flagged stops the walk there and decides; any turn left pending leaves the sample pending; a
 * conversation whose every turn is plain text is a text sample, else it passed.
 *
 * The repair policy: a turn whose calls are regenerated (changed) invalidates what followed it — the tool results
 * answered calls that are no longer in the conversation, and the user's later messages answered those results —
 * so the conversation is cut after the repaired turn (its new calls end it, a valid training example of making
 * them), the cut messages kept in the revision. A regeneration that keeps the calls (a new CoT) cuts nothing.
 */
export async function refineSample(input: PipelineSample, options: RefineOptions): Promise<RefineOutcome> {
  const out = await refineTurn(input, options);
  if (out.revisions.length > 0) applyTurn(out, replaceTurn(input, 1, { answer: out.sample.answer, cot: out.sample.cot })!, 1);
  if (!out.sample.followUp?.length || out.result === "discarded" || out.result === "flagged") return out;
  // Why the sample stays pending: the first turn a rule stopped (regenerated in a full run), if any.
  const stopped: string[] = out.result === "pending" && out.reason !== RULES_PASSED ? [out.reason] : [];
  // Stages that look across the dataset (duplicates) judge the sample once, on its first exchange.
  const laterOptions = { ...options, skipStages: [...(options.skipStages ?? []), ...STAGES.filter((stage) => stage.prepare).map((stage) => stage.id)] };
  const results: RefineResult[] = [out.result];
  for (const view of turnViews(out.sample).slice(1)) {
    if (view.at === undefined || view.at >= (out.sample.followUp?.length ?? 0)) break;
    const { turn, at } = view;
    const turnOut = await refineTurn({ id: view.id, query: view.query, tools: view.tools, answer: view.answer, cot: view.cot }, laterOptions);
    out.verdicts.push(...turnOut.verdicts.map((v) => ({ ...v, turn })));
    addTokens(out.tokens, turnOut.tokens);
    out.calls += turnOut.calls;
    out.regenerations += turnOut.regenerations;
    if (turnOut.pool) out.pool = turnOut.pool;
    if (turnOut.revisions.length > 0) {
      out.revisions.push(...turnOut.revisions.map((revision) => ({ ...revision, turn })));
      applyTurn(out, replaceTurn(out.sample, turn, { answer: turnOut.sample.answer, cot: turnOut.sample.cot })!, turn);
    }
    results.push(turnOut.result);
    if (turnOut.result === "pending" && turnOut.reason !== RULES_PASSED) stopped.push(`Turn ${turn}, ${lowerFirst(turnOut.reason)}`);
    if (turnOut.result === "discarded" || turnOut.result === "flagged") {
      return Object.assign(out, { result: turnOut.result, reason: `Turn ${turn}, ${lowerFirst(turnOut.reason)}`, code: turnOut.code });
    }
  }
  const result: RefineResult = results.includes("pending") ? "pending" : results.every((r) => r === "text") ? "text" : "passed";
  const turns = results.length;
  const reason =
    result === "pending"
      ? (stopped[0] ?? "The rule checks passed on every turn; the LLM stages have not run.")
      : result === "text"
        ? `Every one of the ${turns} turns is plain text: saved as a text sample.`
        : `Passed all stages on each of the ${turns} turns.`;
  return Object.assign(out, { result, reason, code: undefined });
}

/** Takes a turn's replacement as the sample; a cut (the repair policy) goes on the turn's last revision. */
function applyTurn(out: RefineOutcome, replacement: TurnReplacement, turn: number): void {
  out.sample = replacement.sample;
  if (replacement.cut) recordCut(out.revisions.at(-1)!, replacement.cut, turn);
}

/** A revision that replaced a turn's calls: it says what the repair policy cut, and keeps it. */
export function recordCut(revision: Revision, cut: NonNullable<TurnReplacement["cut"]>, turn: number): void {
  revision.reason += cutReason(cut, turn);
  revision.followUp = cut;
}

const RULES_PASSED = "The rule checks passed; the LLM stages have not run.";

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The stage walk for one turn (the sample's first answer, or a later turn's view): see the header comment. */
async function refineTurn(input: PipelineSample, options: RefineOptions): Promise<RefineOutcome> {
  const full = options.stages === "all" && options.judge !== null && options.teacher !== null;
  const ctx: StageContext = { judge: full ? options.judge : null, panelFor: full ? options.panelFor : undefined, modelFor: options.modelFor, signal: options.signal };
  const plan = stagesToRun(options);
  const combined = full && options.judgeMode === "combined" ? combinedJudging(ctx, plan) : null;
  /** The context of the stages looking at `sample`: with the combined judge, its answers about that sample. */
  const ctxFor = (sample: PipelineSample): StageContext => (combined ? { ...ctx, combined: combined(sample) } : ctx);
  const out: RefineOutcome = {
    result: "passed",
    reason: "",
    sample: { ...input },
    verdicts: [],
    revisions: [],
    regenerations: 0,
    tokens: { ...NO_TOKENS },
    calls: 0,
  };
  const finish = (result: RefineResult, reason: string, code?: string) => Object.assign(out, { result, reason, code });
  let attempt = 1;

  const record = (verdicts: readonly Verdict[], at = attempt) => {
    for (const v of verdicts) {
      out.verdicts.push({ ...v, attempt: at });
      // An LLM verdict carries its tokens (a rule's or a panel's has none): each is one request, a combined call once.
      if (countsCall(v)) out.calls++;
      addTokens(out.tokens, { prompt: v.promptTokens, cached: v.cachedTokens, completion: v.completionTokens });
    }
  };
  const runStage = async (stage: AnyStage) => {
    const verdicts = await stage.run(out.sample, ctxFor(out.sample), options.prepared?.get(stage.id));
    record(verdicts);
    return { outcome: stageOutcome(verdicts), verdicts };
  };

  const answerChecks = plan.filter((stage) => stageInfo(stage.id).checksAnswer);
  for (const stage of plan.filter((s) => !stageInfo(s.id).checksAnswer)) {
    const info = stageInfo(stage.id);
    if (info.onFail !== "save-as-text") {
      const { outcome, verdicts } = await runStage(stage);
      if (outcome === "fail") return finish("discarded", `Stage ${stage.id}: ${lastReason(verdicts)}`);
      if (outcome === "error") return finish("flagged", `Stage ${stage.id}: ${lastReason(verdicts)}`);
      continue;
    }
    // No reference answer (BFCL without ground truth): the teacher writes one, with its CoT, before it is
    // classified; a rules-only run leaves the sample for a full run.
    if (!out.sample.answer) {
      if (!full) return finish("pending", "No reference answer yet: a full run generates one.");
      const generated = await teach(out, options, "teacher");
      if (!generated.ok) return finish("flagged", `Answer generation failed: ${generated.message}`, "generation-failed");
    }
    const classified = await runStage(stage);
    if (classified.outcome === "error") return finish("flagged", `Stage ${stage.id} could not tell whether the answer is a call.`);
    if (isTextSample(classified.verdicts)) return finish("text", "The reference answer is plain text: saved as a text sample.");
    // A text answer the judge read as a call list: the later stages look at calls only, so the calls become the answer.
    const decided = classified.verdicts.at(-1)!;
    if (out.sample.answer?.kind === "text" && Array.isArray(decided.evidence.calls)) {
      const answer: Answer = { kind: "calls", calls: decided.evidence.calls as ToolCall[] };
      out.revisions.push({
        before: { answer: out.sample.answer, cot: out.sample.cot },
        after: { answer, cot: out.sample.cot },
        reason: `Stage ${stage.id}: the text answer is a call list; it is stored as calls.`,
        author: decided.decidedBy,
      });
      out.sample = { ...out.sample, answer };
    }
    // Generate CoT (ours: xLAM has none) for call samples only: a text sample is saved as it is. The
    // classification does not look at the CoT, so it runs first. Rules-only runs leave the CoT for a full run.
    if (!out.sample.cot?.trim() && full) {
      const generated = await teach(out, options, "teacher");
      if (!generated.ok) return finish("flagged", `CoT generation failed: ${generated.message}`, "generation-failed");
    }
  }

  /** The answer-checking stages on `sample`, in order, up to the first that does not pass (or skip). */
  const checkAnswer = async (sample: PipelineSample) => {
    const verdicts: Verdict[] = [];
    for (const stage of answerChecks) {
      // Without a CoT (rules-only runs) a call list's training text would only lack its think block, which a full
      // run generates; a call answer that does not parse is checked anyway, so its own problem is reported.
      if (waitsForCot(stage, sample)) continue;
      const stageVerdicts = await stage.run(sample, ctxFor(sample), options.prepared?.get(stage.id));
      verdicts.push(...stageVerdicts);
      const outcome = stageOutcome(stageVerdicts);
      if (outcome === "fail" || outcome === "error") return { verdicts, outcome, stage, stageVerdicts };
    }
    return { verdicts, outcome: "pass" as const };
  };

  for (;;) {
    const check = await checkAnswer(out.sample);
    record(check.verdicts);
    if (check.outcome === "pass") {
      return full ? finish("passed", `Passed all ${plan.length} stages.`) : finish("pending", RULES_PASSED);
    }
    const { stage, stageVerdicts } = check;
    if (check.outcome === "error") return finish("flagged", `Stage ${stage.id}: ${lastReason(stageVerdicts)}`);
    const onFail = stageInfo(stage.id).onFail;
    if (onFail === "discard" && attempt === 1) return finish("discarded", `Stage ${stage.id}: ${lastReason(stageVerdicts)}`);
    const failing = deciding(stageVerdicts).filter((v) => v.outcome === "fail");
    if (!full) return finish("pending", `Stage ${failing[0].stage}: ${failing[0].reason} (regenerated in a full run)`);
    if (options.hardPool && onFail === "regenerate" && attempt === 1) return hardPool(failing, options.hardPool);
    if (!(await regenerate(failing))) return out;
  }

  /**
   * The hard-data pool: K candidates from one teacher request, each checked by the same stages, the best passing
   * one chosen (hard-pool.ts). Every candidate is kept as a revision with its verdicts, the chosen one last, so the
   * sample ends at it and its verdicts are the latest; none passing: the sample is dropped (or flagged when a judge
   * could not answer, since a judge's silence never discards).
   */
  async function hardPool(failing: Verdict[], pool: HardPoolOptions): Promise<RefineOutcome> {
    const asked = await askTeacher(options.teacher!, out.sample, { kind: "regenerate", failures: failing.map((v) => ({ stage: v.stage, reason: v.reason })) }, pool);
    addTokens(out.tokens, asked.tokens);
    out.calls++;
    if (!asked.ok) return Object.assign(finish("flagged", `Hard pool: the teacher gave no candidate: ${asked.message}`, "generation-failed"), { pool: "flagged" as const });
    const checked = await Promise.all(
      asked.candidates.map(async (candidate, index) => {
        const sample = { ...out.sample, ...candidate };
        const { verdicts } = await checkAnswer(sample);
        return { sample, verdicts, read: poolCandidate(index, verdicts) };
      }),
    );
    const choice = pickCandidate(checked.map((c) => c.read));
    const winner = choice.rescued ? checked[choice.winner.index] : null;
    const count = checked.length;
    for (const candidate of [...checked.filter((c) => c !== winner), ...(winner ? [winner] : [])]) {
      attempt++;
      record(candidate.verdicts);
      const state = candidate === winner ? "chosen" : candidate.read.rulesPass && candidate.read.judge === "pass" ? "passed, not chosen" : "did not pass";
      out.revisions.push({
        before: { answer: out.sample.answer, cot: out.sample.cot },
        after: { answer: candidate.sample.answer, cot: candidate.sample.cot },
        reason: candidateRevisionReason(candidate.read.index, count, state, failing.map((v) => `stage ${v.stage}: ${v.reason}`).join("; ")),
        author: asked.author,
      });
      out.sample = candidate.sample;
    }
    if (choice.rescued) return Object.assign(finish("passed", choice.reason), { pool: "rescued" as const });
    if (choice.undecided) return Object.assign(finish("flagged", choice.reason, "hard-no-candidate"), { pool: "flagged" as const });
    return Object.assign(finish("discarded", choice.reason, "hard-no-candidate"), { pool: "dropped" as const });
  }

  /** Asks the teacher for a new answer; false when attempts are exhausted or the teacher failed (reason set). */
  async function regenerate(failing: Verdict[]): Promise<boolean> {
    if (out.regenerations >= options.maxRegenerations) {
      finish(
        "discarded",
        `Regeneration exhausted after ${out.regenerations} attempt${out.regenerations === 1 ? "" : "s"}: ${failing[0].reason}`,
        "regeneration-exhausted",
      );
      return false;
    }
    out.regenerations++;
    attempt++;
    const generated = await teach(out, options, "regenerate", failing);
    if (!generated.ok) {
      finish("flagged", `Regeneration failed: ${generated.message}`, "generation-failed");
      return false;
    }
    return true;
  }
}

/** What the teacher is asked for: a CoT (and calls when the sample has none), or a regenerated answer. */
export type TeacherRequest =
  | { kind: "teacher" }
  | { kind: "regenerate"; failures: { stage: number; reason: string }[]; instruction?: string | null };

export type TeacherAnswer =
  | {
      ok: true;
      cot: string;
      answer: Answer;
      /** Every answer when several were asked for (the hard-data pool), in the teacher's order; the first is cot/answer. */
      candidates: { cot: string; answer: Answer }[];
      author: string;
      promptVersion: string;
      tokens: TokenUsage;
    }
  | { ok: false; message: string; tokens: TokenUsage };

/**
 * One teacher call for `sample`: its reasoning and calls (a text answer when the teacher found no call to make).
 * The pipeline's CoT generation and regeneration use it, and so do regenerations a reviewer asks for; the hard-data
 * pool asks for `sampling.candidates` answers at `sampling.temperature` in the same call.
 */
export async function askTeacher(teacher: LlmClient, sample: PipelineSample, request: TeacherRequest, sampling?: HardPoolOptions): Promise<TeacherAnswer> {
  // The same sample block as the judges' prompts (shared-prefix layout): the teacher's calls share their prefix.
  const shown = { query: sample.query, tools: sample.tools, cot: sample.cot, ...rejectedAnswer(sample.answer) };
  const prompt =
    request.kind === "teacher"
      ? teacherCotV2.build(shown)
      : regenerateAnswerV3.build({ ...shown, failures: request.failures, instruction: request.instruction });
  const promptVersion = request.kind === "teacher" ? teacherCotV2.promptVersion : regenerateAnswerV3.promptVersion;
  const asked = sampling ? { n: sampling.candidates, temperature: sampling.temperature } : {};
  const result = await teacher.complete({ ...prompt, ...asked, promptVersion, validate: validateTeacherAnswer });
  if (!result.ok) return { ok: false, message: `${result.kind} after ${result.attempts} attempt(s): ${result.message}`, tokens: result.tokens };
  const candidates = result.texts.map(teacherCandidate);
  return { ok: true, ...candidates[0], candidates, author: `llm:${result.model}`, promptVersion, tokens: result.tokens };
}

/** A teacher's (or a round's policy model's) answer as the sample stores it: the think block as CoT, calls when they parse, else text. */
export function teacherCandidate(text: string): { cot: string; answer: Answer } {
  const parts = splitThinkAnswer(text)!;
  const parsed = parseCallList(parts.answer);
  return { cot: parts.cot, answer: parsed.ok ? { kind: "calls", calls: parsed.calls } : { kind: "text", text: parts.answer } };
}

/** The pipeline's teacher step: asks, then records the new CoT (and answer) as a revision of `out.sample`. */
async function teach(
  out: RefineOutcome,
  options: RefineOptions,
  kind: "teacher" | "regenerate",
  failing: Verdict[] = [],
): Promise<{ ok: true } | { ok: false; message: string }> {
  const sample = out.sample;
  const request: TeacherRequest =
    kind === "teacher" ? { kind } : { kind, failures: failing.map((v) => ({ stage: v.stage, reason: v.reason })) };
  const result = await askTeacher(options.teacher!, sample, request);
  addTokens(out.tokens, result.tokens);
  out.calls++;
  if (!result.ok) return { ok: false, message: result.message };

  // A CoT for an existing reference answer keeps that answer; a regeneration (or a sample without one) takes the
  // teacher's calls too.
  const answer = kind === "teacher" && sample.answer ? sample.answer : result.answer;
  const before = { answer: sample.answer, cot: sample.cot };
  out.sample = { ...sample, cot: result.cot, answer };
  out.revisions.push({
    before,
    after: { answer, cot: result.cot },
    reason:
      kind === "teacher"
        ? "Generated a chain of thought (no CoT in the source)."
        : `Regenerated the answer (attempt ${out.regenerations + 1}) after: ${failing.map((v) => `stage ${v.stage}: ${v.reason}`).join("; ")}`,
    author: result.author,
  });
  return { ok: true };
}

function lastReason(all: readonly Verdict[]): string {
  const verdicts = deciding(all);
  return (verdicts.find((v) => v.outcome === "fail" || v.outcome === "error") ?? verdicts.at(-1))?.reason ?? "";
}
