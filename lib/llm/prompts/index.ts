// Every current prompt, by id. The pipeline picks from here; old versions stay importable by their file.
export { judgeQueryToolsV1 } from "./judge-query-tools.v1";
export { judgeCotV1 } from "./judge-cot.v1";
export { judgeValuesV1 } from "./judge-values.v1";
export { judgeClassifyV1 } from "./judge-classify.v1";
export { judgeProbeV1 } from "./judge-probe.v1";
export { teacherCotV1, validateTeacherAnswer } from "./teacher-cot.v1";
export { regenerateAnswerV1 } from "./regenerate-answer.v1";
export { regenerateAnswerV2, validateRegeneratedAnswer } from "./regenerate-answer.v2";
export type { Prompt, PromptText } from "./common";
export { checkThinkThenAnswer, splitThinkAnswer } from "./common";
