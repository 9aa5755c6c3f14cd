// Shared pieces of the versioned prompts. A prompt file never changes once a verdict has been recorded with it:
// a new wording is a new file (`<id>.v2.ts`), so every verdict can say exactly which words produced it.
import "server-only";
import { readThinkBlock } from "@/lib/pipeline/render";
import type { ToolCall, Tool } from "@/lib/samples/types";
import { PROMPT_LINE_PREFIX, QUERY_LINE, TASK_MARKERS, TOOLS_LINE, type LlmTask } from "../markers";

export interface PromptText {
  system: string;
  user: string;
}

export interface Prompt<Input> {
  id: string;
  version: number;
  /** `<id>.v<version>`: what the client and the verdict record carry. */
  promptVersion: string;
  /** The system text every request of this prompt starts with. */
  system: string;
  build(input: Input): PromptText;
}

export function definePrompt<Input>(
  id: string,
  version: number,
  task: LlmTask,
  system: string,
  user: (input: Input) => string,
): Prompt<Input> {
  const promptVersion = `${id}.v${version}`;
  // The two marker lines come first: the fake server reads them, and a real model reads them as a harmless header.
  const fullSystem = `${TASK_MARKERS[task]}\n${PROMPT_LINE_PREFIX}${promptVersion}\n\n${system.trim()}`;
  return { id, version, promptVersion, system: fullSystem, build: (input) => ({ system: fullSystem, user: user(input).trim() }) };
}

/** The query and the tools, always first and in this order (the fake server finds the sample's query this way). */
export function queryAndTools(query: string, tools: Tool[]): string {
  return `${QUERY_LINE}\n${query.trim()}\n\n${TOOLS_LINE}\n${JSON.stringify(tools, null, 2)}`;
}

/** Calls as a JSON list `[{"name", "arguments"}]`: unambiguous for a judge whatever syntax the sample came in. */
export function callsJson(calls: ToolCall[]): string {
  return JSON.stringify(calls, null, 2);
}

/** What every judge is told about its answer. */
export const JUDGE_ANSWER_RULES = `Answer with one JSON object and nothing else (no Markdown, no text around it):
{"verdict": "pass" | "fail", "reason": "<one sentence a reviewer can read>", "evidence": <object, see below>}
- "verdict" is exactly "pass" or "fail".
- "reason" is one plain sentence naming the decisive point (for a fail, what is wrong and where).`;

/** What every teacher answer looks like: the FunReason training format. */
export const TEACHER_ANSWER_RULES = `Answer in exactly this form, with nothing before or after it:
<think>
your reasoning, in plain sentences
</think>

[function_name(param1=value1, param2=value2), other_function(param=value)]

Rules for the call list:
- Python call syntax, all calls in one list, in the order they should run; one call per separate request in the query.
- Use only functions and parameter names from the tools; include every required parameter; include an optional one
  only when the query asks for a value different from its default.
- Values as Python literals of the declared type: strings in double quotes, numbers bare, True/False, None, [..], {..}.
- Take every value from the query (or from a default); never invent an id, a date, a name or a number.
If no tool can serve the query, write the reasoning, then one plain sentence to the user instead of a call list.`;

/** `<think>…</think>` first and once, then something: the shape a teacher answer must have (the problem, if not). */
export function checkThinkThenAnswer(text: string): string | undefined {
  const block = readThinkBlock(text);
  return block.ok ? undefined : block.problem;
}

/** Splits a teacher answer into its chain of thought and what follows (the calls, as text); null if malformed. */
export function splitThinkAnswer(text: string): { cot: string; answer: string } | null {
  const block = readThinkBlock(text);
  return block.ok ? { cot: block.cot, answer: block.rest } : null;
}
