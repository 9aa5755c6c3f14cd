-- The optional stages a run leaves out (lib/pipeline/stage-registry.ts: `optional`), by stage id. Runs from before
-- had no optional stage: none left out. (Prisma lists are nullable columns; the code reads NULL as none.)
ALTER TABLE "pipeline_runs" ADD COLUMN "skipped_stages" SMALLINT[] DEFAULT '{}';
