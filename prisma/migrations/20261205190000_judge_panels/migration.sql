-- Judge panels (issue 13 §1). A panel member's vote is a verdict of its own, marked with the panel it voted in: the
-- panel's verdict (decided_by 'panel:<name>') is the stage's, so outcome queries leave member votes out.
ALTER TABLE "stage_verdicts" ADD COLUMN "member_of" TEXT;

-- The panel a run gave each stage, by stage id: {"4": "trio"}. Panels themselves are settings (key 'judge-panels').
ALTER TABLE "pipeline_runs" ADD COLUMN "judge_panels" JSONB NOT NULL DEFAULT '{}';
