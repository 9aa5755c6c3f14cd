-- A bulk action is a recorded job: who asked for what (a selection, a table filter, a discard group), how far it
-- got and how it ended. Each sample's decision row and audit entry name the bulk action they were part of.

-- CreateTable
CREATE TABLE "bulk_jobs" (
    "id" SERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "target" JSONB NOT NULL,
    "request_key" TEXT,
    "status" "JobStatus" NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "failures" JSONB NOT NULL DEFAULT '[]',
    "runs" JSONB NOT NULL DEFAULT '[]',
    "failure" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "bulk_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "bulk_jobs_request_key_key" ON "bulk_jobs"("request_key");

-- AlterTable (nullable, no default: instant on a large table; the append-only trigger fires on row updates only)
ALTER TABLE "review_decisions" ADD COLUMN "bulk_job_id" INTEGER;
ALTER TABLE "audit_log" ADD COLUMN "bulk_job_id" INTEGER;

-- AddForeignKey
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_bulk_job_id_fkey" FOREIGN KEY ("bulk_job_id") REFERENCES "bulk_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "audit_log_bulk_job_id_id_idx" ON "audit_log"("bulk_job_id", "id");
