-- Calibration (lib/calibration/): a judge configuration run on the samples people decided, item by item, so its
-- agreement with them is known before it decides a large run. Changes no sample.
CREATE TABLE "calibration_runs" (
  "id" SERIAL NOT NULL,
  "dataset_id" INTEGER NOT NULL,
  "stage" SMALLINT NOT NULL,
  "model" TEXT NOT NULL,
  "prompt_version" TEXT,
  "include_bulk" BOOLEAN NOT NULL DEFAULT false,
  "status" TEXT NOT NULL DEFAULT 'running',
  "failure" TEXT,
  "total" INTEGER NOT NULL DEFAULT 0,
  "created_by" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "finished_at" TIMESTAMPTZ(3),
  CONSTRAINT "calibration_runs_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "calibration_runs_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "calibration_runs_dataset_id_stage_idx" ON "calibration_runs"("dataset_id", "stage");

CREATE TABLE "calibration_items" (
  "run_id" INTEGER NOT NULL,
  "sample_id" INTEGER NOT NULL,
  "human" TEXT NOT NULL,
  "judge" TEXT,
  "reason" TEXT,
  "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
  "completion_tokens" INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT "calibration_items_pkey" PRIMARY KEY ("run_id", "sample_id"),
  CONSTRAINT "calibration_items_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "calibration_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "calibration_items_sample_id_fkey" FOREIGN KEY ("sample_id") REFERENCES "samples"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "calibration_items_sample_id_idx" ON "calibration_items"("sample_id");
