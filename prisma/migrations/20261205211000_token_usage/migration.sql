-- Issue 15 §1: every LLM call's cached prompt tokens (the server's usage.prompt_tokens_details.cached_tokens), kept
-- with each verdict and summed per run sample with the number of LLM calls it took (judges and teacher), so the
-- Runs page and the dashboard show calls, prompt / cached / completion tokens and a cost.
ALTER TABLE stage_verdicts ADD COLUMN cached_tokens integer;
ALTER TABLE pipeline_run_samples ADD COLUMN cached_tokens integer NOT NULL DEFAULT 0;
ALTER TABLE pipeline_run_samples ADD COLUMN llm_calls integer NOT NULL DEFAULT 0;
ALTER TABLE calibration_items ADD COLUMN cached_tokens integer NOT NULL DEFAULT 0;
