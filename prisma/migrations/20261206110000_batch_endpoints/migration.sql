-- Batch runs whose judge panel has a member at a base URL of its own: each request and batch names the endpoint it
-- goes to ('' the judge's, else the member's base URL), and a batch's model. A batch id is the server's, unique at
-- its endpoint only, so it is part of the key.
ALTER TABLE "batch_requests" ADD COLUMN "endpoint" TEXT NOT NULL DEFAULT '';

ALTER TABLE "run_batches" ADD COLUMN "endpoint" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "model" TEXT;
ALTER TABLE "run_batches" DROP CONSTRAINT "run_batches_pkey",
    ADD CONSTRAINT "run_batches_pkey" PRIMARY KEY ("run_id", "endpoint", "batch_id");
