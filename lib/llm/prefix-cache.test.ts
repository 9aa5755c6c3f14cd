import { describe, expect, it } from "vitest";
import { createPrefixCache } from "./prefix-cache";

/** `blocks` blocks of 4 tokens, all different from other calls' (`start` apart). */
const text = (start: number, blocks: number) => Array.from({ length: blocks * 4 }, (_, i) => start + i);

describe("the fake's prefix cache", () => {
  it("caches the leading blocks seen before, and only a shared prefix", () => {
    const cache = createPrefixCache({ blockTokens: 4, capacityBlocks: 100 });
    expect(cache.lookup(text(0, 5))).toBe(0);
    expect(cache.lookup([...text(0, 3), ...text(1000, 2)])).toBe(12);
    expect(cache.lookup([...text(1000, 2), ...text(0, 3)])).toBe(0);
    // A trailing part shorter than a block is never cached.
    expect(cache.lookup([...text(0, 5), 7])).toBe(20);
  });

  it("keeps what was used lately and forgets what was not, within its capacity", () => {
    const cache = createPrefixCache({ blockTokens: 4, capacityBlocks: 20 });
    const a = text(0, 5);
    const b = text(1000, 8);
    const c = text(2000, 8);
    cache.lookup(a);
    cache.lookup(b);
    expect(cache.lookup(a)).toBe(20); // used again: now the most recent
    cache.lookup(c); // 21 different blocks in all: something must go
    expect(cache.lookup(a)).toBe(20);
    expect(cache.lookup(b)).toBe(0); // b, least recently used, lost at least its first block
    expect(cache.size).toBeLessThanOrEqual(20);
  });
});
