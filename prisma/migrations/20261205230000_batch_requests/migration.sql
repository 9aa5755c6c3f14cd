-- Batch runs (issue 15 §4): every LLM request a batch run's passes asked for, keyed by a hash of its body, with the
-- batch it last went in and the answer that came back (lib/batch/store.ts).
CREATE TABLE "batch_requests" (
    "run_id" INTEGER NOT NULL,
    "custom_id" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    -- pending (to send) | sent (in batch_id) | answered (answer holds the last attempt's)
    "state" TEXT NOT NULL DEFAULT 'pending',
    "batch_id" TEXT,
    -- {status, body} or {error: {code, message}}: lib/batch/requests.ts BatchAnswer
    "answer" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "cached_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "batch_requests_pkey" PRIMARY KEY ("run_id", "custom_id")
);

CREATE INDEX "batch_requests_run_id_state_idx" ON "batch_requests"("run_id", "state");

ALTER TABLE "batch_requests" ADD CONSTRAINT "batch_requests_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "pipeline_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
