// A bounded memo for the fake LLM's pure functions of a text. A run sends each sample's text in several requests (a
// teacher's, then each judge's), and every run the same shared text: what the fake derives from a text is worked out
// once and remembered, the oldest entries dropped first so that a long benchmark does not grow memory.

/**
 * `compute` remembered for the last `limit` keys it was asked about (oldest dropped first). It never returns
 * undefined, and what it returns is shared by every caller with the same key: they must not change it.
 */
export function boundedMemo<K, V extends NonNullable<unknown>>(limit: number, compute: (key: K) => V): ((key: K) => V) & { readonly size: number } {
  const memo = new Map<K, V>();
  const remembered = (key: K): V => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    const value = compute(key);
    memo.set(key, value);
    if (memo.size > limit) memo.delete(memo.keys().next().value!);
    return value;
  };
  return Object.defineProperty(remembered, "size", { get: () => memo.size }) as typeof remembered & { readonly size: number };
}
