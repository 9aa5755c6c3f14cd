// Streaming record framer: turns a byte stream (a JSON array or JSON Lines) into records, one at a time, in
// constant memory. Problems with one record become record errors; problems with the file throw FileFormatError.
import { jsonParser, type Token } from "stream-json/parser.js";
import { streamArray } from "stream-json/streamers/stream-array.js";
import type { RecordError } from "@/lib/samples/types";
import { MAX_RECORD_BYTES } from "./limits";

export type RawRecord = { ok: true; value: unknown; index: number; line?: number } | { ok: false; error: RecordError };

export type ByteInput = AsyncIterable<Buffer | Uint8Array | string> | NodeJS.ReadableStream;

export interface ReadRecordsOptions {
  /** Longest record in bytes (default 8 MiB); a longer one is rejected without being buffered (JSON Lines). */
  maxRecordBytes?: number;
}

/** The whole file is unusable (empty, not JSON, truncated): nothing of it should be imported. */
export class FileFormatError extends Error {
  line?: number;

  constructor(message: string, line?: number) {
    super(message);
    this.name = "FileFormatError";
    this.line = line;
  }
}

const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];
// stream-chain's markers (registered symbols, so no import of stream-chain itself): "no output" and "several outputs".
const NONE = Symbol.for("object-stream.none");
const MANY = Symbol.for("object-stream.many");

/**
 * Reads records from a file. The first significant byte decides the framing: `[` → a JSON array, streamed element
 * by element with stream-json (each record has its index and the line it starts on); `{` → JSON Lines (each record
 * has its line; CRLF, a UTF-8 BOM and blank lines are fine). Records that are not objects, lines that are not JSON
 * and records over the size limit come out as record errors.
 */
