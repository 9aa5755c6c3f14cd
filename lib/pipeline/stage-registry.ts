// THE list of pipeline stages (pipeline.md): one entry per stage, in the order the orchestrator runs them. Everything
// else that names stages — the StageId type, the zod schemas of URLs and request bodies, the samples table's filters,
// the verdict timeline, the discard audit, the dashboard's funnel and agreement, the settings' per-stage models, the
// Runs page, the CLI — is derived from this array, so a new stage is one entry here, its file in stages/ and its line
// in stages/index.ts (README: "Adding a stage").
//
// Pure and browser-safe (names and labels only): the stages' code, with its prompts, is in stages/.
//
// Ids are what stored verdicts carry (`stage_verdicts.stage`, `samples.stage_outcomes` "4:fail", `status_stage`,
// URLs like `failing=4`): an id never changes and is never reused. The order is this array's, not the ids': stage 0
// runs first because it is listed first.

/** What happens to a sample when the stage fails it. */
export type FailureAction =
  /** The stage sorts text answers from calls: a text answer is saved as a text sample, the later stages skipped. */
  | "save-as-text"
  /** The sample is discarded (kept, with its verdicts, for the audit). */
  | "discard"
  /** The teacher writes a new answer and the answer checks run again, up to the run's regeneration attempts. */
  | "regenerate";

/** The parts of a sample (or what lies beside it) a stage reads. */
export type StagePart = "query" | "tools" | "answer" | "cot" | "dataset" | "benchmark";

export interface StageInfo {
  id: number;
  /** The one spelling of the stage's name (the paper's, for its five). */
  name: string;
  /** For chart axes and narrow columns. */
  short: string;
  looksAt: readonly StagePart[];
  /** What the stage asks, in one sentence. */
  question: string;
  /** Its rule checks, as verdicts record them (`rule:<id>`). */
  rules: readonly string[];
  /** Its LLM judge prompts (lib/llm/prompts), by prompt version. */
  judges: readonly string[];
  onFail: FailureAction;
  /** Judges the answer (and CoT): runs again on every regenerated answer, a failure then asks for another one. */
  checksAnswer: boolean;
  /** Has a judge model of its own (setting `stage<id>Model`, `STUDIO_LLM_MODEL_STAGE<id>`); else the judge model. */
  ownModel: boolean;
  /** A run may leave it out (on unless the run says otherwise). */
  optional: boolean;
}

export const STAGE_REGISTRY = [
  {
    id: 0,
    name: "Duplicates & Contamination",
    short: "Duplicates",
    looksAt: ["query", "tools", "answer", "dataset", "benchmark"],
    question: "Is the sample a copy of an earlier sample of the dataset, or of a BFCL evaluation query?",
    rules: ["duplicate", "contamination"],
    judges: [],
    onFail: "discard",
    checksAnswer: false,
    ownModel: false,
    optional: true,
  },
  {
    id: 1,
    name: "Function Call Classification",
    short: "Call or text",
    looksAt: ["answer"],
    question: "Is the reference answer a function call, or plain text?",
    rules: ["classify"],
    judges: ["judge-classify.v1"],
    onFail: "save-as-text",
    checksAnswer: false,
    ownModel: false,
    optional: false,
  },
  {
    id: 2,
    name: "Query & Tool Identification",
    short: "Query & tools",
    looksAt: ["query", "tools", "answer"],
    question: "Can the query be solved with these tools, from values the query gives?",
    rules: ["tool-names"],
    judges: ["judge-query-tools.v2"],
    onFail: "discard",
    checksAnswer: false,
    ownModel: true,
    optional: false,
  },
  {
    id: 3,
    name: "CoT Identification",
    short: "CoT",
    looksAt: ["cot", "answer", "query", "tools"],
    question: "Does the chain of thought lead to this answer?",
    rules: ["cot-present"],
    judges: ["judge-cot.v2"],
    onFail: "discard",
    checksAnswer: true,
    ownModel: true,
    optional: false,
  },
  {
    id: 4,
    name: "Function & Parameter Identification",
    short: "Function & params",
    looksAt: ["answer", "tools", "query"],
    question: "Are the called functions and their arguments (names, required ones, types, values) right?",
    rules: ["function-params"],
    judges: ["judge-values.v2"],
    onFail: "regenerate",
    checksAnswer: true,
    ownModel: true,
    optional: false,
  },
  {
    id: 5,
    name: "Format Identification",
    short: "Format",
    looksAt: ["cot", "answer"],
    question: "Is the training text one <think> block followed by a call list that parses, and nothing else?",
    rules: ["format"],
    judges: [],
    onFail: "regenerate",
    checksAnswer: true,
    ownModel: false,
    optional: false,
  },
] as const satisfies readonly StageInfo[];

