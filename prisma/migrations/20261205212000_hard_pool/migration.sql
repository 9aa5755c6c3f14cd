-- The hard-data pool (issue 13 §2, the paper's v3 flow). A run with the pool on records its settings
-- ({"candidates": 4, "temperature": 0.8}); null is the paper's v1 flow (regenerate up to max_regenerations times).
ALTER TABLE "pipeline_runs" ADD COLUMN "hard_pool" JSONB;

-- How each sample left the pool in that run: rescued | dropped | flagged; null when it never entered it.
ALTER TABLE "pipeline_run_samples" ADD COLUMN "pool" TEXT;
