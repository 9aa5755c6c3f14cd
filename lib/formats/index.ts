// The format registries: what can be imported (record → sample) and exported (sample → one JSON line).
import type { RecordError, RecordPosition, SampleInput, StoredSample } from "@/lib/samples/types";
import * as audit from "./audit";
import * as bfcl from "./bfcl";
import * as chat from "./chat";
import type { ImportContext } from "./fields";
import * as glaive from "./glaive";
import * as openai from "./openai";
import * as xlam from "./xlam";

export type { ImportContext } from "./fields";
export type { GroundTruth } from "./bfcl";

/** One stage decision as an audit export writes it. */
export interface ExportVerdict {
  stage: number;
  outcome: "pass" | "fail" | "skip" | "error";
  reason: string;
  evidence: unknown;
  decidedBy: string;
  attempt: number;
  promptVersion: string | null;
  /** ISO 8601. */
  createdAt: string;
}

/**
 * `toolsJson`, when the exporter has it, is the tools' compact JSON text as stored: serializers splice it in
 * rather than parse and re-stringify the largest field of every line (see json-line.ts).
 */
export type ExportSample = StoredSample & { datasetName: string; verdicts?: ExportVerdict[]; toolsJson?: string };

export interface ImportFormat {
  id: string;
  label: string;
  /** Pure: the sample, or why this record is rejected (with its position and field). */
  fromRecord(value: unknown, pos: RecordPosition, ctx?: ImportContext): SampleInput | RecordError;
}

export interface ExportFormat {
  id: string;
  label: string;
  /** One JSON line, without the newline. */
  serialize(sample: ExportSample): string;
}

export const IMPORT_FORMATS = {
  xlam: { id: "xlam", label: "xLAM (query, tools, answers)", fromRecord: xlam.fromRecord },
  bfcl: { id: "bfcl", label: "BFCL (question, function)", fromRecord: bfcl.fromRecord },
  chat: { id: "chat", label: "Chat JSONL (FunReason or OpenAI messages)", fromRecord: chat.fromRecord },
  glaive: { id: "glaive", label: "glaive-function-calling-v2 (system, chat)", fromRecord: glaive.fromRecord },
} as const satisfies Record<string, ImportFormat>;

export const EXPORT_FORMATS = {
  funreason: { id: "funreason", label: "FunReason chat JSONL", serialize: chat.serialize },
  xlam: { id: "xlam", label: "xLAM-compatible JSONL", serialize: xlam.serialize },
  openai: { id: "openai", label: "OpenAI fine-tuning JSONL", serialize: openai.serialize },
  audit: { id: "audit", label: "Audit JSONL (with verdicts)", serialize: audit.serialize },
} as const satisfies Record<string, ExportFormat>;

/**
 * Tells the import format from a file's first record: question+function → bfcl, messages → chat, query+tools → xlam,
 * system+chat as text → glaive.
 */
export function detectFormat(firstRecord: unknown): keyof typeof IMPORT_FORMATS | null {
  if (firstRecord === null || typeof firstRecord !== "object" || Array.isArray(firstRecord)) return null;
  const has = (key: string) => Object.hasOwn(firstRecord, key);
  if (has("question") && has("function")) return "bfcl";
  if (has("messages")) return "chat";
  if (has("query") && has("tools")) return "xlam";
  const { system, chat: transcript } = firstRecord as Record<string, unknown>;
  if (typeof system === "string" && typeof transcript === "string") return "glaive";
  return null;
}
