// OpenAI chat-completions fine-tuning JSONL: messages with tool_calls, tools as JSON Schema.
import { toJsonSchema } from "@/lib/pipeline/schema-types";
import type { Tool } from "@/lib/samples/types";
import { assistantContent } from "./chat";
import { conversationMessages, isConversation } from "./conversation";
import type { ExportSample } from "./index";
import { jsonWithRaw, objectTexts } from "./json-line";

export const OPENAI_SYSTEM_PROMPT =
  "You are a helpful assistant with access to functions. Call the functions the user's request needs; if none of them fits, answer in plain text.";

/**
 * One fine-tuning line. Calls become `tool_calls` (arguments as JSON text) with the CoT, if any, as
 * `<think>…</think>` content; a text answer becomes the assistant's content; a sample without an answer has no
 * assistant message. A conversation goes on in order: user messages, assistant turns written the same way, and
 * each tool result as a `tool` message whose `tool_call_id` names the call it answers. Call ids are the source's,
 * else `call_<n>`, n counting the conversation's calls from 0 (a single exchange: call_0, call_1, …); a result
 * without its call's id answers the next unanswered call of the assistant turn before it. Tools are converted to
 * JSON Schema (see toJsonSchema). Tool names are written as they are, dots included (`math.factorial`), although
 * OpenAI's API itself only accepts [a-zA-Z0-9_-] names: renaming them would make the calls disagree with the tools
 * of every other export.
 */
export function serialize(sample: ExportSample): string {
  const messages = [{ role: "system", content: OPENAI_SYSTEM_PROMPT }, ...openAiMessages(sample).messages];
  // The tools' texts as stored when the exporter has them (no parse for a tool already converted), else each tool's.
  const toolTexts = (sample.toolsJson === undefined ? null : objectTexts(sample.toolsJson)) ?? sample.tools.map((tool) => JSON.stringify(tool));
  return jsonWithRaw({ messages }, { tools: `[${toolTexts.map(functionJson).join(",")}]` });
}

/** Why the line cannot hold this sample: a tool result that answers no call has no call id to name. */
export function cannotWrite(sample: ExportSample): string | null {
  if (!isConversation(sample)) return null; // no tool results
  const orphan = openAiMessages(sample).orphan;
  return orphan === null ? null : `has a tool result that answers no call (followUp[${orphan}]): an OpenAI tool message names the call it answers`;
}

/** The conversation as OpenAI messages, and the follow-up index of the first tool result that answers no call. */
function openAiMessages(sample: ExportSample): { messages: Record<string, unknown>[]; orphan: number | null } {
  const messages: Record<string, unknown>[] = [];
  const conversation = isConversation(sample);
  let orphan: number | null = null;
  let calls = 0;
  let unanswered: string[] = [];
  for (const [i, message] of conversationMessages(sample).entries()) {
    if (message.role === "tool") {
      const id = message.callId ?? unanswered[0];
      if (id === undefined) orphan ??= i - 2;
      unanswered = unanswered.filter((callId) => callId !== id);
      messages.push({ role: "tool", tool_call_id: id, content: message.content });
      continue;
    }
    unanswered = [];
    const answer = message.role === "assistant" ? message.answer : null;
    if (message.role === "user") messages.push({ role: "user", content: message.content });
    else if (answer?.kind === "calls" && answer.calls.length > 0) {
      const toolCalls = answer.calls.map((call, i) => ({
        id: call.id ?? `call_${calls + i}`,
        type: "function",
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      }));
      calls += toolCalls.length;
      unanswered = toolCalls.map((call) => call.id);
      messages.push({ role: "assistant", content: message.cot ? assistantContent(message.cot, "") : null, tool_calls: toolCalls });
    } else if (answer || conversation) {
      messages.push({ role: "assistant", content: assistantContent(message.cot, answer?.kind === "text" ? answer.text : "") });
    }
  }
  return { messages, orphan };
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
