// A conversation as every chat-shaped format reads it (chat.ts, sharegpt.ts, glaive.ts): the messages in order,
// already parsed, become the sample's first exchange (the query, the first answer and its CoT) and its follow-up
// (tool results, further user and assistant turns). See FollowUpMessage in lib/samples/types.ts.
import type { Answer, FollowUpMessage, SampleInput, ToolCall } from "@/lib/samples/types";
import { check, fail, querySchema } from "./fields";

/** One message as a reader parsed it; `field` is where it sits in the record, for errors. */
export type ReadMessage = { field: string } & (
  | { role: "system"; text: string }
  | { role: "user"; text: string }
  | { role: "assistant"; answer: Answer | null; cot: string | null }
  | { role: "tool"; content: string; callId?: string; name?: string }
);

export type ConversationParts = Pick<SampleInput, "query" | "answer" | "cot" | "followUp"> & {
  /** Something had no place in the sample (a system message mid-conversation, text before the first turn): keep the record. */
  unplaced: boolean;
};

/**
 * The first user message is the query and the assistant message right after it the first answer (none when the
 * next message is not the assistant's); everything after is the follow-up. System messages before the query are
 * instructions (often the tools), not part of the sample; one later has no place and marks the record `unplaced`.
 * Every user message must be a usable request (querySchema). Call ids are kept only when the conversation goes on:
 * they pair a call with its result, and a single exchange stays exactly what it was before conversations.
 */
export function conversationParts(messages: ReadMessage[], listField: string, noUser = "has no user message"): ConversationParts {
  const queryAt = messages.findIndex((message) => message.role === "user");
  if (queryAt === -1) fail(listField, noUser);
  let unplaced = messages.slice(0, queryAt).some((message) => message.role !== "system");
  const query = check(querySchema, (messages[queryAt] as { text: string }).text, messages[queryAt].field);
  const next = messages[queryAt + 1];
  const first = next?.role === "assistant" ? next : null;
  const followUp: FollowUpMessage[] = [];
  for (const message of messages.slice(queryAt + (first ? 2 : 1))) {
    if (message.role === "system") unplaced = true;
    else if (message.role === "user") followUp.push({ role: "user", content: check(querySchema, message.text, message.field) });
    else if (message.role === "assistant") followUp.push({ role: "assistant", cot: message.cot, answer: message.answer });
    else followUp.push({ role: "tool", content: message.content, ...(message.callId ? { callId: message.callId } : {}), ...(message.name ? { name: message.name } : {}) });
  }
  const answer = first?.answer ?? null;
  return {
    query,
    answer: followUp.length ? answer : withoutCallIds(answer),
    cot: first?.cot ?? null,
    ...(followUp.length ? { followUp } : {}),
    unplaced,
  };
}

function withoutCallIds(answer: Answer | null): Answer | null {
  return answer?.kind === "calls" ? { kind: "calls", calls: callsWithoutIds(answer.calls) } : answer;
}

/** The calls without their ids (the same list when none has one). */
export function callsWithoutIds(calls: ToolCall[]): ToolCall[] {
  return calls.some((call) => call.id !== undefined) ? calls.map(({ name, arguments: args }) => ({ name, arguments: args })) : calls;
}

/** A tool result's content as text: a string as is, text parts joined, anything else as JSON. */
export function toolResultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content) && content.every((part) => typeof part?.text === "string")) return content.map((part) => part.text).join("\n");
  return content === undefined || content === null ? "" : JSON.stringify(content);
}

/**
 * FunReason-MT marks trajectories whose tool results are deliberately wrong with `error_tool_response` (on the
 * record; some copies put it on the tool message): true, "true" or 1.
 */
export function marksErrorToolResponse(record: Record<string, unknown>, messages: readonly unknown[] = []): boolean {
  const marked = (value: unknown) => value === true || value === 1 || value === "true";
  return (
    marked(record.error_tool_response) ||
    messages.some((message) => message !== null && typeof message === "object" && marked((message as Record<string, unknown>).error_tool_response))
  );
}

/** Assistant turns in a conversation: the first answer's and those in the follow-up. */
export function assistantTurns(sample: Pick<SampleInput, "followUp">): number {
  return 1 + (sample.followUp ?? []).filter((message) => message.role === "assistant").length;
}

/**
 * A conversation's messages in order, for the exports: the query, the first answer (always: an empty one stands in
 * for none, so the turns keep their places) and the follow-up. A single exchange is the query and its answer.
 */
export function conversationMessages(sample: Pick<SampleInput, "query" | "answer" | "cot" | "followUp">): FollowUpMessage[] {
  return [{ role: "user", content: sample.query }, { role: "assistant", cot: sample.cot, answer: sample.answer }, ...(sample.followUp ?? [])];
}

/** Whether the sample goes on after its first answer. */
export function isConversation(sample: Pick<SampleInput, "followUp">): boolean {
  return (sample.followUp?.length ?? 0) > 0;
}
