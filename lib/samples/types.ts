// The canonical in-memory sample: every format parses into it and serializes from it.

/** `id`: the call's id when the source gave one (OpenAI `tool_calls[].id`): a tool message names the call it answers by it. */
export type ToolCall = { name: string; arguments: Record<string, unknown>; id?: string };

/** The reference answer: calls, or plain "statement text" when no call is appropriate. */
export type Answer = { kind: "calls"; calls: ToolCall[] } | { kind: "text"; text: string };

/**
 * A tool exactly as its source wrote it. `parameters` is either xLAM-style
 * (`{param: {type: "str, optional", description, default}}`) or a JSON-schema-like dict
 * (`{type: "dict" | "object", properties: {...}, required: [...]}`); lib/pipeline/schema-types.ts tells them apart.
 */
export type Tool = { name: string; description?: string; parameters?: unknown } & Record<string, unknown>;

/**
 * A message after a conversation's first answer, in order: tool results, further user requests and the assistant's
 * further turns. (The first exchange — the query, the first answer and its CoT — is the sample's own fields; a
 * single-turn sample is the conversation that ends there.)
 */
export type FollowUpMessage =
  | { role: "user"; content: string }
  | { role: "assistant"; cot: string | null; answer: Answer | null }
  /** A tool's result as written (JSON text or plain text); `callId` is the id of the call it answers, when known. */
  | { role: "tool"; content: string; callId?: string; name?: string };

export interface SampleInput {
  /** The record's id in its source file, as text (null when the source had none). */
  sourceId: string | null;
  query: string;
  tools: Tool[];
  /** Null when the source had no reference answer (e.g. BFCL without a possible_answer file). */
  answer: Answer | null;
  cot: string | null;
  /** The rest of the conversation after the first answer; absent (or empty) for a single exchange. */
  followUp?: FollowUpMessage[];
  /**
   * The source marks the conversation's tool results as deliberately wrong (FunReason-MT's `error_tool_response`):
   * kept and filterable, out of the refined set by default.
   */
  errorToolResponse?: boolean;
  /** The whole source record, kept when the sample does not hold all of it (fields the studio has no place for). */
  sourceRecord?: Record<string, unknown>;
}

export const SAMPLE_STATUSES = ["pending", "passed", "flagged", "text", "approved", "discarded"] as const;
export type SampleStatus = (typeof SAMPLE_STATUSES)[number];

/** What "the refined set" is: the pipeline's output plus human approvals. See README. */
export const REFINED_STATUSES: readonly SampleStatus[] = ["passed", "text", "approved"];

export interface StoredSample extends SampleInput {
  id: number;
  datasetId: number;
  status: SampleStatus;
  version: number;
}

/** Where a record sits in its file: 1-based line (when the file has lines) and 0-based record index. */
export interface RecordPosition {
  line?: number;
  index: number;
}

/** Why one record was rejected: position, the offending field (dotted path) and a sentence. */
export interface RecordError extends RecordPosition {
  field?: string;
  message: string;
}
