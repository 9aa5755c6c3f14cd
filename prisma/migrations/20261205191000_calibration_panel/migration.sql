-- A calibration may ask a judge panel saved on the Settings page instead of one model: the panel as it was when the
-- calibration started, without keys (as a run records its panels).
ALTER TABLE "calibration_runs" ADD COLUMN "panel" JSONB;
