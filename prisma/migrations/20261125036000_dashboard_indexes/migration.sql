-- The dashboard: the funnel and failure reasons from an index-only scan of decided samples (imports skip it: pending
-- rows without outcomes are not indexed), and judge tokens per run and stage (rule verdicts carry none).
CREATE INDEX "samples_dashboard_idx" ON "samples"("dataset_id", "status", "status_stage", "status_code", "stage_outcomes")
  WHERE "status" <> 'pending' OR "stage_outcomes" <> '{}';
CREATE INDEX "stage_verdicts_llm_tokens_idx" ON "stage_verdicts"("run_id", "stage") INCLUDE ("prompt_tokens", "completion_tokens")
  WHERE "prompt_tokens" IS NOT NULL;
