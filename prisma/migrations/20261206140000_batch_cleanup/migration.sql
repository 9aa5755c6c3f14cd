-- Batch runs: the files a finished batch leaves at the server, recorded when the server reports it finished and
-- each removed once deleted (a worker that dies before deleting them leaves them to the next pass); the last failure
-- to reach the server about a batch (a cancel not delivered yet: the Runs page says what is pending). Offline runs:
-- the export from which on a request's answer is awaited (an output line of an earlier export is refused).
ALTER TABLE "run_batches" ADD COLUMN "files_to_delete" TEXT[] DEFAULT '{}',
    ADD COLUMN "problem" TEXT;

ALTER TABLE "batch_requests" ADD COLUMN "awaited_since_pass" INTEGER;
