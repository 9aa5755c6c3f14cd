-- The review studio: what the samples table filters on without reading JSON per row, the review queue's claims,
-- human decisions, background sample tasks (regenerate, re-check) and settings.

-- Tool names of a tool list (any element with a "name"), for the table's tool filter (GIN on samples.tool_names).
CREATE FUNCTION studio_tool_names(tools json) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT t.value ->> 'name') FILTER (WHERE t.value ->> 'name' IS NOT NULL), '{}')
  FROM json_array_elements(CASE WHEN json_typeof(tools) = 'array' THEN tools ELSE '[]'::json END) AS t(value)
  WHERE json_typeof(t.value) = 'object'
$$;

-- The full-text document of a sample: query, CoT and calls. One function so the index and the queries agree.
CREATE FUNCTION studio_sample_search(query text, cot text, answer json) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('english'::regconfig, coalesce(query, '') || ' ' || coalesce(cot, '') || ' ' || coalesce(answer::text, ''))
$$;

-- AlterTable (lists are nullable as Prisma makes them; they default to empty and are never set to null)
ALTER TABLE "samples" ADD COLUMN "tool_names" TEXT[] DEFAULT '{}',
ADD COLUMN "stage_outcomes" TEXT[] DEFAULT '{}',
ADD COLUMN "decided_by" TEXT,
ADD COLUMN "status_stage" SMALLINT,
ADD COLUMN "status_code" TEXT,
ADD COLUMN "status_reason" TEXT,
ADD COLUMN "claimed_by" TEXT,
ADD COLUMN "claimed_until" TIMESTAMPTZ(3);

UPDATE "samples" SET "tool_names" = studio_tool_names("tools");

-- CreateTable
CREATE TABLE "review_decisions" (
    "id" BIGSERIAL NOT NULL,
    "sample_id" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "reason" TEXT,
    "stage" SMALLINT,
    "status_before" "SampleStatus" NOT NULL,
    "status_after" "SampleStatus" NOT NULL,
    "version" INTEGER NOT NULL,
    "judge_outcomes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sample_tasks" (
    "id" SERIAL NOT NULL,
    "sample_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "message" TEXT,
    "requested_by" TEXT NOT NULL,
    "sample_version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "sample_tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "samples_dataset_id_id_idx" ON "samples"("dataset_id", "id");
CREATE INDEX "samples_tool_names_idx" ON "samples" USING GIN ("tool_names");
CREATE INDEX "samples_stage_outcomes_idx" ON "samples" USING GIN ("stage_outcomes");
CREATE INDEX "samples_decided_by_id_idx" ON "samples"("decided_by", "id");
CREATE INDEX "samples_status_status_stage_status_code_idx" ON "samples"("status", "status_stage", "status_code");
CREATE INDEX "review_decisions_sample_id_id_idx" ON "review_decisions"("sample_id", "id");
CREATE INDEX "review_decisions_author_created_at_idx" ON "review_decisions"("author", "created_at");
CREATE INDEX "review_decisions_created_at_idx" ON "review_decisions"("created_at");
CREATE INDEX "sample_tasks_sample_id_id_idx" ON "sample_tasks"("sample_id", "id");

-- Indexes Prisma's schema language cannot describe (test/schema-drift.test.ts lists them):
-- full-text search over query, CoT and calls;
CREATE INDEX "samples_search_idx" ON "samples" USING GIN (studio_sample_search("query", "cot", "answer"));
-- the review queue: samples that need a human, in id order (claims skip locked rows).
CREATE INDEX "samples_review_queue_idx" ON "samples"("id") WHERE "status" IN ('passed', 'flagged');

-- AddForeignKey
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_sample_id_fkey" FOREIGN KEY ("sample_id") REFERENCES "samples"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sample_tasks" ADD CONSTRAINT "sample_tasks_sample_id_fkey" FOREIGN KEY ("sample_id") REFERENCES "samples"("id") ON DELETE CASCADE ON UPDATE CASCADE;
