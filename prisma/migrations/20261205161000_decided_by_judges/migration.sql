-- Who decided a sample's status, as lib/pipeline/summary.ts now says it: a pass is the LLM judges' when any of them
-- passed a stage (not the rule stage that happened to run last), and a discard after regeneration ran out is
-- whoever failed the last attempt (a rule, or a judge). Samples decided by a person keep `human`.
UPDATE "samples" s SET "decided_by" = 'llm'
WHERE s."status" IN ('passed', 'text') AND s."decided_by" = 'rule'
  AND EXISTS (SELECT 1 FROM "stage_verdicts" v WHERE v."sample_id" = s."id" AND v."decided_by" LIKE 'llm:%');

UPDATE "samples" s SET "decided_by" = 'rule'
WHERE s."status_code" = 'regeneration-exhausted' AND s."decided_by" = 'llm'
  AND (SELECT v."decided_by" FROM "stage_verdicts" v WHERE v."sample_id" = s."id" AND v."outcome" = 'fail' ORDER BY v."id" DESC LIMIT 1) LIKE 'rule:%';
