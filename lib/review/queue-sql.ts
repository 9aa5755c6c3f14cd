// What the review queue's statements share (lib/review/queue.ts, queue-peek.ts, overlap.ts). `$1` is always the
// reviewer's plain name.

export interface ClaimOptions {
  /** Only this dataset's samples. */
  datasetId?: number;
  /** Samples not to hand out (the one on screen, when prefetching the next). */
  exclude?: number[];
  /**
   * review (default): samples that need a reviewer; adjudicate: samples whose k independent reviews are in and need
   * someone with the `adjudicate` permission (lib/review/overlap.ts).
   */
  mode?: "review" | "adjudicate";
}

/** The sample (`samples.id`) was not skipped by the reviewer ($1) within a claim's lifetime. */
export const NOT_SKIPPED = `NOT EXISTS (SELECT 1 FROM review_skips k WHERE k.user_name = $1 AND k.sample_id = samples.id AND k.until > now())`;
