-- The review queue: the claims an annotator holds (claimNext's own-claim-first, /review's progress). Few rows:
-- decisions and releases clear them.
CREATE INDEX "samples_claimed_by_idx" ON "samples"("claimed_by", "id") WHERE "claimed_by" IS NOT NULL;
