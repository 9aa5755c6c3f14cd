// Everything the review page shows of one sample, in one object: the page renders it on the server, and the browser
// fetches the same object (GET /api/samples/:id) to poll a running task or to show the next sample at once.
import { listAudit, type AuditEntry } from "@/lib/audit/log";
import { listComments, type SampleCommentView } from "@/lib/comments/list-comments";
import { sampleGuidelines, type Guidelines } from "@/lib/guidelines/get-guidelines";
import { isUnparsedCall } from "@/lib/pipeline/stages/common";
import { sampleFormatRule } from "@/lib/pipeline/stages/format";
import { describeRuleFailures, ruleFailures } from "@/lib/pipeline/rule-check";
import { turnViews } from "@/lib/pipeline/turns";
import { getSample, sampleChange, type SampleChange, type SampleDetail } from "@/lib/samples/queries";
import { argumentHighlights, type ArgumentHighlight } from "./highlights";
import { latestTasks, type SampleTaskRow } from "./tasks";
import { latestUndoable, undoableAt } from "./undo";

export interface ReviewView {
  sample: SampleDetail;
  /** Where the calls are wrong, argument by argument (empty for a text answer). */
  highlights: ArgumentHighlight[];
  /** The same for each later turn of a conversation, by turn number. */
  turnHighlights: Record<number, ArgumentHighlight[]>;
  /**
   * For a text answer stage 1 reads as a call that does not parse: stage 5's problem with it as it stands now
   * ("text after the call list: 'Hope this helps!'"), so the page never shows it as a plain text answer; else null.
   */
  formatProblem: string | null;
  /** The sample's recent background tasks, newest first. */
  tasks: SampleTaskRow[];
  /** Who changed the sample last, and when. */
  lastChange: SampleChange | null;
  /**
   * Why no one may approve this version, when a rule stage fails it ("fails stage 4 (rule:function-params): … — edit
   * it to fix"); null when the rules pass it. Computed on the version shown, whatever verdicts are stored.
   */
  ruleRefusal: string | null;
  /** The sample's audit-log entries (decisions, edits, regenerate / re-check requests, restores), newest first. */
  history: AuditEntry[];
  /** Its latest decision while it can be undone (nothing changed since): History offers its author the undo. */
  undoableDecision: { id: string; action: string; author: string } | null;
  /** The dataset's guidelines in force (the collapsible panel, `g`), or null when it has none. */
  guidelines: Guidelines | null;
  /** The sample's comment thread, oldest first. */
  comments: SampleCommentView[];
}

export async function loadReviewView(id: number): Promise<ReviewView | null> {
  // The latest decision is read beside the sample (not after it): the review page loads a view per sample shown.
  const [sample, tasks, lastChange, history, decision, guidelines, comments] = await Promise.all([
    getSample(id),
    latestTasks(id, 5),
    sampleChange(id),
    listAudit({ targetType: "sample", targetId: String(id), limit: 100 }),
    latestUndoable(id),
    sampleGuidelines(id),
    listComments({ sampleId: id }),
  ]);
  if (!sample) return null;
  const undoable = undoableAt(decision, sample.version);
  const calls = sample.answer?.kind === "calls" ? sample.answer.calls : [];
  const format = isUnparsedCall(sample) ? sampleFormatRule(sample) : null;
  const formatProblem = format?.outcome === "fail" ? String(format.evidence.problem) : null;
  const failures = sample.answer ? await ruleFailures(sample) : [];
  return {
    sample,
    // Each turn's verdicts mark that turn's calls.
    highlights: argumentHighlights(calls, sample.tools, sample.verdicts.filter((verdict) => verdict.turn === 1)),
    turnHighlights: Object.fromEntries(
      turnViews(sample)
        .slice(1)
        .map(({ turn, answer }) => [
          turn,
          answer?.kind === "calls" ? argumentHighlights(answer.calls, sample.tools, sample.verdicts.filter((verdict) => verdict.turn === turn)) : [],
        ]),
    ),
    formatProblem,
    tasks,
    lastChange,
    ruleRefusal: failures.length ? describeRuleFailures(failures) : null,
    history: history.entries,
    undoableDecision: undoable,
    guidelines,
    comments,
  };
}
