// Stage 3, CoT Identification, in the shared-prefix layout (shared.ts): the instructions are the section "judge-cot"
// of the shared system text (shared-system.v1.ts).
import { defineSharedPrompt, type SampleInput } from "./shared";

export const judgeCotV2 = defineSharedPrompt<SampleInput>(
  "judge-cot",
  2,
  "judge",
  () => "Does this chain of thought lead to exactly this answer? Answer with the JSON object.",
);
