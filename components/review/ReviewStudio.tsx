"use client";

// The review page: one sample side by side (what the model was given, what it answered, the verdicts), decided with
// single keys. The data, the queue, the editor's drafts and the keys are hooks (useSampleView, useReviewQueue,
// useEditDraft, useShortcuts); the panels are components; what is left here is what each action does.
import Link from "next/link";
import { useCallback, useEffect, useMemo, useState } from "react";
import { CommentThread } from "@/components/comments/CommentThread";
import { buttonClasses } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { CheckSquareIcon } from "@/components/ui/icons";
import { useRemembered } from "@/components/ui/useRemembered";
import { useShortcuts } from "@/components/ui/useShortcuts";
import { api, errorMessage } from "@/lib/api/client";
import type { ActionIn } from "@/lib/keyboard/shortcuts";
import { regeneratedAnswer } from "@/lib/review/diff";
import type { FailingVerdict } from "@/lib/review/edit";
import { DecisionDialog, RecheckDialog, RegenerateDialog } from "./ActionDialogs";
import { turnOf } from "./ConversationThread";
import { DiffView } from "./DiffView";
import { EditPanel } from "./EditPanel";
import { GuidelinesPanel } from "./GuidelinesPanel";
import { ReviewRoundPanel } from "./ReviewRoundPanel";
import { SampleHeader } from "./SampleHeader";
import { SampleHistory } from "./SampleHistory";
import { conflictOf, doneLabel, SampleNotices, taskLabel, UndoToast, type Conflict, type Notice, type Undoable } from "./SampleNotices";
import { SampleAnswer, SampleInput } from "./SamplePanels";
import { ShortcutOverlay } from "./ShortcutOverlay";
import { useEditDraft } from "./useEditDraft";
import { reviewUrl, useReviewQueue, type ReviewMode } from "./useReviewQueue";
import { fetchView, useSampleView, type Task, type View } from "./useSampleView";

export type { ReviewMode } from "./useReviewQueue";

type DialogKind = "discard" | "restore" | "regenerate" | "recheck" | "help";
type Decision = "approve" | "discard" | "restore";

/** How long a decision made here can be undone from its toast (or `u`). */
const UNDO_MS = 10_000;

const DECIDED: Record<string, string> = { approve: "Approved", discard: "Discarded", restore: "Restored" };

/** Keys a viewer (no decisions) may use: reading and moving. */
const READING_KEYS = new Set<string>(["help", "guidelines", "next", "previous", "nextTurn", "previousTurn"]);

function roundTitle(id: number, action: Decision, round: { votes: number; k: number; state: "open" | "agreed" | "disputed" }): string {
  if (round.state === "agreed") return `${DECIDED[action]} sample #${id}: all ${round.k} reviews agree`;
  if (round.state === "disputed") return `Reviewed sample #${id}: the ${round.k} reviews disagree, it goes to adjudication`;
  return `Reviewed sample #${id} (${DECIDED[action].toLowerCase()}): review ${round.votes} of ${round.k}`;
}

/** A task just asked for, shown as queued until the first poll brings the real row. */
function queuedTask(taskId: number, body: Record<string, unknown>): Task {
  const { kind, ...options } = body as { kind: Task["kind"] } & Record<string, unknown>;
  return { id: taskId, sampleId: 0, kind, options, status: "queued", message: null, requestedBy: "you", sampleVersion: 0, createdAt: new Date().toISOString(), finishedAt: null };
}

