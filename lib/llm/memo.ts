// A bounded memo for the fake LLM's pure functions of a text. A run sends each sample's text in several requests (a
// teacher's, then each judge's), and every run the same shared text: what the fake derives from a text is worked out
// once and remembered, the oldest entries dropped first so that a long benchmark does not grow memory.
//
// Its texts are new strings on every request (read from the request's JSON): a Map keyed by them hashes every
// character of each on every lookup (a request's texts are ~20 kB looked up in all). Here a text is filed by its
// length and at most SAMPLED of its characters, spread over it, and told from the few filed alike by comparing them
// whole, which a string comparison does at memory speed.

interface Entry<V> {
  text: string;
  filedAs: number;
  value: V;
}

/** Characters of a text that file it: all of a shorter one. */
const SAMPLED = 64;

/** A number for `text` from its length and SAMPLED of its characters, evenly spread (a small integer: a fast Map key). */
function filingOf(text: string): number {
  const length = text.length;
  let hash = length;
  if (length <= SAMPLED) {
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  } else {
    for (let k = 0; k < SAMPLED; k++) hash = Math.imul(hash ^ text.charCodeAt(Math.floor((k * length) / SAMPLED)), 0x01000193);
    hash = Math.imul(hash ^ text.charCodeAt(length - 1), 0x01000193);
  }
  return hash & 0x3fffffff;
}

/**
 * `compute` remembered for the last `limit` texts it was asked about (oldest dropped first). What it returns is shared
 * by every caller with the same text: they must not change it.
 */
export function boundedMemo<V>(limit: number, compute: (text: string) => V): ((text: string) => V) & { readonly size: number } {
  const filed = new Map<number, Entry<V>[]>();
  // Entries oldest first from `oldest` on; the array's forgotten head is cut off now and then.
  const order: (Entry<V> | undefined)[] = [];
  let oldest = 0;
  const remembered = (text: string): V => {
    const filedAs = filingOf(text);
    const alike = filed.get(filedAs);
    if (alike !== undefined) for (const entry of alike) if (entry.text === text) return entry.value;
    const entry: Entry<V> = { text, filedAs, value: compute(text) };
    // Looked up again: `compute` may itself have remembered or dropped texts filed alike.
    const now = filed.get(filedAs);
    if (now === undefined) filed.set(filedAs, [entry]);
    else now.push(entry);
    order.push(entry);
    if (order.length - oldest > limit) {
      forget(order[oldest]!);
      order[oldest++] = undefined;
    }
    if (oldest >= limit) {
      order.splice(0, oldest);
      oldest = 0;
    }
    return entry.value;
  };
  function forget(entry: Entry<V>): void {
    const alike = filed.get(entry.filedAs)!;
    if (alike.length === 1) filed.delete(entry.filedAs);
    else alike.splice(alike.indexOf(entry), 1);
  }
  return Object.defineProperty(remembered, "size", { get: () => order.length - oldest }) as typeof remembered & { readonly size: number };
}
