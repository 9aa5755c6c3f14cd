// Stage 2, Query & Tool Identification, in the shared-prefix layout (shared.ts): the instructions are the section
// "judge-query-tools" of the shared system text (shared-system.v1.ts); the whole sample comes first, as for every stage.
import { defineSharedPrompt, type SampleInput } from "./shared";

export const judgeQueryToolsV2 = defineSharedPrompt<SampleInput>(
  "judge-query-tools",
  2,
  "judge",
  () => "Can this query be solved with these tools, with every required value derivable from the query? Answer with the JSON object.",
);
