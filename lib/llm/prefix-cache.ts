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
  /**
   * Looks a prompt up (its cached tokens: leading blocks seen before), then remembers all its full blocks. The prompt
   * is its runs of tokens one after another (lib/llm/tokens.ts chatTokenRuns).
   */
  lookup(runs: readonly (readonly number[])[]): number;
  clear(): void;
  readonly size: number;
}

export function createPrefixCache({ blockTokens, capacityBlocks }: PrefixCacheOptions): PrefixCache {
  // Least recently used, approximately and at O(1): blocks are kept in two generations of up to half the capacity
  // each. A block used is put in the young one; when it is full it becomes the old one and the oldest is dropped. An
  // exact LRU (a Map re-inserted on every use) cost the fake a third of its CPU at hundreds of requests a second.
  const half = Math.max(1, Math.floor(capacityBlocks / 2));
  // The blocks kept, in an open-addressing table of typed arrays (a Set of numbers cost the fake a number object and
  // two or three lookups per block, ~115 blocks a request): a block's hash in two parts, and the generation it was
  // last used in (0: an empty slot). Young blocks are of `generation`, old ones of the one before; when the young
  // generation is full, the table is rebuilt with the blocks of the now old one only. At most two generations of
  // `half` blocks are kept, so a table of four times `half` slots is at most half full.
  const slots = 2 ** Math.ceil(Math.log2(4 * half + 4));
  let hashA = new Int32Array(slots);
  let hashB = new Int32Array(slots);
  let usedIn = new Int32Array(slots);
  let generation = 1;
  let young = 0;
  // A prompt's block hashes, between looking them up and remembering them (grown as prompts need).
  let promptA = new Int32Array(256);
  let promptB = new Int32Array(256);

  /** The slot that holds the block hashed (a, b), or the empty slot where it would go. */
  function slotOf(a: number, b: number): number {
    let slot = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) & (slots - 1);
    while (usedIn[slot] !== 0 && (hashA[slot] !== a || hashB[slot] !== b)) slot = (slot + 1) & (slots - 1);
    return slot;
  }

  function use(a: number, b: number): void {
    const slot = slotOf(a, b);
    if (usedIn[slot] === generation) return;
    hashA[slot] = a;
    hashB[slot] = b;
    usedIn[slot] = generation;
    if (++young >= half) startGeneration();
  }

  /** The young generation becomes the old one; the old one is dropped. */
  function startGeneration(): void {
    const [keptA, keptB, keptIn] = [hashA, hashB, usedIn];
    hashA = new Int32Array(slots);
    hashB = new Int32Array(slots);
    usedIn = new Int32Array(slots);
    for (let i = 0; i < slots; i++) {
      if (keptIn[i] !== generation) continue;
      const slot = slotOf(keptA[i], keptB[i]);
      hashA[slot] = keptA[i];
      hashB[slot] = keptB[i];
      usedIn[slot] = generation;
    }
    generation++;
    young = 0;
  }

  return {
    lookup(runs) {
      let length = 0;
      for (const run of runs) length += run.length;
      const blocks = Math.floor(length / blockTokens);
      if (blocks > promptA.length) {
        promptA = new Int32Array(blocks);
        promptB = new Int32Array(blocks);
      }
      let cached = 0;
      let missed = false;
      // Two 32-bit FNV-1a hashes chained over every token so far: a block's key says its whole prefix (53 bits of
      // them: all of the first, 21 of the second).
      let a = 0x811c9dc5;
      let b = 0x01000193;
      let block = 0;
      let inBlock = 0;
      for (const run of runs) {
        for (let i = 0; i < run.length && block < blocks; i++) {
          a = Math.imul(a ^ run[i], 0x01000193);
          b = Math.imul(b ^ (run[i] + 0x9e3779b9), 0x85ebca6b);
          if (++inBlock < blockTokens) continue;
          promptA[block] = a;
          promptB[block] = b & 0x1fffff;
          if (!missed && usedIn[slotOf(promptA[block], promptB[block])] !== 0) cached += blockTokens;
          else missed = true;
          block++;
          inBlock = 0;
        }
      }
      // Remembered only once all are looked up: a generation turned over midway must not drop this prompt's own blocks.
      for (let block = 0; block < blocks; block++) use(promptA[block], promptB[block]);
      return cached;
    },
    clear() {
      usedIn = new Int32Array(slots);
      young = 0;
    },
    get size() {
      let kept = 0;
      for (let i = 0; i < slots; i++) if (usedIn[i] !== 0) kept++;
      return kept;
    },
  };
}
