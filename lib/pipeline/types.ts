// The one interface every pipeline stage implements, and the rule that turns a stage's verdicts into its outcome.
//
// A stage returns one verdict (the deciding one) or two: a rule verdict followed by an LLM verdict (the rule ran
// first and the judge was asked only because the rule let the sample through). The orchestrator reads them with
// stageOutcome():
//   - any `fail` among them → the stage fails (a rule that fails is never overruled by a judge);
//   - otherwise any `error` → the stage errors (a judge that could not answer never discards a sample);
//   - otherwise the last verdict's outcome (`pass`, or `skip` when the stage did not apply).
// Every verdict is stored, so a reviewer sees both the rule's evidence and the judge's.
//
// Text samples: the stage whose failure action is "save-as-text" (stage 1) passes a plain-text answer with
// `evidence.kind === "text"` (see stages/classify.ts, isTextSample); the orchestrator then saves the sample as a
// text sample and skips the stages after it.
import type { PanelRule } from "@/lib/judges/panel-vote";
import type { LlmClient } from "@/lib/llm/client";
import type { SampleInput } from "@/lib/llm/prompts/shared";
import type { Answer, FollowUpMessage, Tool } from "@/lib/samples/types";
import type { StageId } from "./stage-registry";

export type { StageId } from "./stage-registry";

export type Outcome = "pass" | "fail" | "skip" | "error";

export interface Verdict {
  stage: StageId;
  outcome: Outcome;
  /** One sentence a reviewer can read. */
  reason: string;
  /** Structured: which call and parameter, what was expected, the judge's raw answer. */
  evidence: Record<string, unknown>;
  /** `rule:<id>`, `llm:<model>` or `panel:<name>` (the vote of a judge panel). */
  decidedBy: string;
  /**
   * A panel member's vote: the panel's name. Stored and shown, but the panel's own verdict (after the votes) is the
   * stage's: a member's fail or error decides nothing by itself.
   */
  memberOf?: string;
  /** The assistant turn judged: 1 (the first answer, and the only one of a single exchange) when absent. */
  turn?: number;
  /** LLM verdicts only: the prompt that produced them, e.g. "judge-values.v1". */
  promptVersion?: string;
  promptTokens?: number;
  /** The part of promptTokens the server's prefix cache served. */
  cachedTokens?: number;
  completionTokens?: number;
  /** Wall time of the LLM call, retries and waits included. */
  latencyMs?: number;
}

/**
 * What a stage looks at: the sample as it stands (the current revision) — for a conversation, one assistant turn of
 * it (turns.ts: `answer` and `cot` are that turn's, `query` the conversation before it).
 */
export interface PipelineSample {
  id?: number;
  query: string;
  tools: Tool[];
  answer: Answer | null;
  cot: string | null;
  /** The conversation after the first answer (see FollowUpMessage); stages never read it, turns.ts does. */
  followUp?: FollowUpMessage[];
}

/** A sample of the dataset as stored, without its CoT (the largest field; no dataset-wide stage reads it). */
export interface DatasetSample extends Omit<PipelineSample, "cot"> {
  id: number;
}

/** Only the judge half of the LLM client: stages never generate text. */
export type JudgeClient = Pick<LlmClient, "judge">;

/** A stage's judge as a panel: its members are asked together, the rule turns their votes into the verdict. */
export interface JudgePanel {
  name: string;
  rule: PanelRule;
  members: { judge: JudgeClient; model: string; /** The stage prompt's version to ask with; none: the stage's own. */ promptVersion?: number }[];
}

export interface StageContext {
  /** null = rules only: stages that need a judge for their second half return just their rule verdict. */
  judge: JudgeClient | null;
  /** The panel that judges a stage instead of the single judge, if the run gave it one. */
  panelFor?(stage: StageId): JudgePanel | null;
  /** The judge model for a stage (per-stage models, see lib/llm/config.ts). */
  modelFor(stage: StageId): string;
  /** The version of a stage's judge prompt the single judge is asked with (a calibration's choice); none: the current. */
  promptVersionFor?(stage: StageId): number | undefined;
  /** Checked before each judge call: an aborted run stops asking (run() then rejects with the abort reason). */
  signal?: AbortSignal;
  /** A run with one judge call for stages 2–4 (combined.ts): the stages' judges answer from that call. */
  combined?: CombinedJudging;
}

/** The combined judge as a stage sees it, for the sample it is looking at. */
export interface CombinedJudging {
  /** The stage's verdict from the sample's combined call, which is made now when no verdict waits for this stage. */
  verdictFor(stage: StageId, input: SampleInput, evidence: Record<string, unknown>): Promise<Verdict>;
}

/**
 * A stage's code (its name, order and failure action are in stage-registry.ts). `Prepared` is what a stage that looks
 * across the whole dataset builds once per run and worker process from every sample of the dataset (stages/duplicates:
 * normalised hash → first sample id); `run` then gets it. Without it (a review task on one sample, the rule re-check)
 * such a stage does not run.
 */
export interface Stage<Prepared = undefined> {
  id: StageId;
  prepare?(samples: AsyncIterable<DatasetSample>): Promise<Prepared>;
  run(sample: PipelineSample, ctx: StageContext, prepared?: Prepared): Promise<Verdict[]>;
}

/**
 * A stage's outcome from its verdicts (the rule in the header comment), panel members' votes left out: their
 * panel's verdict stands for them. No verdicts = the stage did not run.
 */
export function stageOutcome(all: readonly { outcome: Outcome; memberOf?: string | null }[]): Outcome {
  const verdicts = deciding(all);
  if (verdicts.some((v) => v.outcome === "fail")) return "fail";
  if (verdicts.some((v) => v.outcome === "error")) return "error";
  return verdicts.at(-1)?.outcome ?? "skip";
}

/** The verdicts that decide (every one but a panel member's vote). */
export function deciding<V extends { memberOf?: string | null }>(verdicts: readonly V[]): V[] {
  return verdicts.filter((v) => !v.memberOf);
}
