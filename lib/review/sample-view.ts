// Everything the review page shows of one sample, in one object: the page renders it on the server, and the browser
// fetches the same object (GET /api/samples/:id) to poll a running task or to show the next sample at once.
import { listAudit, type AuditEntry } from "@/lib/audit/log";
import { isUnparsedCall } from "@/lib/pipeline/stages/common";
import { sampleFormatRule } from "@/lib/pipeline/stages/format";
import { getSample, sampleChange, type SampleChange, type SampleDetail } from "@/lib/samples/queries";
import { argumentHighlights, type ArgumentHighlight } from "./highlights";
import { latestTasks, type SampleTaskRow } from "./tasks";

export interface ReviewView {
  sample: SampleDetail;
  /** Where the calls are wrong, argument by argument (empty for a text answer). */
  highlights: ArgumentHighlight[];
  /**
   * For a text answer stage 1 reads as a call that does not parse: stage 5's problem with it as it stands now
   * ("text after the call list: 'Hope this helps!'"), so the page never shows it as a plain text answer; else null.
   */
  formatProblem: string | null;
  /** The sample's recent background tasks, newest first. */
  tasks: SampleTaskRow[];
  /** Who changed the sample last, and when. */
  lastChange: SampleChange | null;
  /** The sample's audit-log entries (decisions, edits, regenerate / re-check requests, restores), newest first. */
  history: AuditEntry[];
}

export async function loadReviewView(id: number): Promise<ReviewView | null> {
  const [sample, tasks, lastChange, history] = await Promise.all([
    getSample(id),
    latestTasks(id, 5),
    sampleChange(id),
    listAudit({ targetType: "sample", targetId: String(id), limit: 100 }),
  ]);
  if (!sample) return null;
  const calls = sample.answer?.kind === "calls" ? sample.answer.calls : [];
  const format = isUnparsedCall(sample) ? sampleFormatRule(sample) : null;
  const formatProblem = format?.outcome === "fail" ? String(format.evidence.problem) : null;
  return { sample, highlights: argumentHighlights(calls, sample.tools, sample.verdicts), formatProblem, tasks, lastChange, history: history.entries };
}
