// Each registry stage's code, by id (stage-registry.ts has their names, order and failure actions). A registry entry
// without its code is a type error.
import { STAGE_IDS, type StageId } from "../stage-registry";
import type { Stage } from "../types";
import { classifyStage } from "./classify";
import { cotStage } from "./cot";
import { duplicatesStage } from "./duplicates";
import { formatStage } from "./format";
import { functionParamsStage } from "./function-params";
import { queryToolsStage } from "./query-tools";

/** Any stage, whatever it prepares. */
export type AnyStage = Stage<any>;

const STAGE_CODE: Record<StageId, AnyStage> = {
  0: duplicatesStage,
  1: classifyStage,
  2: queryToolsStage,
  3: cotStage,
  4: functionParamsStage,
  5: formatStage,
};

/** The stages' code in run order. */
export const STAGES: readonly AnyStage[] = STAGE_IDS.map((id) => STAGE_CODE[id]);

export { classifyStage, isTextSample } from "./classify";
export { queryToolsStage } from "./query-tools";
export { cotStage } from "./cot";
export { functionParamsStage } from "./function-params";
export { formatStage, trainingText, checkTrainingText } from "./format";
