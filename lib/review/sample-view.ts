// Everything the review page shows of one sample, in one object: the page renders it on the server, and the browser
// fetches the same object (GET /api/samples/:id) to poll a running task or to show the next sample at once.
import { listAudit, type AuditEntry } from "@/lib/audit/log";
import type { CurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { listComments, type SampleCommentView } from "@/lib/comments/list-comments";
import { getPool } from "@/lib/db/client";
import { sampleGuidelines, type Guidelines } from "@/lib/guidelines/get-guidelines";
import { isUnparsedCall } from "@/lib/pipeline/stages/common";
import { sampleFormatRule } from "@/lib/pipeline/stages/format";
import { describeRuleFailures, ruleFailures } from "@/lib/pipeline/rule-check";
import { turnViews } from "@/lib/pipeline/turns";
import { getSample, sampleChange, type SampleChange, type SampleDetail } from "@/lib/samples/queries";
import { argumentHighlights, type ArgumentHighlight } from "./highlights";
import { latestTasks, type SampleTaskRow } from "./tasks";
import { loadRound, roundFor, type ReviewRound } from "./overlap";
import { latestUndoable, undoableAt } from "./undo";
import { roundAnswerOf, type RoundAnswerView } from "@/lib/rounds/rounds";

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
  /**
   * Its overlap review when its dataset takes several reviews per sample (null otherwise), as the viewer may see it:
   * while the round is open a reviewer sees only their own vote.
   */
  round: ReviewRound | null;
  /** The dataset's guidelines in force (the collapsible panel, `g`), or null when it has none. */
  guidelines: Guidelines | null;
  /** The sample's comment thread, oldest first. */
  comments: SampleCommentView[];
  /** As a self-refinement round's answer: its round and the reference answer it was compared with (else null). */
  roundAnswer: RoundAnswerView | null;
}

/** Who looks at a view: what they may see of an open round. */
export interface ReviewViewer {
  /** The reviewer's plain name (a claim's holder, CurrentUser.email). */
  name: string;
  canAdjudicate: boolean;
}

export function reviewViewer(user: Pick<CurrentUser, "email" | "role">): ReviewViewer {
  return { name: user.email, canAdjudicate: can(user.role, "adjudicate") };
}

export async function loadReviewView(id: number, viewer: ReviewViewer): Promise<ReviewView | null> {
  // The latest decision is read beside the sample (not after it): the review page loads a view per sample shown.
  const [sample, tasks, lastChange, history, decision, round, guidelines, comments, roundAnswer] = await Promise.all([
    getSample(id),
    latestTasks(id, 5),
    sampleChange(id),
    listAudit({ targetType: "sample", targetId: String(id), limit: 100 }),
    latestUndoable(id),
    getPool().then((pool) => loadRound(pool, id)),
    sampleGuidelines(id),
    listComments({ sampleId: id }),
    roundAnswerOf(id),
  ]);
  if (!sample) return null;
  const shownRound = roundFor(round, viewer);
  // Blind review: while the round is open, the other reviewers' votes (and undos of them) stay out of the history.
  const hidden = (actor: string, action: string) =>
    round !== shownRound && (action === "decision.vote" || action === "decision.undo") && actor !== `human:${viewer.name}`;
  const ownOrNone = (d: ReturnType<typeof undoableAt>) => (d && round !== shownRound && d.author !== `human:${viewer.name}` ? null : d);
  const undoable = ownOrNone(undoableAt(decision, sample.version));
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
    history: history.entries.filter((entry) => !hidden(entry.actor, entry.action)),
    undoableDecision: undoable,
    round: shownRound,
    guidelines,
    comments,
    roundAnswer,
  };
}
