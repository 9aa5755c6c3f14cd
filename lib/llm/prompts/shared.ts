// The layout of the prompts that share their prefix (issue 15 §2): every request starts with the one shared system
// text (the same for every stage, judge or teacher, and every sample: a server's prefix cache holds it once), then
// the sample (tools as compact JSON, the query, the CoT, the answer: the same for every call about this sample), and
// only then what this call asks (its marker lines, its question). A server that caches prefixes (OpenAI's prompt
// caching, vLLM's automatic prefix caching) then bills or computes a sample once, however many stages ask about it.
import "server-only";
import type { Tool, ToolCall } from "@/lib/samples/types";
import { CALLS_LINES, PROMPT_LINE_PREFIX, QUERY_LINE, TASK_MARKERS, TOOLS_LINE, type LlmTask } from "../markers";
import type { Prompt } from "./common";
import { SHARED_SYSTEM_V1 } from "./shared-system.v1";

/** What every shared-prefix prompt shows of the sample. */
export interface SampleInput {
  query: string;
  tools: Tool[];
  cot?: string | null;
  /** The answer's calls (null or absent: the sample has no call answer). */
  calls?: ToolCall[] | null;
}

/**
 * The sample as every call about it shows it, in this order: tools (compact JSON: a quarter of the tokens of the
 * pretty-printed list), query, chain of thought, answer. Nothing in it depends on the stage asking.
 */
export function sampleBlock({ query, tools, cot, calls }: SampleInput): string {
  const thought = cot?.trim() ? `<cot>\n${cot.trim()}\n</cot>` : "(none)";
  const answer = calls && calls.length > 0 ? JSON.stringify(calls) : "(none)";
  return `${TOOLS_LINE}\n${toolsJson(tools)}\n\n${QUERY_LINE}\n<query>\n${query.trim()}\n</query>\n\nchain of thought:\n${thought}\n\n${CALLS_LINES.answer}\n${answer}`;
}

/** A sample's tools as JSON, written once for all its calls (the list is never changed in place: an edit makes a new one). */
const toolsJsonOf = new WeakMap<object, string>();
function toolsJson(tools: SampleInput["tools"]): string {
  if (typeof tools !== "object" || tools === null) return JSON.stringify(tools);
  let json = toolsJsonOf.get(tools);
  if (json === undefined) toolsJsonOf.set(tools, (json = JSON.stringify(tools)));
  return json;
}

/**
 * A prompt in the shared layout: the shared system text, the sample, then this call's marker lines (the fake LLM
 * reads them; a model reads them as the name of the task, described in the system text) and its question.
 */
export function defineSharedPrompt<Input extends SampleInput>(
  id: string,
  version: number,
  task: LlmTask,
  question: (input: Input) => string,
): Prompt<Input> {
  const promptVersion = `${id}.v${version}`;
  return {
    id,
    version,
    promptVersion,
    system: SHARED_SYSTEM_V1,
    build: (input) => ({
      system: SHARED_SYSTEM_V1,
      user: `${sampleBlock(input)}\n\n${TASK_MARKERS[task]}\n${PROMPT_LINE_PREFIX}${promptVersion}\n\n${question(input).trim()}`,
    }),
  };
}
