// A simulated prefix cache, as vLLM's automatic prefix caching and OpenAI's prompt caching work: a prompt is cut into
// blocks of `blockTokens` tokens; a block is known by a hash of itself and every block before it, so only a shared
// prefix can hit; a request's cached tokens are its leading full blocks already seen. Seen blocks are kept in an LRU
// of `capacityBlocks` (the GPU memory a real server has for them). The fake LLM reports what this finds as
// `usage.prompt_tokens_details.cached_tokens`.
export interface PrefixCacheOptions {
  /** Tokens per block: vLLM's default is 16; OpenAI caches in 128-token steps. */
  blockTokens: number;
  /** Blocks kept, least recently used dropped first. */
  capacityBlocks: number;
}

export interface PrefixCache {
  /** Looks `tokens` up (its cached tokens: leading blocks seen before), then remembers all its full blocks. */
  lookup(tokens: readonly number[]): number;
  clear(): void;
  readonly size: number;
}

export function createPrefixCache({ blockTokens, capacityBlocks }: PrefixCacheOptions): PrefixCache {
  // A Map keeps insertion order: deleting and setting again moves a block to the young end.
  const blocks = new Map<number, true>();
  return {
    lookup(tokens) {
      let cached = 0;
      let missed = false;
      // Two 32-bit FNV-1a hashes chained over every token so far: a block's key says its whole prefix.
      let a = 0x811c9dc5;
      let b = 0x01000193;
      for (let start = 0; start + blockTokens <= tokens.length; start += blockTokens) {
        for (let i = start; i < start + blockTokens; i++) {
          a = Math.imul(a ^ tokens[i], 0x01000193);
          b = Math.imul(b ^ (tokens[i] + 0x9e3779b9), 0x85ebca6b);
        }
        // 53 bits of the two hashes as one number key: no string per block (the fake answers hundreds of requests a second).
        const hash = (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
        if (!missed && blocks.has(hash)) cached += blockTokens;
        else missed = true;
        blocks.delete(hash);
        blocks.set(hash, true);
      }
      while (blocks.size > capacityBlocks) blocks.delete(blocks.keys().next().value!);
      return cached;
    },
    clear() {
      blocks.clear();
    },
    get size() {
      return blocks.size;
    },
  };
}
