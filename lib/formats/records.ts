// Streaming record framer: turns a byte stream (a JSON array or JSON Lines) into records, one at a time, in
// constant memory. Problems with one record become record errors; problems with the file throw FileFormatError.
import { readJsonArray } from "./json-array";
import { MAX_RECORD_BYTES } from "./limits";
import { decodeRecord, FileFormatError, overLimit, toRecord, type RawRecord } from "./record-parts";

export { describeJson, FileFormatError, type RawRecord } from "./record-parts";

export type ByteInput = AsyncIterable<Buffer | Uint8Array | string> | NodeJS.ReadableStream;

export interface ReadRecordsOptions {
  /** Longest record in bytes (default 8 MiB); a longer one is rejected without being buffered (JSON Lines). */
  maxRecordBytes?: number;
}

const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Reads records from a file. The first significant byte decides the framing: `[` → a JSON array, streamed element
 * by element (json-array.ts; each record has its index and the line it starts on); `{` → JSON Lines (each record
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
  if (head[at] === 0x5b /* [ */) yield* readJsonArray(all, maxBytes);
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
    const decoded = decodeRecord(buffered.length === 1 ? buffered[0] : Buffer.concat(buffered, bytes), { line: lineNo, index });
    if (!decoded.ok) {
      seenRecord = true;
      index++;
      return decoded;
    }
    const text = decoded.text;
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
// Helpers

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
