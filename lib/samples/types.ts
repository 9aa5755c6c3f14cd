// The canonical in-memory sample: every format parses into it and serializes from it.

export type ToolCall = { name: string; arguments: Record<string, unknown> };

/** The reference answer: calls, or plain "statement text" when no call is appropriate. */
export type Answer = { kind: "calls"; calls: ToolCall[] } | { kind: "text"; text: string };

/**
 * A tool exactly as its source wrote it. `parameters` is either xLAM-style
 * (`{param: {type: "str, optional", description, default}}`) or a JSON-schema-like dict
 * (`{type: "dict" | "object", properties: {...}, required: [...]}`); lib/pipeline/schema-types.ts tells them apart.
 */
export type Tool = { name: string; description?: string; parameters?: unknown } & Record<string, unknown>;

export interface SampleInput {
  /** The record's id in its source file, as text (null when the source had none). */
  sourceId: string | null;
  query: string;
  tools: Tool[];
  /** Null when the source had no reference answer (e.g. BFCL without a possible_answer file). */
  answer: Answer | null;
  cot: string | null;
  /** The whole source record, kept when the sample does not hold all of it (e.g. a multi-turn record cut to its first exchange). */
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
