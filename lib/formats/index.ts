// The format registries: what can be imported (record → sample) and exported (sample → one JSON line).
import type { RecordError, RecordPosition, SampleInput, StoredSample } from "@/lib/samples/types";
import * as audit from "./audit";
import * as bfcl from "./bfcl";
import * as chat from "./chat";
import type { ImportContext } from "./fields";
import { llamaFactoryDatasetInfo } from "./dataset-info";
import * as glaive from "./glaive";
import * as openai from "./openai";
import * as sharegpt from "./sharegpt";
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
  /** A judge panel member's vote: the panel's name (its verdict, decided by `panel:<name>`, is the stage's). */
  memberOf?: string;
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
  /** One line saying what the lines hold, for the export dialog. */
  help: string;
  /** One JSON line, without the newline. */
  serialize(sample: ExportSample): string;
  /** Why a line of this format cannot hold the sample (a conversation in a one-exchange format, …), or null: the export withholds it with this reason. */
  cannotWrite?(sample: ExportSample): string | null;
  /** The entry a trainer's dataset registry needs beside the file (LLaMA-Factory's dataset_info.json). */
  datasetInfo?(datasetName: string, fileName: string): Record<string, unknown>;
}

/** What the browser needs to offer a format (no functions: it crosses from server to client components). */
export interface FormatOption<Id extends string = string> {
  id: Id;
  label: string;
  help?: string;
  /** The export writes a dataset_info.json entry (see ExportFormat.datasetInfo). */
  datasetInfo?: boolean;
}

export const IMPORT_FORMATS = {
  xlam: { id: "xlam", label: "xLAM (query, tools, answers)", fromRecord: xlam.fromRecord },
  bfcl: { id: "bfcl", label: "BFCL (question, function)", fromRecord: bfcl.fromRecord },
  chat: { id: "chat", label: "Chat JSONL (FunReason or OpenAI messages)", fromRecord: chat.fromRecord },
  glaive: { id: "glaive", label: "glaive-function-calling-v2 (system, chat)", fromRecord: glaive.fromRecord },
  sharegpt: { id: "sharegpt", label: "ShareGPT / LLaMA-Factory / Hermes (conversations)", fromRecord: sharegpt.fromRecord },
} as const satisfies Record<string, ImportFormat>;

export const EXPORT_FORMATS = {
  funreason: {
    id: "funreason",
    label: "FunReason",
    help: "Chat messages for training: system prompt with tools, <think> reasoning in every assistant turn, Python-syntax calls, tool results",
    serialize: chat.serialize,
  },
  xlam: {
    id: "xlam",
    label: "xLAM",
    help: "query / tools / answers (+ cot), like the xLAM 60k set; one exchange per line (conversations are left out)",
    serialize: xlam.serialize,
    cannotWrite: xlam.cannotWrite,
  },
  openai: {
    id: "openai",
    label: "OpenAI",
    help: "Chat-completions fine-tuning lines with tool_calls and tool messages",
    serialize: openai.serialize,
    cannotWrite: openai.cannotWrite,
  },
  sharegpt: {
    id: "sharegpt",
    label: "ShareGPT",
    help: "LLaMA-Factory sharegpt lines: human / function_call / observation / gpt turns, <think> reasoning, tools as JSON Schema",
    serialize: sharegpt.serialize,
    cannotWrite: sharegpt.cannotWrite,
    datasetInfo: llamaFactoryDatasetInfo,
  },
  audit: { id: "audit", label: "Audit", help: "Every field and every stage verdict, for auditing", serialize: audit.serialize },
} as const satisfies Record<string, ExportFormat>;

type ImportId = keyof typeof IMPORT_FORMATS;
type ExportId = keyof typeof EXPORT_FORMATS;

/** The import formats' ids, for zod enums and CLI help: `auto` (detect) first. */
export const IMPORT_FORMAT_CHOICES = ["auto", ...Object.keys(IMPORT_FORMATS)] as ["auto", ...ImportId[]];
export const EXPORT_FORMAT_IDS = Object.keys(EXPORT_FORMATS) as [ExportId, ...ExportId[]];

export const importFormatOptions = (): FormatOption[] => Object.values(IMPORT_FORMATS).map(({ id, label }) => ({ id, label }));
/** An export format as the browser offers it: its id is one the export routes take. */
export type ExportFormatOption = FormatOption<ExportId>;

export const exportFormatOptions = (): ExportFormatOption[] =>
  Object.values(EXPORT_FORMATS).map((format) => ({ id: format.id, label: format.label, help: format.help, datasetInfo: "datasetInfo" in format }));

/** "xLAM (query, tools, answers), BFCL (question, function), … or ShareGPT (conversations)", for messages. */
export function describeImportFormats(): string {
  const labels = Object.values(IMPORT_FORMATS).map((format) => format.label);
  return `${labels.slice(0, -1).join(", ")} or ${labels.at(-1)}`;
}

/**
 * Tells the import format from a file's first record (a list of messages is read as {messages}): question+function → bfcl; conversations → sharegpt; messages
 * → chat, unless its turns are ShareGPT's (from/value) or Hermes' (`<tools>`, `<tool_call>` in the text) →
 * sharegpt; query+tools → xlam; system+chat as text → glaive.
 */
export function detectFormat(firstRecord: unknown): ImportId | null {
  if (Array.isArray(firstRecord)) {
    const messages = firstRecord.every((item) => item !== null && typeof item === "object" && ("role" in item || "from" in item));
    return messages ? detectFormat({ messages: firstRecord }) : null;
  }
  if (firstRecord === null || typeof firstRecord !== "object") return null;
  const has = (key: string) => Object.hasOwn(firstRecord, key);
  if (has("question") && has("function")) return "bfcl";
  if (has("conversations")) return "sharegpt";
  if (has("messages")) return sharegpt.hasShareGptTurns((firstRecord as { messages: unknown }).messages) ? "sharegpt" : "chat";
  if (has("query") && has("tools")) return "xlam";
  const { system, chat: transcript } = firstRecord as Record<string, unknown>;
  if (typeof system === "string" && typeof transcript === "string") return "glaive";
  return null;
}
