-- Batch runs (issue 15 §4): how a run asks its LLM (lib/runs/modes.ts: live | batch | offline), and every batch a
-- batch run sent (or batch file it exported), with the last state and counts read from the server.
ALTER TABLE "pipeline_runs" ADD COLUMN "mode" TEXT NOT NULL DEFAULT 'live';

CREATE TABLE "run_batches" (
    "run_id" INTEGER NOT NULL,
    "batch_id" TEXT NOT NULL,
    -- 1 for the run's first batch, 2 for the next…
    "pass" INTEGER NOT NULL,
    -- the Batch API's status (validating, in_progress, completed, expired…), or exported / imported for a file
    "status" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_batches_pkey" PRIMARY KEY ("run_id", "batch_id")
);

CREATE UNIQUE INDEX "run_batches_run_id_pass_key" ON "run_batches"("run_id", "pass");

ALTER TABLE "run_batches" ADD CONSTRAINT "run_batches_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "pipeline_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The sample a request was asked for (the first, when two samples ask the same body): a pass loads the stored
-- answers of a chunk of samples at a time, not the whole run's.
ALTER TABLE "batch_requests" ADD COLUMN "sample_id" INTEGER;
CREATE INDEX "batch_requests_run_id_sample_id_idx" ON "batch_requests"("run_id", "sample_id");
