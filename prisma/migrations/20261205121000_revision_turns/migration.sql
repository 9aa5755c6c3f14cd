-- A revision of a conversation names the assistant turn it changed; a repair that cut the conversation after that
-- turn keeps the follow-up as it was and as it became (lib/pipeline/run.ts, the repair policy).
ALTER TABLE "sample_revisions" ADD COLUMN "turn" SMALLINT NOT NULL DEFAULT 1;
ALTER TABLE "sample_revisions" ADD COLUMN "follow_up_before" JSON;
ALTER TABLE "sample_revisions" ADD COLUMN "follow_up_after" JSON;
