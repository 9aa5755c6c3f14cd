// Per-record limits of every import format. A record over a limit is rejected with the field named; the rest of
// the file is still imported.

/** Longest query, in characters (UTF-16 code units, as JavaScript counts them). */
export const MAX_QUERY_CHARS = 100_000;
/** Longest chain of thought, in characters. */
export const MAX_COT_CHARS = 200_000;
/** Most tools one sample may offer. */
export const MAX_TOOLS = 512;
/** Longest record in a file (a JSON Lines line or a JSON array element), in bytes. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;
/**
 * Deepest nesting of arrays and objects (lists, dicts, calls) in one record, one JSON-text field or one edited
 * answer. Deeper values are rejected: checking, hashing and rendering them would recurse past the stack.
 */
export const MAX_NESTING = 64;
