-- A decision can be undone exactly: it keeps what it changed besides the status, and says when it was undone.
ALTER TABLE "review_decisions" ADD COLUMN "state_before" JSONB;
ALTER TABLE "review_decisions" ADD COLUMN "undone_at" TIMESTAMPTZ(3);
