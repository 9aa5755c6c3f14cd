-- Import speed: indexes that only matter once samples are decided are partial, so a 60k import (every row
-- pending, undecided) does not pay for them.
DROP INDEX "samples_decided_by_id_idx";
DROP INDEX "samples_status_status_stage_status_code_idx";

-- The table's decided-by filter (null until the pipeline or a person decides).
CREATE INDEX "samples_decided_by_idx" ON "samples"("decided_by", "id") WHERE "decided_by" IS NOT NULL;
-- The discard audit's groups.
CREATE INDEX "samples_discarded_groups_idx" ON "samples"("status_stage", "status_code") WHERE "status" = 'discarded';
