-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('running', 'paused', 'cancelled', 'succeeded', 'failed');

-- AlterTable
ALTER TABLE "stage_verdicts" ADD COLUMN "run_id" INTEGER;

-- AlterTable
ALTER TABLE "sample_revisions" ADD COLUMN "run_id" INTEGER;

-- CreateTable
CREATE TABLE "pipeline_runs" (
    "id" SERIAL NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "stages" TEXT NOT NULL,
    "filter" JSONB NOT NULL DEFAULT '{}',
    "concurrency" INTEGER NOT NULL,
    "requests_per_minute" INTEGER,
    "max_regenerations" INTEGER NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL DEFAULT 0,
    "failure" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "pipeline_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pipeline_run_samples" (
    "run_id" INTEGER NOT NULL,
    "sample_id" INTEGER NOT NULL,
    "sample_version" INTEGER,
    "result" TEXT,
    "regenerations" INTEGER NOT NULL DEFAULT 0,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "pipeline_run_samples_pkey" PRIMARY KEY ("run_id","sample_id")
);

-- CreateIndex
CREATE INDEX "stage_verdicts_run_id_stage_outcome_idx" ON "stage_verdicts"("run_id", "stage", "outcome");

-- CreateIndex
CREATE INDEX "pipeline_runs_dataset_id_id_idx" ON "pipeline_runs"("dataset_id", "id");

-- CreateIndex
CREATE INDEX "pipeline_run_samples_run_id_result_idx" ON "pipeline_run_samples"("run_id", "result");

-- CreateIndex
CREATE INDEX "pipeline_run_samples_sample_id_idx" ON "pipeline_run_samples"("sample_id");

-- AddForeignKey
ALTER TABLE "stage_verdicts" ADD CONSTRAINT "stage_verdicts_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "pipeline_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sample_revisions" ADD CONSTRAINT "sample_revisions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "pipeline_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline_runs" ADD CONSTRAINT "pipeline_runs_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline_run_samples" ADD CONSTRAINT "pipeline_run_samples_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "pipeline_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline_run_samples" ADD CONSTRAINT "pipeline_run_samples_sample_id_fkey" FOREIGN KEY ("sample_id") REFERENCES "samples"("id") ON DELETE CASCADE ON UPDATE CASCADE;
