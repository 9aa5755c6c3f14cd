// The "Generate CoT" step in the shared-prefix layout (shared.ts): the instructions are the section "teacher-cot" of
// the shared system text (shared-system.v1.ts); the sample's answer is the reference the reasoning should reach.
import { defineSharedPrompt, type SampleInput } from "./shared";

export const teacherCotV2 = defineSharedPrompt<SampleInput>(
  "teacher-cot",
  2,
  "teacher",
  () => "Write the reasoning in <think>…</think>, then the call list.",
);
