// OpenAI chat-completions fine-tuning JSONL: messages with tool_calls, tools as JSON Schema.
import { toJsonSchema } from "@/lib/pipeline/schema-types";
import type { Tool } from "@/lib/samples/types";
import { assistantContent } from "./chat";
import type { ExportSample } from "./index";
import { jsonWithRaw, objectTexts } from "./json-line";

export const OPENAI_SYSTEM_PROMPT =
  "You are a helpful assistant with access to functions. Call the functions the user's request needs; if none of them fits, answer in plain text.";

/**
 * One fine-tuning line. Calls become `tool_calls` (ids call_0, call_1, …; arguments as JSON text) with the CoT, if
 * any, as `<think>…</think>` content; a text answer becomes the assistant's content; a sample without an answer
 * has no assistant message. Tools are converted to JSON Schema (see toJsonSchema). Tool names are written as they
 * are, dots included (`math.factorial`), although OpenAI's API itself only accepts [a-zA-Z0-9_-] names: renaming
 * them would make the calls disagree with the tools of every other export.
 */
export function serialize(sample: ExportSample): string {
  const messages: Record<string, unknown>[] = [
    { role: "system", content: OPENAI_SYSTEM_PROMPT },
    { role: "user", content: sample.query },
  ];
  const answer = sample.answer;
  if (answer?.kind === "calls" && answer.calls.length > 0) {
    messages.push({
      role: "assistant",
      content: sample.cot ? assistantContent(sample.cot, "") : null,
      tool_calls: answer.calls.map((call, i) => ({
        id: `call_${i}`,
        type: "function",
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      })),
    });
  } else if (answer) {
    messages.push({ role: "assistant", content: assistantContent(sample.cot, answer.kind === "text" ? answer.text : "") });
  }
  // The tools' texts as stored when the exporter has them (no parse for a tool already converted), else each tool's.
  const toolTexts = (sample.toolsJson === undefined ? null : objectTexts(sample.toolsJson)) ?? sample.tools.map((tool) => JSON.stringify(tool));
  return jsonWithRaw({ messages }, { tools: `[${toolTexts.map(functionJson).join(",")}]` });
}

// A dataset offers the same tools over and over: each tool is converted to JSON Schema once per export process,
// keyed by its JSON text. Bounded: emptied when full.
const functionJsonCache = new Map<string, string>();
const FUNCTION_CACHE_SIZE = 20_000;

/** `{"type":"function","function":{name, description, parameters}}` for one tool's JSON text, as JSON text. */
function functionJson(toolJson: string): string {
  let json = functionJsonCache.get(toolJson);
  if (json === undefined) {
    json = JSON.stringify({ type: "function", function: jsonSchemaTool(JSON.parse(toolJson) as Tool) });
    if (functionJsonCache.size >= FUNCTION_CACHE_SIZE) functionJsonCache.clear();
    functionJsonCache.set(toolJson, json);
  }
  return json;
}

/** A tool as `{name, description, parameters}` with its parameters in JSON Schema (see toJsonSchema). */
export function jsonSchemaTool(tool: Tool) {
  return {
    name: tool.name,
    ...(typeof tool.description === "string" ? { description: tool.description } : {}),
    parameters: toJsonSchema(tool),
  };
}
