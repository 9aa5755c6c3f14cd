-- What an offline run's samples wait for (lib/batch/waiting.ts), by stage, model and exported file, as its last batch
-- export or import found it: the Runs page says what to export next from it (null until the first export).
ALTER TABLE "pipeline_runs" ADD COLUMN "offline_waiting" JSONB;
