-- Multi-turn records (ShareGPT, Hermes, …) are imported as their first exchange; the whole record is kept beside the
-- sample so nothing is thrown away. Null for single-exchange records (the import stays as fast as before).
ALTER TABLE "samples" ADD COLUMN "source_record" JSON;

-- How many records of an import had further turns (kept whole in samples.source_record).
ALTER TABLE "import_jobs" ADD COLUMN "further_turns" INTEGER NOT NULL DEFAULT 0;
