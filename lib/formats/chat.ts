// Chat JSONL, import and the FunReason export. Two flavours are read:
// - FunReason: assistant content `<think>CoT</think>\n\n[python calls]`; tools from the top-level `tools` field,
//   else recovered from a system message that is BFCL's default prompt with the tools filled in;
// - OpenAI: assistant `tool_calls` (arguments as JSON text), an optional `<think>` block in its content, and
//   top-level `tools: [{type: "function", function: {name, description, parameters}}]`.
import { z } from "zod";
import type { Answer, RecordError, RecordPosition, SampleInput, Tool, ToolCall } from "@/lib/samples/types";
import { parseCallList, renderCalls, splitThink } from "@/lib/pipeline/render";
import { argumentsSchema, check, checkKept, convert, cotOrNull, expected, fail, idText, jsonField, querySchema, requireObject, stringSchema, toolsSchema, type ImportContext } from "./fields";
import type { ExportSample } from "./index";
import { jsonWithRaw, toolsJsonOf } from "./json-line";
import { functionsFromSystemPrompt, systemPromptWithToolsJson } from "./system-prompt";

type Message = { role: string; content?: unknown; tool_calls?: unknown };

const messagesSchema = z
  .array(z.looseObject({ role: stringSchema }, expected("a message object {role, content}")), expected("a list of messages"))
  .min(1, { error: "is empty" });

const toolCallsSchema = z.array(
  z.looseObject(
    { function: z.looseObject({ name: stringSchema.min(1, { error: "is empty" }), arguments: z.unknown() }, expected("an object {name, arguments}")) },
    expected('a tool call {type: "function", function: {name, arguments}}'),
  ),
  expected("a list of tool calls"),
);

/**
 * A chat record. The answer is the last assistant message; the query is the last user message before it (earlier
 * turns are not kept). sourceId is `source_id`, else `id`. An assistant text that does not parse as a call list
 * is a text answer; an assistant message with neither calls nor text, or no assistant message, gives no answer.
 */
export function fromRecord(value: unknown, pos: RecordPosition, _ctx?: ImportContext): SampleInput | RecordError {
  return convert(pos, () => {
    const record = requireObject(value);
    const messages: Message[] = check(messagesSchema, record.messages, "messages");
    const assistantAt = messages.findLastIndex((m) => m.role === "assistant");
    const userAt = messages.findLastIndex((m, i) => m.role === "user" && (assistantAt === -1 || i < assistantAt));
    if (userAt === -1) fail("messages", assistantAt === -1 ? "has no user message" : "has no user message before the assistant's");
    const reply = assistantAt === -1 ? { answer: null, cot: null } : assistantReply(messages[assistantAt], `messages[${assistantAt}]`);
    const sourceField = record.source_id !== undefined && record.source_id !== null ? "source_id" : "id";
    return {
      sourceId: idText(record[sourceField], sourceField),
      query: check(querySchema, messages[userAt].content, `messages[${userAt}].content`),
      tools: chatTools(record, messages),
      ...reply,
    };
  });
}

function assistantReply(message: Message, path: string): { answer: Answer | null; cot: string | null } {
  const content = message.content === undefined || message.content === null ? "" : check(stringSchema, message.content, `${path}.content`);
  const { cot, rest } = splitThink(content);
  const result = { cot: cotOrNull(cot, `${path}.content`), answer: null as Answer | null };
  if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
    result.answer = { kind: "calls", calls: openAiCalls(message.tool_calls, `${path}.tool_calls`) };
  } else if (rest.trim()) {
    const parsed = parseCallList(rest);
    result.answer = parsed.ok ? { kind: "calls", calls: parsed.calls } : { kind: "text", text: rest };
  }
  return result;
}

function openAiCalls(toolCalls: unknown, path: string): ToolCall[] {
  return check(toolCallsSchema, toolCalls, path).map((call, i) => {
    const field = `${path}[${i}].function.arguments`;
    const args = call.function.arguments === undefined ? {} : jsonField(call.function.arguments, field);
    return { name: call.function.name, arguments: check(argumentsSchema, args, field) };
  });
}

function chatTools(record: Record<string, unknown>, messages: Message[]): Tool[] {
  if (record.tools !== undefined && record.tools !== null) {
    const tools = jsonField(record.tools, "tools");
    return checkKept(toolsSchema, Array.isArray(tools) ? tools.map(unwrapOpenAiTool) : tools, "tools");
  }
  const systemAt = messages.findIndex((m) => m.role === "system");
  const content = messages[systemAt]?.content;
  const functions = typeof content === "string" ? functionsFromSystemPrompt(content) : null;
  if (functions === null) {
    fail("tools", "the record has no tools field and no system message holding BFCL's default prompt with the tools");
  }
  const field = `messages[${systemAt}].content`;
  return checkKept(toolsSchema, jsonField(functions, field), field);
}

/** `{type: "function", function: {name, description, parameters}}` → `{name, description, parameters}`. */
function unwrapOpenAiTool(tool: unknown): unknown {
  if (tool === null || typeof tool !== "object") return tool;
  const { type, function: fn } = tool as Record<string, unknown>;
  if (type !== "function" || fn === null || typeof fn !== "object" || Array.isArray(fn)) return tool;
  const { name, description, parameters } = fn as Record<string, unknown>;
  return { name, ...(description === undefined ? {} : { description }), ...(parameters === undefined ? {} : { parameters }) };
}

/**
 * A FunReason training line: system = BFCL's default prompt with the tools, user = the query, assistant =
 * `<think>CoT</think>\n\n` + the calls in Python syntax (or the text answer); no think block without a CoT.
 * Carries sample_id, source_id and the tools, so it re-imports (chat format) to the same sample.
 */
export function serialize(sample: ExportSample): string {
  const toolsJson = toolsJsonOf(sample);
  return jsonWithRaw(
    {
      sample_id: sample.id,
      source_id: sample.sourceId,
      messages: [
        { role: "system", content: systemPromptWithToolsJson(toolsJson) },
        { role: "user", content: sample.query },
        { role: "assistant", content: assistantContent(sample.cot, answerText(sample.answer)) },
      ],
    },
    { tools: toolsJson },
  );
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
