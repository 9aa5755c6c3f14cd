-- Conversations (issue 11 §2): a sample's messages after its first answer, its count of assistant turns, the
-- source's mark of deliberately wrong tool results, and the turn a verdict judges. Existing rows are single
-- exchanges (follow_up NULL, turns 1) until lib/samples/conversation-upgrade.ts restores the turns that an earlier
-- import kept only in source_record.
ALTER TABLE "samples" ADD COLUMN "follow_up" JSON;
ALTER TABLE "samples" ADD COLUMN "turns" SMALLINT NOT NULL DEFAULT 1;
ALTER TABLE "samples" ADD COLUMN "error_tool_response" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "stage_verdicts" ADD COLUMN "turn" SMALLINT NOT NULL DEFAULT 1;
CREATE INDEX "samples_multi_turn_idx" ON "samples"("dataset_id", "turns", "id") WHERE "turns" > 1;
