// Stage 4, Function & Parameter Identification (the part rules cannot decide), in the shared-prefix layout
// (shared.ts): the instructions are the section "judge-values" of the shared system text (shared-system.v1.ts).
import { defineSharedPrompt, type SampleInput } from "./shared";

export const judgeValuesV2 = defineSharedPrompt<SampleInput>(
  "judge-values",
  2,
  "judge",
  () => "Are these the right calls with the right values for this query? Answer with the JSON object.",
);