export async function* readRecords(input: ByteInput, opts: ReadRecordsOptions = {}): AsyncGenerator<RawRecord> {
  const maxBytes = opts.maxRecordBytes ?? MAX_RECORD_BYTES;
  const chunks = byteChunks(input);

  // Read just far enough to see the first significant byte.
  let head: Buffer = Buffer.alloc(0);
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    head = head.length ? Buffer.concat([head, next.value]) : next.value;
    if (head.length >= BOM.length && significantIndex(head) !== -1) break;
  }
  if (startsWithBom(head)) head = head.subarray(BOM.length);
  const at = significantIndex(head);
  if (at === -1) throw new FileFormatError("the file is empty");

  const all = prepend(head, chunks);
  if (head[at] === 0x5b /* [ */) yield* readArray(all, maxBytes);
  else if (head[at] === 0x7b /* { */) yield* readLines(all, maxBytes);
  else {
    const line = countNewlines(head, at) + 1;
    const start = head.subarray(at, at + 60).toString("utf8").split(/\r?\n/)[0];
    throw new FileFormatError(
      `the file is neither a JSON array nor JSON Lines: line ${line} starts with ${JSON.stringify(start)}, ` +
        `expected '[' (an array of records) or '{' (one record per line)`,
      line,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON Lines

async function* readLines(chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<RawRecord> {
  let parts: Buffer[] = [];
  let size = 0;
  let line = 1;
  let index = 0;
  let seenRecord = false;

  // Ends the current line: a record, a record error, or null for a blank line.
  const finish = (): RawRecord | null => {
    const lineNo = line++;
    const bytes = size;
    const buffered = parts;
    parts = [];
    size = 0;
    if (bytes > maxBytes) {
      seenRecord = true;
      return { ok: false, error: { line: lineNo, index: index++, message: `line ${lineNo} is ${overLimit(bytes, maxBytes)}` } };
    }
    // A CRLF line keeps its "\r": JSON.parse takes it as whitespace.
    const text = buffered.length === 1 ? buffered[0].toString("utf8") : Buffer.concat(buffered, bytes).toString("utf8");
    if (!text.trim()) return null;
    if (!seenRecord && text.trim() === "{") {
      throw new FileFormatError(
        `line ${lineNo} holds only '{': the file looks like a pretty-printed JSON object, not JSON Lines (one record per line) or a JSON array`,
        lineNo,
      );
    }
    seenRecord = true;
    const position = { line: lineNo, index: index++ };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: false, error: { ...position, message: `not valid JSON: ${(error as Error).message}` } };
    }
    return toRecord(value, position);
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (end > start) {
        size += end - start;
        // Past the limit, keep counting the line's bytes but stop buffering them.
        if (size <= maxBytes) parts.push(chunk.subarray(start, end));
        else parts = [];
      }
      if (newline === -1) break;
      const record = finish();
      if (record) yield record;
      start = newline + 1;
    }
  }
  if (size > 0) {
    const record = finish();
    if (record) yield record;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON array

const VALUE_START = new Set(["startObject", "startArray", "stringValue", "numberValue", "trueValue", "falseValue", "nullValue"]);

async function* readArray(chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<RawRecord> {
  const tokenize = jsonParser({ packValues: true, streamValues: false }) as unknown as (text: string | symbol) => unknown;
  const elements = streamArray() as unknown as (token: Token) => unknown;
  const decoder = new TextDecoder("utf-8");
  const out: RawRecord[] = [];
  let line = 1; // the line being fed
  let lastLine = 1; // the line of the last byte fed
  let depth = 0;
  let closed = false;
  let complete = 0;
  let fed = 0; // bytes fed so far
  let elementLine = 1;
  let elementStart = 0; // bytes fed before the piece where the current element starts

  const take = (result: unknown, pieceStart: number) => {
    if (result === NONE) return;
    const tokens = (result as Record<symbol, unknown>)[MANY] === 1 ? (result as { values: Token[] }).values : [result as Token];
    for (const token of tokens) {
      if (depth === 1 && VALUE_START.has(token.name)) {
        elementLine = line;
        elementStart = pieceStart;
      }
      if (token.name === "startObject" || token.name === "startArray") depth++;
      else if (token.name === "endObject" || token.name === "endArray") depth--;
      if (depth === 0) closed = true;
      const item = elements(token);
      if (item === NONE) continue;
      const { key, value } = item as { key: number; value: unknown };
      complete++;
      // Measured in whole pieces (lines, or chunks of a one-line file): close enough for a limit of megabytes.
      const bytes = fed - elementStart;
      if (bytes > maxBytes) {
        out.push({ ok: false, error: { line: elementLine, index: key, message: `record ${key} is about ${overLimit(bytes, maxBytes)}` } });
      } else {
        out.push(toRecord(value, { line: elementLine, index: key }));
      }
    }
  };

  const feed = (bytes: Buffer | null) => {
    const text = bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    if (!text) return;
    const pieceStart = fed;
    fed += bytes ? bytes.length : 0;
    lastLine = line;
    let result: unknown;
    try {
      result = tokenize(text);
    } catch (error) {
      throw closed
        ? new FileFormatError(`unexpected text after the end of the JSON array, at line ${line}`, line)
        : new FileFormatError(`the JSON array is not valid JSON at line ${line}: ${reason(error)}`, line);
    }
    take(result, pieceStart);
  };

  for await (const chunk of chunks) {
    // Feed line by line (a newline never sits inside a UTF-8 sequence), so tokens come with their line number.
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      if (end > start) feed(chunk.subarray(start, end));
      if (newline === -1) break;
      line++;
      start = end;
    }
    yield* out;
    out.length = 0;
  }

  feed(null);
  const truncated = (detail: string) =>
    new FileFormatError(
      `the file ends at line ${lastLine} inside the JSON array, after ${complete} complete record${complete === 1 ? "" : "s"} (${detail}): it looks truncated`,
      lastLine,
    );
  try {
    take(tokenize(NONE), fed);
  } catch (error) {
    throw truncated(reason(error));
  }
  if (!closed) throw truncated("no closing ']'"); // stream-json's flush already throws here; kept as a guard
  yield* out;
}

function reason(error: unknown): string {
  return (error as Error).message.replace(/^Parser (cannot parse input: |has )?/, "");
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function toRecord(value: unknown, position: { line: number; index: number }): RawRecord {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return { ok: true, value, ...position };
  return { ok: false, error: { ...position, message: `record is ${describeJson(value)}, expected an object` } };
}

/** "a string", "an array", "null"… for messages. */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

async function* byteChunks(input: ByteInput): AsyncGenerator<Buffer> {
  for await (const chunk of input as AsyncIterable<Buffer | Uint8Array | string>) {
    if (typeof chunk === "string") yield Buffer.from(chunk, "utf8");
    else yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

async function* prepend(head: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  if (head.length) yield head;
  yield* rest;
}

function startsWithBom(buffer: Buffer): boolean {
  return buffer.length >= 3 && buffer[0] === BOM[0] && buffer[1] === BOM[1] && buffer[2] === BOM[2];
}

/** Index of the first byte that is not a BOM or JSON whitespace, or -1. */
function significantIndex(buffer: Buffer): number {
  for (let i = startsWithBom(buffer) ? BOM.length : 0; i < buffer.length; i++) {
    const byte = buffer[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return i;
  }
  return -1;
}

function countNewlines(buffer: Buffer, end: number): number {
  let count = 0;
  for (let i = buffer.indexOf(NEWLINE); i !== -1 && i < end; i = buffer.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

function megabytes(bytes: number, digits: number): string {
  return (bytes / (1024 * 1024)).toFixed(digits).replace(/\.0+$/, "");
}

/** "<size> MB; the limit is <limit> MB", with enough digits that neither reads as 0 nor as equal to the other. */
function overLimit(bytes: number, limit: number): string {
  let digits = 1;
  while (digits < 6 && (megabytes(limit, digits) === "0" || megabytes(bytes, digits) === megabytes(limit, digits))) digits++;
  return `${megabytes(bytes, digits)} MB; the limit is ${megabytes(limit, digits)} MB`;
}
