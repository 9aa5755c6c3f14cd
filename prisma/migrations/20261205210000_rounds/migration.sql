-- Self-refinement rounds (lib/rounds/): a policy model answers a source dataset's queries; its answers are a dataset
-- of their own ("<source> · round k"), compared with the source's reference answers and refined by a pipeline run.
CREATE TABLE "rounds" (
  "id" SERIAL NOT NULL,
  "dataset_id" INTEGER NOT NULL,
  "source_dataset_id" INTEGER NOT NULL,
  "previous_round_id" INTEGER,
  "number" INTEGER NOT NULL,
  "model" TEXT NOT NULL,
  "samples_per_query" INTEGER NOT NULL,
  "temperature" DOUBLE PRECISION NOT NULL,
  "max_regenerations" INTEGER NOT NULL,
  "concurrency" INTEGER NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'generating',
  "queries" INTEGER NOT NULL DEFAULT 0,
  "run_id" INTEGER,
  "prompt_tokens" BIGINT NOT NULL DEFAULT 0,
  "completion_tokens" BIGINT NOT NULL DEFAULT 0,
  "failure" TEXT,
  "created_by" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "generated_at" TIMESTAMPTZ(3),
  CONSTRAINT "rounds_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "rounds_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "rounds_source_dataset_id_fkey" FOREIGN KEY ("source_dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "rounds_previous_round_id_fkey" FOREIGN KEY ("previous_round_id") REFERENCES "rounds"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "rounds_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "pipeline_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "rounds_dataset_id_key" ON "rounds"("dataset_id");
CREATE UNIQUE INDEX "rounds_source_dataset_id_number_key" ON "rounds"("source_dataset_id", "number");

CREATE TABLE "round_samples" (
  "id" SERIAL NOT NULL,
  "round_id" INTEGER NOT NULL,
  "source_sample_id" INTEGER NOT NULL,
  "sample_number" SMALLINT NOT NULL,
  "sample_id" INTEGER,
  "agrees" BOOLEAN,
  "agreement_reason" TEXT,
  "error" TEXT,
  CONSTRAINT "round_samples_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "round_samples_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "round_samples_source_sample_id_fkey" FOREIGN KEY ("source_sample_id") REFERENCES "samples"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "round_samples_sample_id_fkey" FOREIGN KEY ("sample_id") REFERENCES "samples"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "round_samples_round_id_source_sample_id_sample_number_key" ON "round_samples"("round_id", "source_sample_id", "sample_number");
CREATE UNIQUE INDEX "round_samples_sample_id_key" ON "round_samples"("sample_id");
CREATE INDEX "round_samples_source_sample_id_idx" ON "round_samples"("source_sample_id");
