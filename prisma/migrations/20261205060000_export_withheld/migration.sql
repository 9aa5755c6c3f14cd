-- What an export left out: samples of the refined set that fail a rule when it re-checks them as it streams.
ALTER TABLE "export_jobs" ADD COLUMN "withheld" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "export_jobs" ADD COLUMN "withheld_samples" JSONB;
