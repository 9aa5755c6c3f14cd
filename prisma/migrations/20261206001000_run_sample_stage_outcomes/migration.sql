-- Issue 15 §5: a run's per-stage counts read from its run samples ("2:pass", "4:fail", …: the same
-- "stage:outcome" list a sample keeps in samples.stage_outcomes, for what this run decided) instead of re-deriving
-- them from every verdict of the run on each poll, which grew with the run and took a CPU core of PostgreSQL.
ALTER TABLE pipeline_run_samples ADD COLUMN stage_outcomes TEXT[] DEFAULT '{}';

-- Runs finished before: their samples' outcomes per stage from their verdicts, as the Runs page read them until now
-- (per sample and stage, its latest attempt's deciding verdicts: fail, else error, else the last).
WITH last AS (
  SELECT DISTINCT ON (run_id, sample_id, stage) run_id, sample_id, stage, attempt FROM stage_verdicts
  WHERE run_id IS NOT NULL ORDER BY run_id, sample_id, stage, attempt DESC
), per_stage AS (
  SELECT v.run_id, v.sample_id, v.stage,
    CASE WHEN bool_or(v.outcome = 'fail') THEN 'fail' WHEN bool_or(v.outcome = 'error') THEN 'error'
      ELSE (array_agg(v.outcome::text ORDER BY v.id DESC))[1] END AS outcome
  FROM stage_verdicts v JOIN last l ON l.run_id = v.run_id AND l.sample_id = v.sample_id AND l.stage = v.stage AND l.attempt = v.attempt
  WHERE v.member_of IS NULL
  GROUP BY v.run_id, v.sample_id, v.stage
), per_sample AS (
  SELECT run_id, sample_id, array_agg(stage || ':' || outcome ORDER BY stage) AS outcomes FROM per_stage GROUP BY run_id, sample_id
)
UPDATE pipeline_run_samples m SET stage_outcomes = p.outcomes
FROM per_sample p WHERE m.run_id = p.run_id AND m.sample_id = p.sample_id;
