// A simulated prefix cache, as vLLM's automatic prefix caching and OpenAI's prompt caching work: a prompt is cut into
// blocks of `blockTokens` tokens; a block is known by a hash of itself and every block before it, so only a shared
// prefix can hit; a request's cached tokens are its leading full blocks already seen. Seen blocks are kept up to
// `capacityBlocks` (the GPU memory a real server has for them), the least recently used dropped first. The fake LLM
// reports what this finds as `usage.prompt_tokens_details.cached_tokens`.
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
  // Least recently used, approximately and at O(1): blocks are kept in two generations of up to half the capacity
  // each. A block used is put in the young one; when it is full it becomes the old one and the oldest is dropped. An
  // exact LRU (a Map re-inserted on every use) cost the fake a third of its CPU at hundreds of requests a second.
  const half = Math.max(1, Math.floor(capacityBlocks / 2));
  let young = new Set<number>();
  let old = new Set<number>();
  function use(hash: number) {
    if (young.has(hash)) return;
    young.add(hash);
    if (young.size >= half) {
      old = young;
      young = new Set();
    }
  }
  return {
    lookup(tokens) {
      let cached = 0;
      let missed = false;
      const hashes: number[] = [];
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
        if (!missed && (young.has(hash) || old.has(hash))) cached += blockTokens;
        else missed = true;
        hashes.push(hash);
      }
      // Remembered only once all are looked up: a generation turned over midway must not drop this prompt's own blocks.
      for (const hash of hashes) use(hash);
      return cached;
    },
    clear() {
      young = new Set();
      old = new Set();
    },
    get size() {
      let shared = 0;
      for (const hash of young) if (old.has(hash)) shared++;
      return young.size + old.size - shared;
    },
  };
}
