// Stages 2, 3 and 4 in one judge call (issue 15 §3, the run option "one judge call for stages 2–4"), in the
// shared-prefix layout (shared.ts): the shared system text (whose sections judge-query-tools, judge-cot and
// judge-values say how each judge decides), the sample, then this question naming the judges asked — only those
// whose stage's rules let the sample through — and how the one object answering them all is laid out.
import { COMBINED_JUDGES_LINE } from "../markers";
import { defineSharedPrompt, type SampleInput } from "./shared";

/** The judges a combined call can ask, by task id: each is a section of the shared system text. */
export const COMBINED_TASKS = ["judge-query-tools", "judge-cot", "judge-values"] as const;

export type CombinedTask = (typeof COMBINED_TASKS)[number];

export interface CombinedInput extends SampleInput {
  /** The judges asked, in stage order. */
  tasks: readonly CombinedTask[];
}

// Short on purpose: what each judge asks is in its section of the system text (cached), and the question is the part
// of the prompt a prefix cache never serves.
export const judgeCombinedV1 = defineSharedPrompt<CombinedInput>(
  "judge-combined",
  1,
  "judge",
  ({ tasks }) => `${COMBINED_JUDGES_LINE} ${tasks.join(", ")}
Judge this sample as each of these judges, each deciding alone as its section says. Answer with one JSON object and
nothing else: each judge's id as a key, its verdict object as the value.`,
);
