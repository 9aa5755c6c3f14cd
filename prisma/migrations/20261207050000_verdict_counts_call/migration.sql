-- Whether an LLM verdict is a request of its own, kept with the row: a combined judge call's later verdicts carry a
-- share of its tokens, not a call (lib/pipeline/combined.ts countsCall). The Runs page's and the dashboard's token
-- sums then read this index alone. Before, they read every LLM verdict of a run from the table, the combined ones'
-- evidence included: 150 ms a look at the end of a 60k run (43 ms from the index), and the Runs page looks every
-- second while a run goes.
ALTER TABLE "stage_verdicts" ADD COLUMN "counts_call" BOOLEAN GENERATED ALWAYS AS (
  "prompt_version" NOT LIKE 'judge-combined.%' OR coalesce("evidence" #>> '{combined,countsCall}', 'true') <> 'false'
) STORED;
DROP INDEX "stage_verdicts_llm_tokens_idx";
CREATE INDEX "stage_verdicts_llm_tokens_idx" ON "stage_verdicts"("run_id", "stage", "decided_by")
  INCLUDE ("prompt_tokens", "cached_tokens", "completion_tokens", "counts_call") WHERE "prompt_tokens" IS NOT NULL;
