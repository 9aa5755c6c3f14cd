// Marker lines shared by the prompts (which write them) and the fake LLM server (which reads them).
// They live in their own tiny file so production prompts never import the fake server (node:http).

/** The first line of every system prompt names the kind of answer expected. */
export const TASK_MARKERS = {
  /** Answer: one JSON object `{"verdict": "pass" | "fail", "reason": "...", "evidence": ...}`. */
  judge: "task: judge",
  /** Answer: `<think>…</think>`, a blank line, then the calls in Python call syntax. */
  teacher: "task: teacher",
  /** A policy model's answer from the query and tools alone (a self-refinement round): as a teacher's. */
  policy: "task: policy",
} as const;

export type LlmTask = keyof typeof TASK_MARKERS;

/** Second line of every system prompt: `prompt: <id>.v<version>`; lets the fake scope a directive to one prompt. */
export const PROMPT_LINE_PREFIX = "prompt: ";

/** The line that precedes the sample's query in the user content (the query runs until the tools line). */
export const QUERY_LINE = "query:";

/** The line that precedes the JSON list of tools in the user content. */
export const TOOLS_LINE = "tools:";

/** Lines after which a prompt lists calls as JSON: the answer judged, a rejected answer, a teacher's reference. */
export const CALLS_LINES = {
  answer: "answer (the calls, as JSON):",
  rejected: "rejected answer:",
  /** The start of its line (the line goes on to say what to do with them). */
  reference: "reference answer (the calls the dataset expects",
} as const;

/** The combined judge's line naming the judges it answers for, by task id: `judges: judge-query-tools, judge-cot`. */
export const COMBINED_JUDGES_LINE = "judges:";
