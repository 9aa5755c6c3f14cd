// A simulated prefix cache, as vLLM's automatic prefix caching and OpenAI's prompt caching work: a prompt is cut into
// blocks of `blockTokens` tokens; a block is known by a hash of itself and every block before it, so only a shared
// prefix can hit; a request's cached tokens are its leading full blocks already seen. Seen blocks are kept in an LRU
// of `capacityBlocks` (the GPU memory a real server has for them). The fake LLM reports what this finds as
// `usage.prompt_tokens_details.cached_tokens`.
import { createHash } from "node:crypto";

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
  const blocks = new Map<string, true>();
  return {
    lookup(tokens) {
      let cached = 0;
      let missed = false;
      let previous = "";
      for (let start = 0; start + blockTokens <= tokens.length; start += blockTokens) {
        const hash = createHash("sha1").update(previous).update(Int32Array.from(tokens.slice(start, start + blockTokens))).digest("base64");
        if (!missed && blocks.has(hash)) cached += blockTokens;
        else missed = true;
        blocks.delete(hash);
        blocks.set(hash, true);
        previous = hash;
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
