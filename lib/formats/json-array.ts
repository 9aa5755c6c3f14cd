// The JSON array framer: finds each element's bytes by scanning for strings, escapes and bracket depth, then
// JSON.parse's the element (native), so a 185 MB file is not tokenized character by character in JavaScript.
// Structure between elements (commas, brackets, what follows the array) is checked here; inside an element,
// JSON.parse is the judge.
import type { RecordError } from "@/lib/samples/types";
import { decodeRecord, FileFormatError, overLimit, toRecord, type RawRecord } from "./record-parts";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const NEWLINE = 0x0a;

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Where the scan is, outside an element. */
type Place = "before-array" | "first-element" | "element" | "after-element" | "after-array";

/**
 * Reads `[elem, elem, …]` element by element: each record has its index and the line it starts on. An element
 * that is not an object, not UTF-8, nested too deep or over `maxBytes` is a record error; a file that is not a
 * well-formed array (a broken element, a missing comma, text after the closing bracket, no closing bracket) is a
 * FileFormatError naming the line.
 */
export async function* readJsonArray(chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<RawRecord> {
  let place = "before-array" as Place; // (a cast: finishElement changes it, which narrowing cannot see)
  let line = 1;
  let trailingNewlines = 0; // newlines after the last byte that is not whitespace (for "ends at line N")
  let complete = 0;

  // The element being read.
  let inElement = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let bare = false; // a number, true, false or null: it ends at the next delimiter
  let elementLine = 1;
  let parts: Buffer[] = [];
  let size = 0;

  const out: RawRecord[] = [];
  const fileError = (message: string, at = line) => new FileFormatError(message, at);

  const finishElement = (tail: Buffer) => {
    size += tail.length;
    if (size <= maxBytes) parts.push(tail);
    const position = { line: elementLine, index: complete++ };
    out.push(size > maxBytes ? tooLarge(position, size, maxBytes) : parseElement(parts, size, position));
    parts = [];
    size = 0;
    inElement = false;
    place = "after-element";
  };

  for await (const chunk of chunks) {
    let start = 0; // where the current element's bytes start in this chunk
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const byte = chunk[i];
      if (inElement) {
        if (inString) {
          if (escaped) {
            escaped = false;
            continue;
          }
          // Jump to the closing quote (native search); a quote after an odd run of backslashes is escaped.
          const end = closingQuote(chunk, i);
          if (end === -1) {
            escaped = endsInEscape(chunk, i);
            break;
          }
          i = end;
          inString = false;
          if (depth === 0) finishElement(chunk.subarray(start, i + 1));
        } else if (bare) {
          if (isSpace(byte) || byte === COMMA || byte === CLOSE_BRACKET) {
            bare = false;
            finishElement(chunk.subarray(start, i));
            i--; // the delimiter is read again, outside the element
            continue;
          }
        } else if (byte === QUOTE) inString = true;
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          if (--depth === 0) finishElement(chunk.subarray(start, i + 1));
        } else if (byte === NEWLINE) line++; // (a newline inside a string is invalid JSON: JSON.parse says so)
        continue;
      }
      if (byte === NEWLINE) line++;
      if (isSpace(byte)) continue;
      switch (place) {
        case "before-array":
          if (byte !== OPEN_BRACKET) throw fileError(`expected '[' at line ${line}`);
          place = "first-element";
          break;
        case "after-element":
          if (byte === COMMA) place = "element";
          else if (byte === CLOSE_BRACKET) place = "after-array";
          else throw fileError(`the JSON array is not valid JSON at line ${line}: expected ',' or ']' after record ${complete - 1}`);
          break;
        case "after-array":
          throw fileError(`unexpected text after the end of the JSON array, at line ${line}`);
        case "first-element":
          if (byte === CLOSE_BRACKET) {
            place = "after-array";
            break;
          }
        // falls through: anything else starts the first element
        case "element":
          if (byte === COMMA || byte === CLOSE_BRACKET) {
            throw fileError(`the JSON array is not valid JSON at line ${line}: expected a record, found '${String.fromCharCode(byte)}'`);
          }
          inElement = true;
          elementLine = line;
          start = i;
          depth = byte === OPEN_BRACE || byte === OPEN_BRACKET ? 1 : 0;
          inString = byte === QUOTE;
          bare = depth === 0 && !inString;
          break;
      }
    }
    if (inElement) {
      size += n - start;
      // Past the limit, keep counting the element's bytes but stop buffering them.
      if (size <= maxBytes) parts.push(chunk.subarray(start));
      else parts = [];
    }
    trailingNewlines = countTrailingNewlines(chunk, trailingNewlines);
    yield* out;
    out.length = 0;
  }

  if (inElement && bare) finishElement(Buffer.alloc(0));
  yield* out;
  if (place !== "after-array") {
    const lastLine = line - trailingNewlines;
    const detail = inElement ? (inString ? "inside a string" : `inside record ${complete}`) : "no closing ']'";
    throw fileError(
      `the file ends at line ${lastLine} inside the JSON array, after ${complete} complete record${complete === 1 ? "" : "s"} (${detail}): it looks truncated`,
      lastLine,
    );
  }
}

/** The index of the quote that closes a string whose content starts at `from`, or -1 when not in this chunk. */
function closingQuote(chunk: Buffer, from: number): number {
  for (let quote = chunk.indexOf(QUOTE, from); quote !== -1; quote = chunk.indexOf(QUOTE, quote + 1)) {
    let backslashes = 0;
    while (quote - backslashes - 1 >= from && chunk[quote - backslashes - 1] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}

/** Whether a chunk that ends inside a string (content from `from`) ends with an escaping backslash. */
function endsInEscape(chunk: Buffer, from: number): boolean {
  let backslashes = 0;
  while (chunk.length - backslashes - 1 >= from && chunk[chunk.length - backslashes - 1] === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

function tooLarge(position: { line: number; index: number }, bytes: number, maxBytes: number): RawRecord {
  const error: RecordError = { ...position, message: `record ${position.index} is about ${overLimit(bytes, maxBytes)}` };
  return { ok: false, error };
}

/** An element's record; an element that is not JSON makes the file invalid (its framing can no longer be trusted). */
function parseElement(parts: Buffer[], size: number, position: { line: number; index: number }): RawRecord {
  const decoded = decodeRecord(parts.length === 1 ? parts[0] : Buffer.concat(parts, size), position);
  if (!decoded.ok) return decoded;
  let value: unknown;
  try {
    value = JSON.parse(decoded.text);
  } catch (error) {
    const { reason, offset } = jsonParseProblem(error as Error);
    const line = position.line + countNewlines(decoded.text, offset);
    throw new FileFormatError(`the JSON array is not valid JSON at line ${line}: ${reason}`, line);
  }
  return toRecord(value, position);
}

/** V8's "Expected ':' after property name in JSON at position 5 (line 1 column 6)" → its reason and offset. */
function jsonParseProblem(error: Error): { reason: string; offset: number } {
  const at = /at position (\d+)/.exec(error.message);
  const reason = error.message.replace(/ in JSON at position \d+.*$/s, "").replace(/, ".*" is not valid JSON$/s, "");
  return { reason: reason.charAt(0).toLowerCase() + reason.slice(1), offset: at ? Number(at[1]) : 0 };
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/** Newlines after the last byte of `chunk` that is not whitespace (plus `before` when the chunk is all whitespace). */
function countTrailingNewlines(chunk: Buffer, before: number): number {
  let count = 0;
  for (let i = chunk.length - 1; i >= 0; i--) {
    if (!isSpace(chunk[i])) return count;
    if (chunk[i] === NEWLINE) count++;
  }
  return before + count;
}