/** `user`: who is looking (their email: claims are held by it); `canDecide`, `canComment`: annotators and admins. */
export function ReviewStudio({ initial, user, canDecide, canComment, mode }: { initial: View; user: string; canDecide: boolean; canComment: boolean; mode: ReviewMode }) {
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [busy, setBusy] = useState(false);
  /** The last decision made here, for UNDO_MS: its toast offers Undo (`u`). */
  const [undoable, setUndoable] = useState<Undoable | null>(null);
  /** The chain of thought at its full height (remembered in this browser) or scrolling in its panel. */
  const [cotFull, setCotFull] = useRemembered("studio.review.cot-full", false);
  /** The dataset's guidelines open above the sample (`g`; remembered in this browser). */
  const [guidelinesOpen, setGuidelinesOpen] = useRemembered("studio.review.guidelines-open", false);
  /** A conversation's turn that edit, regenerate and the revisions act on: `[` and `]` move it (1: the first answer). */
  const [focusedTurn, setFocusedTurn] = useState(1);

  const urlFor = useCallback((sampleId: number) => reviewUrl(mode, sampleId), [mode]);
  const onShow = useCallback(() => {
    setDialog(null);
    setConflict(null);
    setFocusedTurn(1);
  }, []);
  const onTaskEnded = useCallback((task: Task) => {
    const tone = task.status === "succeeded" ? "success" : task.status === "conflict" ? "warning" : "error";
    const title = task.status === "succeeded" ? doneLabel(task) : `${taskLabel(task)} ${task.status === "conflict" ? "stopped: the sample changed meanwhile" : "failed"}`;
    setNotice({ tone, title, body: task.message ?? undefined });
  }, []);
  const { view, activeTask, show, reload: reloadView, update } = useSampleView(initial, { urlFor, onShow, onTaskEnded });
  const sample = view.sample;
  const id = sample.id;
  const editor = useEditDraft(user, id);
  const steps = useReviewQueue(mode, id, { show, say: setNotice });
  const editing = editor.editBase !== null;

  useEffect(() => {
    if (!undoable) return;
    const timer = setTimeout(() => setUndoable(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [undoable]);

  const turns = 1 + (sample.followUp ?? []).filter((message) => message.role === "assistant").length;
  const turn = Math.min(focusedTurn, turns);
  const focused = turnOf(sample, turn)!;
  function focusTurn(next: number) {
    const to = Math.max(1, Math.min(turns, next));
    setFocusedTurn(to);
    requestAnimationFrame(() => document.querySelector(to === 1 ? "#answer-title" : `[data-turn="${to}"]`)?.scrollIntoView({ block: "nearest" }));
  }
  /** Why Approve is off for this version (the server refuses it too), null when a person may approve it. */
  const approveRefusal =
    sample.answer === null ? "No answer to approve yet: regenerate or edit the sample first." : view.ruleRefusal ? `Cannot approve: this version ${view.ruleRefusal}.` : null;
  const regenerated = useMemo(() => regeneratedAnswer(sample.revisions.filter((revision) => revision.turn === 1)), [sample.revisions]);

  /** Shows the sample as it is now; an open editor keeps its text and will save over this version. */
  async function reload() {
    const fresh = await reloadView();
    if (!fresh) return;
    setConflict(null);
    editor.followVersion(fresh.sample.version);
  }

  /** A refusal because someone changed the sample meanwhile: shown as such (nothing was overwritten). */
  function conflicted(error: unknown): boolean {
    const current = conflictOf(error);
    if (!current) return false;
    setConflict(current);
    setDialog(null);
    return true;
  }

  /** Approve (a key), discard or restore (a dialog, which shows the refusal: returned). */
  async function decide(action: Decision, extra: { reason?: string; stage?: number; withOriginalAnswer?: boolean } = {}): Promise<string | null> {
    setBusy(true);
    // In the queue, the next claim goes out with the decision: the next sample is on screen one round trip after the
    // key press. (If the decision is refused, the reviewer simply holds their next sample already.)
    const claiming = steps.claimNext();
    try {
      const decided = await api("POST /api/samples/[id]/decision", { params: { id }, body: { action, expectedVersion: sample.version, ...extra } });
      setDialog(null);
      steps.decided.current++;
      const title = decided.round ? roundTitle(id, action, decided.round) : `${DECIDED[action]} sample #${id}`;
      // A restore with the original answer is an edit (a revision, not a decision): its history holds it, no undo.
      if (decided.decisionId) setUndoable({ sampleId: id, decisionId: decided.decisionId, title });
      if (claiming) {
        await steps.moveOn(claiming);
      } else {
        await reload();
        setNotice(steps.neighbors?.next ? { tone: "info", title: "Press J for the next sample." } : null);
      }
      return null;
    } catch (error) {
      claiming?.catch(() => undefined);
      if (conflicted(error)) return null;
      if (dialog) return errorMessage(error);
      setNotice({ tone: "error", title: `Could not ${action} the sample`, body: errorMessage(error) });
      return null;
    } finally {
      setBusy(false);
    }
  }

  /** Takes back a decision (the toast's, or History's): that sample comes back on screen as it was, held by this reviewer. */
  async function undo(target: Undoable | null = undoable) {
    if (!target || busy) return;
    setUndoable(null);
    setBusy(true);
    try {
      const skip = target.decisionId === null;
      let status: string | undefined;
      if (skip) await steps.unskip(target.sampleId);
      else {
        ({ status } = await api("POST /api/samples/[id]/undo", { params: { id: target.sampleId }, body: { decisionId: target.decisionId! } }));
        steps.decided.current = Math.max(0, steps.decided.current - 1);
      }
      const fresh = await fetchView(target.sampleId);
      if (fresh && fresh.sample.id === id) update(() => fresh);
      else if (fresh) show(fresh);
      steps.refill();
      const undone = target.title.replace(/^\w+/, (verb) => verb.toLowerCase());
      setNotice({ tone: "info", title: skip ? `Undone: ${undone} — it is yours again` : `Undone: ${undone} — it is ${status} again` });
    } catch (error) {
      setNotice({ tone: "error", title: `Could not undo: ${target.title}`, body: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  /** Makes an earlier version current again, as the editor would save it (checked by the rules, back to review). */
  async function adoptVersion(key: string, label: string) {
    setBusy(true);
    try {
      const { version } = await api("POST /api/samples/[id]/revert", { params: { id }, body: { to: key, ...(turn > 1 ? { turn } : {}), expectedVersion: sample.version } });
      await reload();
      setNotice({ tone: "success", title: `${label} is the current version again (version ${version}); it is back in review` });
    } catch (error) {
      if (!conflicted(error)) setNotice({ tone: "error", title: `Could not use ${label}`, body: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  /** Regenerate or re-check (a dialog, which shows the refusal: returned); the page watches the task until it ends. */
  async function requestTask(body: { kind: "regenerate"; scope: "cot+answer" | "answer"; instruction: string; turn?: number } | { kind: "recheck"; stages: "rules" | "all" }): Promise<string | null> {
    try {
      const { taskId } = await api("POST /api/samples/[id]/tasks", { params: { id }, body: { ...body, expectedVersion: sample.version } });
      setDialog(null);
      setNotice(null);
      update((current) => ({ ...current, tasks: [queuedTask(taskId, body), ...current.tasks] }), taskId);
      return null;
    } catch (error) {
      return conflicted(error) ? null : errorMessage(error);
    }
  }

  /** The editor's save: null when saved; the rules' failures or a message when not (the editor keeps the text). */
  async function saveEdit(edit: { answer: string; cot: string }, expectedVersion: number): Promise<FailingVerdict[] | string | null> {
    try {
      const { version } = await api("POST /api/samples/[id]/edit", { params: { id }, body: { ...edit, ...(turn > 1 ? { turn } : {}), expectedVersion } });
      editor.closeEditor();
      await reload();
      setNotice({
        tone: "success",
        title: `Saved your edit as version ${version}`,
        body: "The rule stages pass it. It is flagged for review until someone approves it (or re-checks all stages).",
      });
      return null;
    } catch (error) {
      const current = conflictOf(error);
      if (current) {
        setConflict(current);
        return "Not saved: the sample changed since you opened it. Your edit is still here; reload to see the change.";
      }
      const failing = (error as { body?: { failing?: FailingVerdict[] } }).body?.failing;
      return failing?.length ? failing : errorMessage(error);
    }
  }

  function onAction(action: ActionIn<"review">) {
    if (busy) return;
    if (!canDecide && !READING_KEYS.has(action)) return;
    if (steps.queueEmpty && action !== "undo") return;
    switch (action) {
      case "undo":
        return void undo();
      case "approve":
        if (sample.status !== "approved" && approveRefusal === null) void decide("approve");
        return;
      case "discard":
        return setDialog(sample.status === "discarded" ? "restore" : "discard");
      case "regenerate":
      case "recheck":
        if (!activeTask) setDialog(action);
        return;
      case "edit":
        return editor.openEditor(sample.version);
      case "help":
        return setDialog("help");
      case "guidelines":
        return setGuidelinesOpen(!guidelinesOpen);
      case "nextTurn":
        return focusTurn(turn + 1);
      case "previousTurn":
        return focusTurn(turn - 1);
      case "next":
        if (steps.queue) {
          setUndoable({ sampleId: id, decisionId: null, title: `Skipped sample #${id}` });
          void steps.skip();
        } else if (steps.neighbors?.next) show(steps.neighbors.next);
        return;
      case "previous":
        if (steps.queue) window.history.back();
        else if (steps.neighbors?.previous) show(steps.neighbors.previous);
        return;
    }
  }

  useShortcuts("review", onAction, dialog === null && !editing && (!steps.queueEmpty || undoable !== null));
  // Marks the page as interactive (keys handled) once hydrated: tests wait for it before pressing keys.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const current = useMemo(() => ({ answer: focused.answer, cot: focused.cot }), [focused.answer, focused.cot]);
  const undoToast = undoable ? <UndoToast undoable={undoable} onUndo={() => void undo()} onDismiss={() => setUndoable(null)} /> : null;

  if (steps.queueEmpty) {
    const decided = steps.decided.current;
    return (
      <Card className="mt-4">
        {undoToast}
        <EmptyState
          icon={<CheckSquareIcon />}
          title="Queue empty"
          actions={
            <>
              <Link href="/review" className={buttonClasses("primary")}>
                Back to Review
              </Link>
              <Link href="/samples" className={buttonClasses("secondary")}>
                Open the samples table
              </Link>
            </>
          }
        >
          Nothing else needs a human right now{decided ? `: you decided ${decided} sample${decided === 1 ? "" : "s"} in this session` : ""}.
        </EmptyState>
      </Card>
    );
  }

  return (
    <div data-sample={id} data-version={sample.version} data-ready={ready || undefined} data-next-ready={steps.nextReady || undefined}>
      {undoToast}
      <SampleHeader
        view={view}
        user={user}
        mode={mode}
        progress={steps.progress}
        turns={turns}
        regenerated={regenerated}
        approveRefusal={approveRefusal}
        canDecide={canDecide}
        busy={busy}
        activeTask={activeTask}
        canPrevious={steps.queue || Boolean(steps.neighbors?.previous)}
        canNext={steps.queue || Boolean(steps.neighbors?.next)}
        onAction={onAction}
      />
      <GuidelinesPanel guidelines={view.guidelines} dataset={sample.dataset} open={guidelinesOpen} onToggle={() => setGuidelinesOpen(!guidelinesOpen)} />
      <SampleNotices
        version={sample.version}
        conflict={conflict}
        activeTask={activeTask}
        draft={canDecide && !editing ? editor.draft : null}
        notice={notice}
        onReload={reload}
        onRestoreDraft={editor.restoreDraft}
        onDiscardDraft={editor.discardDraft}
        onDismiss={() => setNotice(null)}
      />

      {view.round ? <ReviewRoundPanel round={view.round} user={user} /> : null}

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <SampleInput sample={sample} />
        <SampleAnswer
          view={view}
          turn={turn}
          onFocusTurn={focusTurn}
          activeTask={activeTask}
          cotFull={cotFull}
          onCotFull={setCotFull}
          editor={
            editor.editBase === null ? null : (
              <Card aria-labelledby="edit-title">
                <CardHeader
                  titleId="edit-title"
                  title={turns > 1 ? `Edit turn ${turn}` : "Edit"}
                  description={`The rule stages check your edit as you type.${turns > 1 && turn < turns ? " New calls end the conversation after this turn (what followed answered the old calls)." : ""}`}
                />
                <EditPanel
                  key={`${id}:${turn}`}
                  sampleId={id}
                  turn={turn}
                  version={editor.editBase}
                  kind={focused.answer?.kind ?? "calls"}
                  answer={focused.answer}
                  cot={focused.cot}
                  initial={editor.restored ?? undefined}
                  onDraft={editor.onDraft}
                  onCancel={editor.closeEditor}
                  onSave={saveEdit}
                />
              </Card>
            )
          }
        />
      </div>

      <Card aria-labelledby="revisions-title" className="mt-6">
        <CardHeader
          titleId="revisions-title"
          title="Revisions"
          description={sample.revisions.length ? "Original, regenerated and edited versions: pick any two to compare." : undefined}
        />
        <DiffView
          key={`${id}:${sample.version}:${turn}`}
          current={current}
          revisions={turns > 1 ? sample.revisions.filter((revision) => revision.turn === turn) : sample.revisions}
          onUse={canDecide ? (key, label) => void adoptVersion(key, label) : undefined}
        />
      </Card>
      <CommentThread sampleId={id} comments={view.comments} user={user} canComment={canComment} onAdded={reload} />
      <SampleHistory
        entries={view.history}
        onUndo={
          canDecide && view.undoableDecision?.author === `human:${user}`
            ? () => void undo({ sampleId: id, decisionId: view.undoableDecision!.id, title: `${DECIDED[view.undoableDecision!.action] ?? "Decided"} sample #${id}` })
            : undefined
        }
      />

      {dialog === "discard" || dialog === "restore" ? (
        <DecisionDialog
          mode={dialog}
          open
          onClose={() => setDialog(null)}
          defaultStage={sample.statusStage}
          originalAnswer={sample.revisions.some((revision) => revision.turn === 1)}
          onSubmit={(value) => decide(dialog, value)}
        />
      ) : null}
      {dialog === "regenerate" ? <RegenerateDialog open onClose={() => setDialog(null)} onSubmit={(value) => requestTask({ kind: "regenerate", ...value, ...(turn > 1 ? { turn } : {}) })} /> : null}
      {dialog === "recheck" ? <RecheckDialog open onClose={() => setDialog(null)} onSubmit={(value) => requestTask({ kind: "recheck", ...value })} /> : null}
      <ShortcutOverlay open={dialog === "help"} onClose={() => setDialog(null)} />
    </div>
  );
}
