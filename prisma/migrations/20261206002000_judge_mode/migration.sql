-- How a run asks its judges about stages 2–4 (issue 15 §3): per-stage (one call per stage, the paper's) or combined
-- (one call for stages 2–4; lib/pipeline/combined.ts). Runs made before keep the paper's.
ALTER TABLE "pipeline_runs" ADD COLUMN "judge_mode" TEXT NOT NULL DEFAULT 'per-stage';
