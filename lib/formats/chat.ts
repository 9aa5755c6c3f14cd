// Chat JSONL, import and the FunReason export. Two flavours are read:
// - FunReason: assistant content `<think>CoT</think>\n\n[python calls]`; tools from the top-level `tools` field,
//   else recovered from a system message that is BFCL's default prompt with the tools filled in;
// - OpenAI chat as people write it: see chat-message.ts for the message shapes; tools in `tools:
//   [{type: "function", function: {name, description, parameters}}]` or the legacy `functions: [{name, …}]`.
import { z } from "zod";
import type { Answer, FollowUpMessage, RecordError, RecordPosition, SampleInput, Tool } from "@/lib/samples/types";
import { renderCalls } from "@/lib/pipeline/render";
import { assistantReply, messageText, type Message } from "./chat-message";
import { conversationMessages, conversationParts, marksErrorToolResponse, toolResultText, type ReadMessage } from "./conversation";
import { check, checkKept, convert, expected, fail, idText, jsonField, querySchema, requireObject, stringSchema, toolsSchema, type ImportContext } from "./fields";
import type { ExportSample } from "./index";
import { jsonWithRaw, toolsJsonOf } from "./json-line";
import { functionsFromSystemPrompt, systemPromptWithToolsJson } from "./system-prompt";

const messagesSchema = z
  .array(z.looseObject({ role: stringSchema }, expected("a message object {role, content}")), expected("a list of messages"))
  .min(1, { error: "is empty" });

const SYSTEM_ROLES = new Set(["system", "developer"]);

/**
 * A chat record: OpenAI-style `messages` (or the list of messages itself, as a JSON array file of conversations
 * holds them). The first user message is the query and the assistant message right after it the first answer;
 * tool messages (`tool_call_id` naming the call they answer; legacy `function` and Llama's `ipython` roles too)
 * and further user and assistant messages are the follow-up (conversation.ts). System messages before the query
 * are instructions, not the query. sourceId is `source_id`, else `id`. No assistant message, or one with neither
 * calls nor text, gives no answer.
 */
export function fromRecord(value: unknown, pos: RecordPosition, _ctx?: ImportContext): SampleInput | RecordError {
  return convert(pos, () => {
    const record = Array.isArray(value) ? { messages: value } : requireObject(value);
    const messages = check(messagesSchema, record.messages, "messages") as Message[];
    const { unplaced, ...conversation } = conversationParts(messages.map(readMessage), "messages");
    const sourceField = record.source_id !== undefined && record.source_id !== null ? "source_id" : "id";
    return {
      sourceId: idText(record[sourceField], sourceField),
      ...conversation,
      tools: chatTools(record, messages),
      ...(marksErrorToolResponse(record, messages) ? { errorToolResponse: true } : {}),
      ...(unplaced ? { sourceRecord: record } : {}),
    };
  });
}

const TOOL_ROLES = new Set(["tool", "function", "ipython"]);

function readMessage(message: Message, i: number): ReadMessage {
  const field = `messages[${i}]`;
  const role = message.role.toLowerCase();
  if (SYSTEM_ROLES.has(role)) return { role: "system", text: "", field };
  if (role === "user") return { role: "user", text: messageText(message, field), field: `${field}.content` };
  if (role === "assistant") return { role: "assistant", ...assistantReply(message, field), field };
  if (TOOL_ROLES.has(role)) {
    const callId = typeof message.tool_call_id === "string" && message.tool_call_id ? message.tool_call_id : undefined;
    const name = typeof message.name === "string" && message.name ? message.name : undefined;
    return { role: "tool", content: toolResultText(message.content), callId, name, field };
  }
  return fail(`${field}.role`, `is ${JSON.stringify(message.role)}; expected system, developer, user, assistant or tool`);
}

function chatTools(record: Record<string, unknown>, messages: Message[]): Tool[] {
  const field = record.tools === undefined || record.tools === null ? "functions" : "tools";
  if (record[field] !== undefined && record[field] !== null) {
    const tools = jsonField(record[field], field);
    return checkKept(toolsSchema, Array.isArray(tools) ? tools.map(unwrapOpenAiTool) : tools, field);
  }
  const systemAt = messages.findIndex((m) => m.role === "system");
  const content = messages[systemAt]?.content;
  const functions = typeof content === "string" ? functionsFromSystemPrompt(content) : null;
  if (functions === null) {
    fail("tools", "the record has no tools (or functions) field and no system message holding BFCL's default prompt with the tools");
  }
  const promptField = `messages[${systemAt}].content`;
  return checkKept(toolsSchema, jsonField(functions, promptField), promptField);
}

/** `{type: "function", function: {name, description, parameters}}` → `{name, description, parameters}`. */
export function unwrapOpenAiTool(tool: unknown): unknown {
  if (tool === null || typeof tool !== "object") return tool;
  const { type, function: fn } = tool as Record<string, unknown>;
  if (type !== "function" || fn === null || typeof fn !== "object" || Array.isArray(fn)) return tool;
  const { name, description, parameters } = fn as Record<string, unknown>;
  return { name, ...(description === undefined ? {} : { description }), ...(parameters === undefined ? {} : { parameters }) };
}

/**
 * A FunReason training line: system = BFCL's default prompt with the tools, user = the query, assistant =
 * `<think>CoT</think>\n\n` + the calls in Python syntax (or the text answer); no think block without a CoT.
 * A conversation goes on in order (FunReason-MT's shape): every assistant turn written the same way, each tool
 * result as `{role: "tool", content}`, further requests as user messages, and `error_tool_response: true` on a
 * conversation whose source marks its tool results deliberately wrong. Python calls carry no ids: the results
 * answer the calls in order. Carries sample_id, source_id and the tools, so it re-imports (chat format) to the same
 * sample (without call ids).
 */
export function serialize(sample: ExportSample): string {
  const toolsJson = toolsJsonOf(sample);
  return jsonWithRaw(
    {
      sample_id: sample.id,
      source_id: sample.sourceId,
      messages: [{ role: "system", content: systemPromptWithToolsJson(toolsJson) }, ...conversationMessages(sample).map(chatMessage)],
      ...(sample.errorToolResponse ? { error_tool_response: true } : {}),
    },
    { tools: toolsJson },
  );
}

function chatMessage(message: FollowUpMessage): { role: string; content: string } {
  if (message.role === "assistant") return { role: "assistant", content: assistantContent(message.cot, answerText(message.answer)) };
  return { role: message.role, content: message.content };
}

/** The answer as the assistant writes it: Python calls, or the text itself ("" for none). */
export function answerText(answer: Answer | null): string {
  if (!answer) return "";
  return answer.kind === "calls" ? renderCalls(answer.calls) : answer.text;
}

/** `<think>cot</think>` and the body, separated by a blank line; either may be absent. */
export function assistantContent(cot: string | null, body: string): string {
  return [cot ? `<think>${cot}</think>` : "", body].filter(Boolean).join("\n\n");
}
