// The five stages, in the order the orchestrator runs them (pipeline.md).
import type { Stage } from "../types";
import { classifyStage } from "./classify";
import { cotStage } from "./cot";
import { formatStage } from "./format";
import { functionParamsStage } from "./function-params";
import { queryToolsStage } from "./query-tools";

export const STAGES: readonly Stage[] = [classifyStage, queryToolsStage, cotStage, functionParamsStage, formatStage];

export { classifyStage, isTextSample } from "./classify";
export { queryToolsStage } from "./query-tools";
export { cotStage } from "./cot";
export { functionParamsStage } from "./function-params";
export { formatStage, trainingText, checkTrainingText } from "./format";
