-- Several reviewers per sample (lib/review/overlap.ts): a dataset says how many independent reviews a sample needs;
-- each reviewer's claim and then vote is one row, so k people can hold the same sample at once, blind to each other.
ALTER TABLE "datasets" ADD COLUMN "reviews_per_sample" SMALLINT NOT NULL DEFAULT 1;

CREATE TABLE "review_votes" (
  "sample_id" INTEGER NOT NULL REFERENCES "samples"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "user_name" TEXT NOT NULL,
  "claimed_until" TIMESTAMPTZ(3),
  "action" TEXT,
  "reason" TEXT,
  "stage" SMALLINT,
  "version" INTEGER,
  "decision_id" BIGINT,
  "voted_at" TIMESTAMPTZ(3),
  CONSTRAINT "review_votes_pkey" PRIMARY KEY ("sample_id", "user_name")
);
CREATE INDEX "review_votes_user_name_idx" ON "review_votes"("user_name");

-- vote: one of k independent reviews; adjudication: the decision on a sample whose k reviews are in.
ALTER TABLE "review_decisions" ADD COLUMN "kind" TEXT;
