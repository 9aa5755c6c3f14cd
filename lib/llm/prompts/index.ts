// Every current prompt, by id. The pipeline picks from here; old versions stay importable by their file.
export { judgeQueryToolsV1 } from "./judge-query-tools.v1";
export { judgeCotV1 } from "./judge-cot.v1";
export { judgeValuesV1 } from "./judge-values.v1";
export { judgeClassifyV1 } from "./judge-classify.v1";
export { judgeProbeV1 } from "./judge-probe.v1";
export { judgeQueryToolsV2 } from "./judge-query-tools.v2";
export { judgeCotV2 } from "./judge-cot.v2";
export { judgeValuesV2 } from "./judge-values.v2";
export { judgeCombinedV1, COMBINED_TASKS, type CombinedInput, type CombinedTask } from "./judge-combined.v1";
export { teacherCotV2 } from "./teacher-cot.v2";
export { regenerateAnswerV3, rejectedAnswer } from "./regenerate-answer.v3";
export { teacherCotV1, validateTeacherAnswer } from "./teacher-cot.v1";
export { regenerateAnswerV1 } from "./regenerate-answer.v1";
export { regenerateAnswerV2, validateRegeneratedAnswer } from "./regenerate-answer.v2";
export { policyAnswerV1 } from "./policy-answer.v1";
export type { Prompt, PromptText } from "./common";
import type { Prompt } from "./common";
import { judgeClassifyV1 as classify } from "./judge-classify.v1";
import { judgeCotV1 as cot } from "./judge-cot.v1";
import { judgeQueryToolsV1 as queryTools } from "./judge-query-tools.v1";
import { judgeValuesV1 as values } from "./judge-values.v1";
import { judgeCotV2 } from "./judge-cot.v2";
import { judgeQueryToolsV2 } from "./judge-query-tools.v2";
import { judgeValuesV2 } from "./judge-values.v2";

/**
 * Every stage judge's prompt, old versions included, by prompt version: what a panel member's version picks from.
 * A stage asks every version with the same input (the v2 prompts' SampleInput holds what each v1 prompt reads).
 */
export const JUDGE_PROMPTS: ReadonlyMap<string, Prompt<never>> = new Map(
  [queryTools, cot, values, classify, judgeQueryToolsV2, judgeCotV2, judgeValuesV2].map((p) => [p.promptVersion, p as Prompt<never>]),
);

/** The versions a judge prompt has, oldest first, from any one of them ("judge-values.v1" → [1, 2]). */
export function judgePromptVersions(promptVersion: string): number[] {
  const id = promptVersion.replace(/\.v\d+$/, "");
  return [...JUDGE_PROMPTS.values()].filter((p) => p.id === id).map((p) => p.version).sort((a, b) => a - b);
}
export { checkThinkThenAnswer, splitThinkAnswer } from "./common";
