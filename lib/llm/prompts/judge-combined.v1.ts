// Stages 2, 3 and 4 in one judge call (issue 15 §3, the run option "one judge call for stages 2–4"), in the
// shared-prefix layout (shared.ts): the shared system text (whose sections judge-query-tools, judge-cot and
// judge-values say how each judge decides), the sample, then this question naming the judges asked — only those
// whose stage's rules let the sample through — and the one object that answers them all.
import { COMBINED_JUDGES_LINE } from "../markers";
import { defineSharedPrompt, type SampleInput } from "./shared";

/** Each judge's question, by its task id (the section of the shared system text it follows). */
export const COMBINED_QUESTIONS = {
  "judge-query-tools": "Can this query be solved with these tools, with every required value derivable from the query?",
  "judge-cot": "Does this chain of thought lead to exactly this answer?",
  "judge-values": "Are these the right calls with the right values for this query?",
} as const;

export type CombinedTask = keyof typeof COMBINED_QUESTIONS;

export interface CombinedInput extends SampleInput {
  /** The judges asked, in stage order. */
  tasks: readonly CombinedTask[];
}

export const judgeCombinedV1 = defineSharedPrompt<CombinedInput>(
  "judge-combined",
  1,
  "judge",
  ({ tasks }) => `${COMBINED_JUDGES_LINE} ${tasks.join(", ")}

Answer for each of these judges, each deciding alone as its section of the instructions says:
${tasks.map((task) => `- ${task}: ${COMBINED_QUESTIONS[task]}`).join("\n")}

Answer with one JSON object and nothing else, one key per judge above holding that judge's verdict object:
{${tasks.map((task) => `"${task}": {"verdict": "pass" | "fail", "reason": "…", "evidence": {…}}`).join(", ")}}`,
);
