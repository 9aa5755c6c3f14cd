// What an offline run's samples wait for, as an export or import found it, and how to say it: the CLI after each
// export and import, the Runs page from the run's last one. A stage's requests can name several models (the teacher,
// the judge, a judge panel's members): each model's go in a file of their own (one model per file: OpenAI's rule,
// and vllm run-batch serves one), and a sample judged by a panel moves on once every member's answer is in.
// Pure and browser-safe.
import { stageName, type StageId } from "@/lib/pipeline/stage-registry";

export interface WaitingRequests {
  /** The stage their answers are for (lib/batch/requests.ts requestStage); null: a prompt no stage names. */
  stage: StageId | null;
  model: string;
  /** The exported file they are in (its batch id), waiting for its output; null: not exported yet. */
  file: string | null;
  requests: number;
}

/** "stage 2 (Query & Tool Identification)"; "other prompts" for requests no stage names. */
export function stageLabel(stage: StageId | null): string {
  return stage === null ? "other prompts" : `stage ${stage} (${stageName(stage)})`;
}

/** "40 for model judge-b at stage 4 (…)". */
export const waitingText = (w: WaitingRequests) => `${w.requests} for model ${w.model} at ${stageLabel(w.stage)}`;

/** The command that exports them (requests no stage names cannot be exported by stage). */
export function exportCommand(runId: number, w: WaitingRequests): string | null {
  return w.stage === null ? null : `studio batch export --run ${runId} --stage ${w.stage} --model ${w.model} --out <file>`;
}

/**
 * Said when a stage's requests name several models (a judge panel's members, a teacher beside the judge): a sample
 * there moves on only with every answer it asks; null otherwise.
 */
export function severalModelsNote(waiting: readonly WaitingRequests[]): string | null {
  const models = new Map<StageId, Set<string>>();
  for (const w of waiting) if (w.stage !== null) models.set(w.stage, (models.get(w.stage) ?? new Set()).add(w.model));
  const several = [...models].filter(([, names]) => names.size > 1).map(([stage]) => `stage ${stage}`);
  return several.length > 0 ? `A sample at ${several.join(" or ")} moves on once the answers of every model it asks are in.` : null;
}

/** What a person does next, line by line: import the output of each file out, export what is not out yet. */
export function waitingLines(runId: number, waiting: readonly WaitingRequests[]): string[] {
  const lines = waiting.map((w) => {
    if (w.file) return `${waitingText(w)}: in file ${w.file}, import its output (studio batch import --run ${runId} <output file>)`;
    const command = exportCommand(runId, w);
    return `${waitingText(w)}: not exported yet${command ? ` (${command})` : ""}`;
  });
  const note = severalModelsNote(waiting);
  return note ? [...lines, note] : lines;
}
