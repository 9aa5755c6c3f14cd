import { describe, expect, it } from "vitest";
import { createPrefixCache } from "./prefix-cache";

/** `blocks` blocks of 4 tokens, all different from other calls' (`start` apart). */
const text = (start: number, blocks: number) => Array.from({ length: blocks * 4 }, (_, i) => start + i);

describe("the fake's prefix cache", () => {
  it("caches the leading blocks seen before, and only a shared prefix", () => {
    const cache = createPrefixCache({ blockTokens: 4, capacityBlocks: 100 });
    expect(cache.lookup([text(0, 5)])).toBe(0);
    expect(cache.lookup([text(0, 3), text(1000, 2)])).toBe(12);
    expect(cache.lookup([text(1000, 2), text(0, 3)])).toBe(0);
    // A trailing part shorter than a block is never cached.
    expect(cache.lookup([text(0, 5), [7]])).toBe(20);
  });

  it("keeps what was used lately and forgets what was not, within its capacity", () => {
    const cache = createPrefixCache({ blockTokens: 4, capacityBlocks: 20 });
    const a = text(0, 5);
    const b = text(1000, 8);
    const c = text(2000, 8);
    cache.lookup([a]);
    cache.lookup([b]);
    expect(cache.lookup([a])).toBe(20); // used again: now the most recent
    cache.lookup([c]); // 21 different blocks in all: something must go
    expect(cache.lookup([a])).toBe(20);
    expect(cache.lookup([b])).toBe(0); // b, least recently used, lost at least its first block
    expect(cache.size).toBeLessThanOrEqual(20);
  });

  it("reads a prompt given in runs as the one sequence they make, cut anywhere (blocks span runs)", () => {
    const whole = createPrefixCache({ blockTokens: 4, capacityBlocks: 100 });
    const inRuns = createPrefixCache({ blockTokens: 4, capacityBlocks: 100 });
    // Prompts that share prefixes of different lengths, each also cut into runs of 0 to 6 tokens.
    const prompts = [text(0, 6), [...text(0, 2), ...text(500, 3)], [...text(0, 4), 9, 9], [...text(500, 3), ...text(0, 1)], text(0, 6)];
    let seed = 7;
    const cut = (tokens: number[]) => {
      const runs: number[][] = [];
      for (let i = 0; i < tokens.length; ) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const n = seed % 7;
        runs.push(tokens.slice(i, i + n));
        i += n;
      }
      return runs;
    };
    const found = prompts.map((p) => [whole.lookup([p]), inRuns.lookup(cut(p))]);
    expect(found.map(([a]) => a)).toEqual([0, 8, 16, 0, 24]);
    expect(found.map(([, b]) => b)).toEqual(found.map(([a]) => a));
  });
});
