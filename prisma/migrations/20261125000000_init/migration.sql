-- CreateEnum
CREATE TYPE "SampleStatus" AS ENUM ('pending', 'passed', 'flagged', 'text', 'approved', 'discarded');

-- CreateEnum
CREATE TYPE "AnswerKind" AS ENUM ('calls', 'text');

-- CreateEnum
CREATE TYPE "VerdictOutcome" AS ENUM ('pass', 'fail', 'skip', 'error');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "datasets" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "samples" (
    "id" SERIAL NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "source_id" TEXT,
    "query" TEXT NOT NULL,
    "tools" JSON NOT NULL,
    "answer_kind" "AnswerKind",
    "answer" JSON,
    "cot" TEXT,
    "status" "SampleStatus" NOT NULL DEFAULT 'pending',
    "content_hash" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "samples_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stage_verdicts" (
    "id" BIGSERIAL NOT NULL,
    "sample_id" INTEGER NOT NULL,
    "stage" SMALLINT NOT NULL,
    "outcome" "VerdictOutcome" NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "decided_by" TEXT NOT NULL,
    "attempt" SMALLINT NOT NULL DEFAULT 1,
    "prompt_version" TEXT,
    "prompt_tokens" INTEGER,
    "completion_tokens" INTEGER,
    "latency_ms" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stage_verdicts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sample_revisions" (
    "id" BIGSERIAL NOT NULL,
    "sample_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "answer_kind_before" "AnswerKind",
    "answer_before" JSON,
    "answer_kind_after" "AnswerKind",
    "answer_after" JSON,
    "cot_before" TEXT,
    "cot_after" TEXT,
    "reason" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sample_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_jobs" (
    "id" SERIAL NOT NULL,
    "dataset_id" INTEGER,
    "dataset_name" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "strict" BOOLEAN NOT NULL DEFAULT false,
    "status" "JobStatus" NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL DEFAULT 0,
    "inserted" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "failure" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "import_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "export_jobs" (
    "id" SERIAL NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "statuses" "SampleStatus"[],
    "status" "JobStatus" NOT NULL DEFAULT 'running',
    "written" INTEGER NOT NULL DEFAULT 0,
    "failure" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "export_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "datasets_name_key" ON "datasets"("name");

-- CreateIndex
CREATE INDEX "samples_dataset_id_status_id_idx" ON "samples"("dataset_id", "status", "id");

-- CreateIndex
CREATE INDEX "samples_status_id_idx" ON "samples"("status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "samples_dataset_id_content_hash_key" ON "samples"("dataset_id", "content_hash");

-- CreateIndex
CREATE INDEX "stage_verdicts_sample_id_stage_id_idx" ON "stage_verdicts"("sample_id", "stage", "id");

-- CreateIndex
CREATE INDEX "stage_verdicts_stage_outcome_idx" ON "stage_verdicts"("stage", "outcome");

-- CreateIndex
CREATE INDEX "sample_revisions_sample_id_id_idx" ON "sample_revisions"("sample_id", "id");

-- CreateIndex
CREATE INDEX "import_jobs_dataset_id_id_idx" ON "import_jobs"("dataset_id", "id");

-- CreateIndex
CREATE INDEX "export_jobs_dataset_id_id_idx" ON "export_jobs"("dataset_id", "id");

-- AddForeignKey
ALTER TABLE "samples" ADD CONSTRAINT "samples_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_verdicts" ADD CONSTRAINT "stage_verdicts_sample_id_fkey" FOREIGN KEY ("sample_id") REFERENCES "samples"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sample_revisions" ADD CONSTRAINT "sample_revisions_sample_id_fkey" FOREIGN KEY ("sample_id") REFERENCES "samples"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export_jobs" ADD CONSTRAINT "export_jobs_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
