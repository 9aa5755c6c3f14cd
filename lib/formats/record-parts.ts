// What both framers (JSON Lines in records.ts, JSON arrays in json-array.ts) share: the record type, the file-level
// error, and turning one record's bytes into a record or a record error (UTF-8, nesting, "is it an object").
import { isUtf8 } from "node:buffer";
import type { RecordError } from "@/lib/samples/types";
import { joinPath, nestingBeyond, nestingProblem, pathOfText } from "./json-value";

export type RawRecord = { ok: true; value: unknown; index: number; line?: number } | { ok: false; error: RecordError };

type Position = { line: number; index: number };

/** The whole file is unusable (empty, not JSON, truncated): nothing of it should be imported. */
export class FileFormatError extends Error {
  line?: number;

  constructor(message: string, line?: number) {
    super(message);
    this.name = "FileFormatError";
    this.line = line;
  }
}

/**
 * One record's bytes as text, or its error when they are not valid UTF-8 (rather than storing U+FFFD in their
 * place). The field named is the first one that holds a replaced character.
 */
export function decodeRecord(bytes: Buffer, position: Position): { ok: true; text: string } | { ok: false; error: RecordError } {
  const text = bytes.toString("utf8");
  if (isUtf8(bytes)) return { ok: true, text };
  let field: string | undefined;
  try {
    const path = pathOfText(JSON.parse(text), "\ufffd");
    if (path?.length) field = joinPath("", path);
  } catch {
    // The bad bytes broke the JSON itself: the line is all we can say.
  }
  const message = "contains bytes that are not valid UTF-8 (the file must be UTF-8 text)";
  return { ok: false, error: { ...position, ...(field ? { field } : {}), message } };
}

/** A parsed record: an object within the nesting limit, or the record error saying why not. */
export function toRecord(value: unknown, position: Position): RawRecord {
  // A list of objects may be a conversation (a JSON array file of conversations): the formats say whether it is one.
  const conversation = Array.isArray(value) && value.length > 0 && value.every((item) => item !== null && typeof item === "object" && !Array.isArray(item));
  if (value === null || typeof value !== "object" || (Array.isArray(value) && !conversation)) {
    return { ok: false, error: { ...position, message: `record is ${describeJson(value)}, expected an object` } };
  }
  const tooDeep = nestingBeyond(value);
  if (tooDeep) {
    const problem = nestingProblem(tooDeep);
    return { ok: false, error: { ...position, field: joinPath("", problem.path), message: problem.message } };
  }
  return { ok: true, value, ...position };
}

/** "a string", "an array", "null"… for messages. */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function megabytes(bytes: number, digits: number): string {
  return (bytes / (1024 * 1024)).toFixed(digits).replace(/\.0+$/, "");
}

/** "<size> MB; the limit is <limit> MB", with enough digits that neither reads as 0 nor as equal to the other. */
export function overLimit(bytes: number, limit: number): string {
  let digits = 1;
  while (digits < 6 && (megabytes(limit, digits) === "0" || megabytes(bytes, digits) === megabytes(limit, digits))) digits++;
  return `${megabytes(bytes, digits)} MB; the limit is ${megabytes(limit, digits)} MB`;
}
