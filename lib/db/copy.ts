import { once } from "node:events";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** One value of a COPY row: null is SQL NULL, objects are written as JSON. */
export type CopyValue = string | number | boolean | null | object;

/** Encodes one row in COPY's text format (tab-separated, backslash escapes, \N for NULL). */
export function copyLine(values: readonly CopyValue[]): string {
  return values.map(copyField).join("\t") + "\n";
}

function copyField(value: CopyValue): string {
  if (value === null) return "\\N";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]);
}

/** A text[] literal (`{"a","b"}`) for a COPY field: every element quoted, quotes and backslashes escaped. */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const PIECE_CHARS = 64 * 1024;

/**
 * Streams rows into `table` with one COPY, honouring backpressure so memory stays flat however many rows come.
 * Returns the number of rows written.
 */
export async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: AsyncIterable<readonly CopyValue[]> | Iterable<readonly CopyValue[]>,
): Promise<number> {
  const columnList = columns.map((c) => `"${c}"`).join(", ");
  const stream = client.query(copyFrom(`COPY ${table} (${columnList}) FROM STDIN`));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  let count = 0;
  // Lines are sent in pieces of about 64 KB: one write (and one CopyData message) per row costs more than the row.
  let piece = "";
  const send = async () => {
    const full = !stream.write(piece);
    piece = "";
    if (full) await Promise.race([once(stream, "drain"), finished]);
  };
  try {
    for await (const row of rows) {
      count++;
      piece += copyLine(row);
      if (piece.length >= PIECE_CHARS) await send();
    }
    if (piece) await send();
  } catch (error) {
    // Abort the COPY so the connection is usable (and the transaction rolls back cleanly).
    stream.destroy(error as Error);
    await finished.catch(() => undefined);
    throw error;
  }
  stream.end();
  await finished;
  return count;
}