type Entry = (typeof STAGE_REGISTRY)[number];
export type StageId = Entry["id"];
/** The stages with a judge model setting of their own. */
export type ModelStageId = Extract<Entry, { ownModel: true }>["id"];

/** Every stage id, in run order. */
export const STAGE_IDS: readonly StageId[] = STAGE_REGISTRY.map((s) => s.id);
export const MODEL_STAGE_IDS = STAGE_REGISTRY.filter((s) => s.ownModel).map((s) => s.id) as ModelStageId[];
/** Stages a run may leave out. */
export const OPTIONAL_STAGE_IDS: readonly StageId[] = STAGE_REGISTRY.filter((s) => s.optional).map((s) => s.id);
/** Stages with an LLM judge (the dashboard's judge–human agreement). */
export const JUDGED_STAGE_IDS: readonly StageId[] = STAGE_REGISTRY.filter((s) => s.judges.length > 0).map((s) => s.id);
/**
 * Stages whose judge a run may make a panel (issue 13 §1): a judge that passes or fails. Not the stage that sorts
 * calls from text: its judge's answer is a classification, not a vote.
 */
export const PANEL_STAGE_IDS: readonly StageId[] = STAGE_REGISTRY.filter((s) => s.judges.length > 0 && s.onFail !== "save-as-text").map((s) => s.id);

const BY_ID = new Map<number, StageInfo>(STAGE_REGISTRY.map((s) => [s.id, s]));

export function isStageId(value: unknown): value is StageId {
  return typeof value === "number" && BY_ID.has(value);
}

export function stageInfo(id: StageId): StageInfo {
  return BY_ID.get(id)!;
}

/** A stage's name; an id no stage has (a stage removed since its verdicts were stored) reads "Stage <id>". */
export function stageName(id: number): string {
  return BY_ID.get(id)?.name ?? `Stage ${id}`;
}

export function stageShort(id: number): string {
  return BY_ID.get(id)?.short ?? `Stage ${id}`;
}

/** Sorts stage ids in run order (unknown ids last, by number). */
export function compareStages(a: number, b: number): number {
  const rank = (id: number) => (BY_ID.has(id) ? STAGE_IDS.indexOf(id as StageId) : STAGE_IDS.length + id);
  return rank(a) - rank(b);
}

/** "must be a stage: 1, 2, 3, 4 or 5": the message of every schema that reads a stage id. */
export const STAGE_ID_MESSAGE = `must be a stage: ${STAGE_IDS.slice(0, -1).join(", ")} or ${STAGE_IDS.at(-1)}`;

/** The settings field and environment variable of a stage's own judge model. */
export const stageModelField = <Id extends ModelStageId>(id: Id) => `stage${id}Model` as const;
export const stageModelEnv = (id: ModelStageId) => `STUDIO_LLM_MODEL_STAGE${id}`;
export const stageModelLabel = (id: ModelStageId) => `Stage ${id} model`;

/** Names by id, for lookups in markup (`STAGE_NAMES[verdict.stage]`). */
export const STAGE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(STAGE_REGISTRY.map((s) => [s.id, s.name]));
