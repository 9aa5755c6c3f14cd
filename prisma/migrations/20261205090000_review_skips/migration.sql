-- A reviewer's skip lasts for a claim's lifetime: the queue does not hand them the sample again meanwhile.
CREATE TABLE "review_skips" (
    "user_name" TEXT NOT NULL,
    "sample_id" INTEGER NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "review_skips_pkey" PRIMARY KEY ("user_name","sample_id")
);

CREATE INDEX "review_skips_sample_id_idx" ON "review_skips"("sample_id");

ALTER TABLE "review_skips" ADD CONSTRAINT "review_skips_sample_id_fkey" FOREIGN KEY ("sample_id") REFERENCES "samples"("id") ON DELETE CASCADE ON UPDATE CASCADE;
