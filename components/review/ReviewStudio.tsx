"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { formatCount, formatDateTime } from "@/components/datasets/format";
import { STAGE_NAMES } from "@/components/samples/SampleParts";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { Button, buttonClasses } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { CheckSquareIcon } from "@/components/ui/icons";
import { StatusBadge } from "@/components/ui/StatusBadge";
import { formatSeconds, queueSampleHref } from "@/components/queue/format";
import { failureMessage } from "@/lib/http/failure";
import type { Jsonified } from "@/lib/http/json";
import { regeneratedAnswer } from "@/lib/review/diff";
import type { FailingVerdict } from "@/lib/review/edit";
import type { QueueProgress } from "@/lib/review/progress";
import type { ReviewView } from "@/lib/review/sample-view";
import type { ShortcutAction } from "@/lib/review/shortcuts";
import type { SampleTaskRow } from "@/lib/review/tasks";
import type { SampleChange } from "@/lib/samples/queries";
import { ActionBar } from "./ActionBar";
import { DecisionDialog, RecheckDialog, RegenerateDialog } from "./ActionDialogs";
import { CallList } from "./CallList";
import { ConversationThread, turnOf } from "./ConversationThread";
import { CotView } from "./CotView";
import { DiffView } from "./DiffView";
import { clearDraft, readDraft, writeDraft, type EditDraft } from "./drafts";
import { EditPanel } from "./EditPanel";
import { GuidelinesPanel } from "./GuidelinesPanel";
import { ReviewRoundPanel } from "./ReviewRoundPanel";
import { CommentThread } from "@/components/comments/CommentThread";
import { SampleHistory } from "./SampleHistory";
import { ShortcutOverlay } from "./ShortcutOverlay";
import { TOOLS_OPEN_UP_TO, ToolList } from "./ToolSchema";
import { useRemembered } from "@/components/ui/useRemembered";
import { useShortcuts } from "./useShortcuts";
import { VerdictStrip, VerdictTimeline } from "./VerdictTimeline";

export type View = Jsonified<ReviewView>;
type Task = Jsonified<SampleTaskRow>;
type Conflict = Jsonified<SampleChange>;

/** Queue mode walks the reviewer's claims (the next one claimed while this one is on screen); browse mode walks the table's list. */
export type ReviewMode = { kind: "queue"; datasetId: number | null; adjudicate: boolean } | { kind: "browse"; listQuery: string };

type DialogKind = "discard" | "restore" | "regenerate" | "recheck" | "help";
interface Notice {
  tone: "success" | "info" | "warning" | "error";
  title: string;
  body?: string;
}

const isActive = (t: Task) => t.status === "queued" || t.status === "running";
const POLL_MS = 1000;
/** How long a decision made here can be undone from its toast (or `u`). */
const UNDO_MS = 10_000;

const DECIDED: Record<string, string> = { approve: "Approved", discard: "Discarded", restore: "Restored" };

interface Undoable {
  sampleId: number;
  /** The decision to take back; null for a skip (taking it back claims the sample again). */
  decisionId: string | null;
  /** "Approved sample #123", "Skipped sample #124". */
  title: string;
}

/** What a decision that was one of a sample's k reviews did (POST …/decision answers it). */
interface DecisionRound {
  votes: number;
  k: number;
  state: "open" | "agreed" | "disputed";
}

function roundTitle(id: number, action: string, round: DecisionRound): string {
  if (round.state === "agreed") return `${DECIDED[action]} sample #${id}: all ${round.k} reviews agree`;
  if (round.state === "disputed") return `Reviewed sample #${id}: the ${round.k} reviews disagree, it goes to adjudication`;
  return `Reviewed sample #${id} (${DECIDED[action].toLowerCase()}): review ${round.votes} of ${round.k}`;
}

function QueueFigures({ progress }: { progress: QueueProgress }) {
  return (
    <p className="tabular text-xs text-stone-500" data-testid="queue-progress">
      <span data-testid="queue-left">{formatCount(progress.left)}</span> left in this queue ·{" "}
      <span data-testid="queue-done-today">{formatCount(progress.doneToday)}</span> done by you today
      {progress.medianSeconds === null ? null : <> · median {formatSeconds(progress.medianSeconds)} per sample</>}
    </p>
  );
}

async function readJson<T>(response: Response): Promise<T & { error?: string; current?: Conflict }> {
  return (await response.json().catch(() => ({}))) as T & { error?: string; current?: Conflict };
}

async function fetchView(id: number): Promise<View | null> {
  const response = await fetch(`/api/samples/${id}`, { cache: "no-store" });
  return response.ok ? ((await response.json()) as View) : null;
}

function taskLabel(task: Task): string {
  if (task.kind === "recheck") return task.options.stages === "rules" ? "Re-checking with the rule stages" : "Re-checking with all stages";
  return task.options.scope === "answer" ? "Regenerating the answer" : "Regenerating the CoT and answer";
}

function doneLabel(task: Task): string {
  if (task.kind === "recheck") return task.options.stages === "rules" ? "Re-checked with the rule stages" : "Re-checked with all stages";
  return task.options.scope === "answer" ? "Regenerated the answer" : "Regenerated the CoT and answer";
}

/** A task just asked for, shown as queued until the first poll brings the real row. */
function queuedTask(taskId: number, body: Record<string, unknown>): Task {
  const { kind, ...options } = body as { kind: Task["kind"] } & Record<string, unknown>;
  return { id: taskId, sampleId: 0, kind, options, status: "queued", message: null, requestedBy: "you", sampleVersion: 0, createdAt: new Date().toISOString(), finishedAt: null };
}

function who(by: string | null): string {
  return by ? by.replace(/^human:/, "") : "someone";
}

/** `user`: who is looking (their email: claims are held by it); `canDecide`, `canComment`: annotators and admins. */
export function ReviewStudio({ initial, user, canDecide, canComment, mode }: { initial: View; user: string; canDecide: boolean; canComment: boolean; mode: ReviewMode }) {
  const [view, setView] = useState(initial);
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  /** The version the open editor edits (null: not editing); moves on only when the reviewer reloads. */
  const [editBase, setEditBase] = useState<number | null>(null);
  const editing = editBase !== null;
  /** Unsaved edits left on this sample by an earlier visit (a closed tab), offered back until restored or discarded. */
  const [draft, setDraft] = useState<EditDraft | null>(null);
  /** The draft the open editor was restored from. */
  const [restored, setRestored] = useState<EditDraft | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [busy, setBusy] = useState(false);
  const [queueEmpty, setQueueEmpty] = useState(false);
  const [neighbors, setNeighbors] = useState<{ previous: View | null; next: View | null } | null>(null);
  /** Queue mode: the sample after this one is claimed and loaded (what makes "next" instant). */
  const [nextReady, setNextReady] = useState(false);
  /** Queue mode: the sample that comes next, looked up (not claimed) while this one is on screen. */
  const peeked = useRef<Promise<View | null> | null>(null);
  const skipped = useRef<number[]>([]);
  /** The last skip's release, still on its way: an undo of that skip waits for it. */
  const releasing = useRef<Promise<unknown> | null>(null);
  const decided = useRef(0);
  /** The last decision made here, for UNDO_MS: its toast offers Undo (`u`). */
  const [undoable, setUndoable] = useState<Undoable | null>(null);
  /** The chain of thought at its full height (remembered in this browser) or scrolling in its panel. */
  const [cotFull, setCotFull] = useRemembered("studio.review.cot-full", false);
  /** The dataset's guidelines open above the sample (`g`; remembered in this browser). */
  const [guidelinesOpen, setGuidelinesOpen] = useRemembered("studio.review.guidelines-open", false);
  useEffect(() => {
    if (!undoable) return;
    const timer = setTimeout(() => setUndoable(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [undoable]);
  const sample = view.sample;
  /** A conversation's turn that edit, regenerate and the revisions act on: `[` and `]` move it (1: the first answer). */
  const turns = 1 + (sample.followUp ?? []).filter((message) => message.role === "assistant").length;
  const [focusedTurn, setFocusedTurn] = useState(1);
  useEffect(() => setFocusedTurn(1), [sample.id]);
  const turn = Math.min(focusedTurn, turns);
  const focused = turnOf(sample, turn)!;
  function focusTurn(next: number) {
    const to = Math.max(1, Math.min(turns, next));
    setFocusedTurn(to);
    requestAnimationFrame(() => document.querySelector(to === 1 ? "#answer-title" : `[data-turn="${to}"]`)?.scrollIntoView({ block: "nearest" }));
  }
  /** Why Approve is off for this version (the server refuses it too), null when a person may approve it. */
  const approveRefusal =
    sample.answer === null
      ? "No answer to approve yet: regenerate or edit the sample first."
      : view.ruleRefusal
        ? `Cannot approve: this version ${view.ruleRefusal}.`
        : null;
  const id = sample.id;
  const queue = mode.kind === "queue";
  const regenerated = useMemo(() => regeneratedAnswer(sample.revisions.filter((revision) => revision.turn === 1)), [sample.revisions]);

  // localStorage exists only in the browser: look for a draft once the page is there, and for each sample shown.
  useEffect(() => setDraft(readDraft(user, id)), [user, id]);

  /** The open editor's text, kept as it is typed against the version it edits. */
  const onDraft = useCallback(
    (edit: { answer: string; cot: string } | null) => {
      if (editBase === null) return;
      if (edit) writeDraft(user, id, { version: editBase, ...edit });
      else clearDraft(user, id);
    },
    [user, id, editBase],
  );

  function closeEditor() {
    clearDraft(user, id);
    setEditBase(null);
    setRestored(null);
  }

  /**
   * Reopens the editor with the draft, against the version it was typed on: when the sample has moved on since,
   * saving shows what changed (a conflict) instead of overwriting it, as the offer said.
   */
  function restoreDraft(found: EditDraft) {
    setRestored(found);
    setEditBase(found.version);
    setDraft(null);
  }

  function discardDraft() {
    clearDraft(user, id);
    setDraft(null);
  }

  const urlFor = useCallback(
    (sampleId: number) =>
      mode.kind === "queue" ? queueSampleHref(sampleId, mode.datasetId, mode.adjudicate) : `/samples/${sampleId}${mode.listQuery ? `?${mode.listQuery}` : ""}`,
    [mode],
  );

  /** Puts another sample on screen at once (its view is already here) and gives it its own URL. */
  const show = useCallback(
    (next: View, how: "push" | "none" = "push") => {
      setView(next);
      setDialog(null);
      setEditBase(null);
      setRestored(null);
      setConflict(null);
      setNeighbors(null);
      if (how === "push") window.history.pushState(null, "", urlFor(next.sample.id));
      document.title = `Sample ${next.sample.id} · FunReason Studio`;
      window.scrollTo(0, 0);
      // A prefetched view may be seconds old: refresh it quietly.
      void fetchView(next.sample.id).then((fresh) => {
        if (fresh) setView((current) => (current.sample.id === fresh.sample.id ? fresh : current));
      });
    },
    [urlFor],
  );

  /** Shows the sample as it is now; an open editor keeps its text and will save over this version. */
  const reload = useCallback(async () => {
    const fresh = await fetchView(id);
    if (fresh) {
      setView(fresh);
      setConflict(null);
      setEditBase((base) => (base === null ? null : fresh.sample.version));
    }
  }, [id]);

  /** Queue mode: the next sample after this one, looked up (claim: false) or claimed for the reviewer (claim: true). */
  const queueNext = useCallback(
    async (claim: boolean, known?: number): Promise<{ nextId: number | null; next?: View | null }> => {
      if (mode.kind !== "queue") return { nextId: null, next: null };
      const response = await fetch(`/api/samples/${id}/next`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          claim,
          known,
          skipped: skipped.current,
          ...(mode.datasetId === null ? {} : { datasetId: mode.datasetId }),
          ...(mode.adjudicate ? { mode: "adjudicate" } : {}),
        }),
      });
      const json = await readJson<{ nextId: number | null; next?: View | null }>(response);
      if (!response.ok) throw new Error(failureMessage(response, json));
      return json;
    },
    [id, mode],
  );

  /** Queue mode: "N left in this queue · M done by you today · median per sample", asked for with each sample shown. */
  const [progress, setProgress] = useState<QueueProgress | null>(null);
  useEffect(() => {
    if (mode.kind !== "queue") return;
    let live = true;
    const query = new URLSearchParams({ ...(mode.datasetId === null ? {} : { datasetId: String(mode.datasetId) }), ...(mode.adjudicate ? { mode: "adjudicate" } : {}) });
    fetch(`/api/review/progress?${query}`, { cache: "no-store" })
      .then((response) => (response.ok ? (response.json() as Promise<QueueProgress>) : null))
      .then((found) => live && found && setProgress(found))
      .catch(() => undefined); // the figures are a help, not the work: the page goes on without them
    return () => {
      live = false;
    };
  }, [id, mode]);

  // Prefetch what comes next while this sample is on screen: the queue's next sample (looked up, not claimed) or
  // the list's neighbours.
  useEffect(() => {
    if (mode.kind === "queue") {
      setNextReady(false);
      peeked.current = queueNext(false).then((found) => found.next ?? null);
      peeked.current.then(
        () => setNextReady(true),
        () => undefined, // a failed look ahead costs only speed: moving on asks again
      );
      return;
    }
    let live = true;
    fetch(`/api/samples/${id}/neighbors${mode.listQuery ? `?${mode.listQuery}` : ""}`, { cache: "no-store" })
      .then((response) => (response.ok ? (response.json() as Promise<{ previous: View | null; next: View | null }>) : null))
      .then((found) => live && found && setNeighbors(found))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [id, mode, queueNext]);

  // Back and forward between samples shown here: load the sample the URL names.
  useEffect(() => {
    const onPopState = () => {
      const match = /^\/samples\/(\d+)$/.exec(window.location.pathname);
      if (!match || Number(match[1]) === id) return;
      void fetchView(Number(match[1])).then((found) => found && show(found, "none"));
    };
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, [id, show]);

  // While a task runs (one asked for here, or found running), poll the sample; when it ends, show the new
  // version and say how it went. A task asked for here may be done before the page ever sees it running.
  const activeTask = view.tasks.find(isActive) ?? null;
  const [asked, setAsked] = useState<number | null>(null);
  const watched = asked ?? activeTask?.id ?? null;
  useEffect(() => {
    if (watched === null) return;
    let live = true;
    const poll = async () => {
      const fresh = await fetchView(id).catch(() => null);
      if (!live || !fresh) return;
      const ended = fresh.tasks.find((t) => t.id === watched);
      if (ended && isActive(ended)) {
        setView(fresh);
        return;
      }
      clearInterval(timer);
      setAsked(null);
      setView(fresh);
      if (ended) {
        const tone = ended.status === "succeeded" ? "success" : ended.status === "conflict" ? "warning" : "error";
        const title = ended.status === "succeeded" ? doneLabel(ended) : `${taskLabel(ended)} ${ended.status === "conflict" ? "stopped: the sample changed meanwhile" : "failed"}`;
        setNotice({ tone, title, body: ended.message ?? undefined });
      }
    };
    const timer = setInterval(poll, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [id, watched]);

  function conflictFrom(json: { current?: Conflict; error?: string }): boolean {
    if (!json.current) return false;
    setConflict(json.current);
    setDialog(null);
    return true;
  }

  /**
   * Queue mode's move to the next sample: claims it (asked for together with the decision, so it costs no extra
   * round trip) and shows it: the prefetched view when the claim is the sample looked up, else the claimed one's.
   */
  async function moveOn(claiming: Promise<{ nextId: number | null; next?: View | null }>, title: string | null) {
    try {
      const [claimed, prefetched] = await Promise.all([claiming, peeked.current?.catch(() => null) ?? null]);
      const next = claimed.nextId === null ? null : claimed.nextId === prefetched?.sample.id ? prefetched : (claimed.next ?? null);
      if (next) {
        show(next);
        setNotice(title ? { tone: "success", title } : null);
      } else {
        setQueueEmpty(true);
        setNotice(null);
      }
    } catch (error) {
      setNotice({ tone: "error", title: "Could not load the next sample", body: (error as Error).message });
    }
  }

  /** The id of the prefetched next sample, if it has arrived. */
  async function peekedId(): Promise<number | undefined> {
    return (await peeked.current?.catch(() => null))?.sample.id;
  }

  async function decide(action: "approve" | "discard" | "restore", extra: { reason?: string; stage?: number; withOriginalAnswer?: boolean } = {}): Promise<string | null> {
    setBusy(true);
    try {
      // In the queue, the next claim goes out with the decision: the next sample is on screen one round trip after
      // the key press. (If the decision is refused, the reviewer simply holds their next sample already.)
      const claiming = queue ? queueNext(true, await peekedId()) : null;
      const response = await fetch(`/api/samples/${id}/decision`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ action, expectedVersion: sample.version, ...extra }),
      });
      const json = await readJson<{ version: number; decisionId: string | null; round: DecisionRound | null }>(response);
      if (response.ok) {
        setDialog(null);
        decided.current++;
        const title = json.round ? roundTitle(id, action, json.round) : `${DECIDED[action]} sample #${id}`;
        // A restore with the original answer is an edit (a revision, not a decision): its history holds it, no undo.
        if (json.decisionId) setUndoable({ sampleId: id, decisionId: json.decisionId, title });
        if (claiming) {
          await moveOn(claiming, null);
        } else {
          await reload();
          setNotice(neighbors?.next ? { tone: "info", title: "Press J for the next sample." } : null);
        }
        return null;
      }
      claiming?.catch(() => undefined);
      if (conflictFrom(json)) return null;
      if (dialog) return failureMessage(response, json);
      setNotice({ tone: "error", title: `Could not ${action} the sample`, body: failureMessage(response, json) });
      return null;
    } catch (error) {
      return (error as Error).message;
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
      // A skip is taken back after its release has landed, or the release would undo the undo.
      if (skip) await releasing.current;
      const response = skip
        ? await fetch("/api/review/reclaim", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ sampleId: target.sampleId }) })
        : await fetch(`/api/samples/${target.sampleId}/undo`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ decisionId: target.decisionId }),
          });
      const json = await readJson<{ status?: string }>(response);
      if (!response.ok) {
        setNotice({ tone: "error", title: `Could not undo: ${target.title}`, body: failureMessage(response, json) });
        return;
      }
      if (skip) skipped.current = skipped.current.filter((n) => n !== target.sampleId);
      else decided.current = Math.max(0, decided.current - 1);
      const fresh = await fetchView(target.sampleId);
      if (fresh && fresh.sample.id === id) setView(fresh);
      else if (fresh) show(fresh);
      setQueueEmpty(false);
      const undone = target.title.replace(/^\w+/, (verb) => verb.toLowerCase());
      setNotice({ tone: "info", title: skip ? `Undone: ${undone} — it is yours again` : `Undone: ${undone} — it is ${json.status} again` });
    } finally {
      setBusy(false);
    }
  }

  /** Makes an earlier version current again, as the editor would save it (checked by the rules, back to review). */
  async function adoptVersion(key: string, label: string) {
    setBusy(true);
    try {
      const response = await fetch(`/api/samples/${id}/revert`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ to: key, ...(turn > 1 ? { turn } : {}), expectedVersion: sample.version }),
      });
      const json = await readJson<{ version: number; failing?: FailingVerdict[] }>(response);
      if (response.ok) {
        await reload();
        setNotice({ tone: "success", title: `${label} is the current version again (version ${json.version}); it is back in review` });
      } else if (!conflictFrom(json)) {
        setNotice({ tone: "error", title: `Could not use ${label}`, body: failureMessage(response, json) });
      }
    } finally {
      setBusy(false);
    }
  }

  async function requestTask(body: Record<string, unknown>): Promise<string | null> {
    const response = await fetch(`/api/samples/${id}/tasks`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...body, expectedVersion: sample.version }),
    });
    const json = await readJson<{ taskId: number }>(response);
    if (response.ok) {
      setDialog(null);
      setNotice(null);
      setAsked(json.taskId);
      setView((current) => ({ ...current, tasks: [queuedTask(json.taskId, body), ...current.tasks] }));
      return null;
    }
    if (conflictFrom(json)) return null;
    return failureMessage(response, json);
  }

  async function saveEdit(edit: { answer: string; cot: string }, expectedVersion: number): Promise<FailingVerdict[] | string | null> {
    const response = await fetch(`/api/samples/${id}/edit`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...edit, ...(turn > 1 ? { turn } : {}), expectedVersion }),
    });
    const json = await readJson<{ version: number; failing?: FailingVerdict[] }>(response);
    if (response.ok) {
      closeEditor();
      await reload();
      setNotice({
        tone: "success",
        title: `Saved your edit as version ${json.version}`,
        body: "The rule stages pass it. It is flagged for review until someone approves it (or re-checks all stages).",
      });
      return null;
    }
    if (json.current) {
      setConflict(json.current);
      return "Not saved: the sample changed since you opened it. Your edit is still here; reload to see the change.";
    }
    if (json.failing?.length) return json.failing;
    return failureMessage(response, json);
  }

  function onAction(action: ShortcutAction) {
    if (busy) return;
    if (!canDecide && action !== "help" && action !== "guidelines" && action !== "next" && action !== "previous" && action !== "nextTurn" && action !== "previousTurn") return;
    if (queueEmpty && action !== "undo") return;
    switch (action) {
      case "undo":
        void undo();
        break;
      case "approve":
        if (sample.status !== "approved" && approveRefusal === null) void decide("approve");
        break;
      case "discard":
        setDialog(sample.status === "discarded" ? "restore" : "discard");
        break;
      case "regenerate":
        if (!activeTask) setDialog("regenerate");
        break;
      case "recheck":
        if (!activeTask) setDialog("recheck");
        break;
      case "edit":
        // A draft on offer is what the reviewer came back for; the offer above already said how old it is.
        if (draft) restoreDraft(draft);
        else setEditBase(sample.version);
        break;
      case "help":
        setDialog("help");
        break;
      case "guidelines":
        setGuidelinesOpen(!guidelinesOpen);
        break;
      case "nextTurn":
        focusTurn(turn + 1);
        break;
      case "previousTurn":
        focusTurn(turn - 1);
        break;
      case "next":
        if (mode.kind === "queue") void skip();
        else if (neighbors?.next) show(neighbors.next);
        break;
      case "previous":
        if (mode.kind === "queue") window.history.back();
        else if (neighbors?.previous) show(neighbors.previous);
        break;
    }
  }

  /** Queue mode's "next": give this sample back to the queue and take the next one. */
  async function skip() {
    skipped.current.push(id);
    setUndoable({ sampleId: id, decisionId: null, title: `Skipped sample #${id}` });
    const claiming = queueNext(true, await peekedId());
    releasing.current = fetch("/api/review/release", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ sampleId: id, skip: true }) }).catch(() => undefined);
    await moveOn(claiming, null);
  }

  useShortcuts(onAction, dialog === null && !editing && (!queueEmpty || undoable !== null));
  // Marks the page as interactive (keys handled) once hydrated: tests wait for it before pressing keys.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const calledNames = useMemo(() => new Set(sample.answer?.kind === "calls" ? sample.answer.calls.map((c) => c.name) : []), [sample.answer]);
  const current = useMemo(() => ({ answer: focused.answer, cot: focused.cot }), [focused.answer, focused.cot]);
  const claimedByMe = sample.claim?.user === user;
  const backHref = queue ? "/review" : `/samples${mode.kind === "browse" && mode.listQuery ? `?${mode.listQuery}` : ""}`;

  const undoToast = undoable ? <UndoToast undoable={undoable} onUndo={() => void undo()} onDismiss={() => setUndoable(null)} /> : null;

  if (queueEmpty) {
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
          Nothing else needs a human right now{decided.current ? `: you decided ${decided.current} sample${decided.current === 1 ? "" : "s"} in this session` : ""}.
        </EmptyState>
      </Card>
    );
  }

  return (
    <div data-sample={id} data-version={sample.version} data-ready={ready || undefined} data-next-ready={nextReady || undefined}>
      {undoToast}
      <header className="sticky top-0 z-20 -mx-2 mb-6 border-b border-stone-200 bg-stone-50 px-2 pt-1 pb-4">
        <div className="flex flex-wrap items-baseline justify-between gap-x-4">
          <Link href={backHref} className="text-xs font-medium text-stone-500 hover:text-stone-800">
            ← {queue ? (mode.adjudicate ? "Adjudication queue" : "Review queue") : "Samples"}
          </Link>
          {queue && progress ? <QueueFigures progress={progress} /> : null}
        </div>
        <div className="mt-1 flex flex-wrap items-end justify-between gap-x-6 gap-y-3">
          <div className="min-w-0">
            <h1 className="text-2xl font-semibold tracking-tight text-stone-900">Sample #{id}</h1>
            <p className="mt-1 flex flex-wrap items-center gap-x-2.5 gap-y-1 text-sm text-stone-500">
              <span data-testid="sample-status">
                <StatusBadge status={sample.status} />
              </span>
              <span>
                <Link href={`/samples?dataset=${sample.datasetId}`} className="font-medium text-stone-700 hover:text-accent-800 hover:underline">
                  {sample.dataset}
                </Link>
                {sample.sourceId ? <> · source id {sample.sourceId}</> : null}
              </span>
              <span className="tabular" data-testid="sample-version">
                version {sample.version}
              </span>
              {turns > 1 ? <Badge tone="neutral">Conversation · {turns} turns</Badge> : null}
              {sample.errorToolResponse ? (
                <Badge tone="amber" title="The source marks this conversation's tool results as deliberately wrong (error_tool_response): it is left out of the refined set by default.">
                  Erroneous tool results
                </Badge>
              ) : null}
              {sample.claim ? (
                <Badge tone={claimedByMe ? "teal" : "amber"} title={`Claimed until ${formatDateTime(new Date(sample.claim.until))}`}>
                  {claimedByMe ? "Claimed by you" : `Held by ${sample.claim.user}`}
                </Badge>
              ) : null}
            </p>
            <div className="mt-2">
              <VerdictStrip verdicts={sample.verdicts} />
            </div>
          </div>
          <ActionBar
            status={sample.status}
            approveRefusal={approveRefusal}
            busy={busy}
            regenerating={activeTask?.kind === "regenerate"}
            rechecking={activeTask?.kind === "recheck"}
            canPrevious={queue || Boolean(neighbors?.previous)}
            canNext={queue || Boolean(neighbors?.next)}
            queue={queue}
            readOnly={!canDecide}
            onAction={onAction}
          />
        </div>
        {sample.statusReason ? (
          <p className="mt-2 text-sm text-stone-600" data-testid="status-reason">
            {sample.statusStage !== null ? <span className="font-medium text-stone-800">Stage {sample.statusStage} · {STAGE_NAMES[sample.statusStage]}: </span> : null}
            {sample.statusReason.replace(/^Stage \d: /, "")}
            {sample.decidedBy ? <span className="text-stone-400"> — decided by {sample.decidedBy}</span> : null}
            {view.lastChange?.by ? (
              <span className="text-stone-400">
                {" "}
                · last change by {who(view.lastChange.by)}, {formatDateTime(new Date(view.lastChange.updatedAt))}
              </span>
            ) : null}
          </p>
        ) : null}
        {regenerated ? (
          <p className="mt-1 text-sm text-violet-800" data-testid="answer-regenerated">
            Answer regenerated by the teacher (attempt {regenerated.attempt}) —{" "}
            <a href="#revisions-title" className="font-medium underline">
              see Revisions
            </a>
          </p>
        ) : null}
        {canDecide && approveRefusal && sample.status !== "approved" ? (
          <p className="mt-1.5 text-sm font-medium text-amber-800" data-testid="approve-refusal">
            {approveRefusal}
          </p>
        ) : null}
      </header>

      <GuidelinesPanel guidelines={view.guidelines} dataset={sample.dataset} open={guidelinesOpen} onToggle={() => setGuidelinesOpen(!guidelinesOpen)} />
      <div className="space-y-4" aria-live="polite">
        {conflict ? (
          <div data-testid="conflict">
            <Alert tone="warning" title={`Changed by ${who(conflict.by)} at ${formatDateTime(new Date(conflict.updatedAt))} since you opened it — reload to see it.`}>
              <p>
                Nothing was overwritten. The sample is now version {conflict.version} ({conflict.status}); you have version {sample.version}.
              </p>
              <Button size="sm" variant="secondary" className="mt-2" onClick={reload}>
                Reload the sample
              </Button>
            </Alert>
          </div>
        ) : null}
        {activeTask ? (
          <div data-testid="task-running">
            <Alert tone="info" title={`${taskLabel(activeTask)}…`}>
              <span className="inline-flex items-center gap-2">
                <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-sky-300 border-t-sky-700" />
                Asked by {who(activeTask.requestedBy)}. The page updates when it is done; you can keep reading meanwhile.
              </span>
            </Alert>
          </div>
        ) : null}
        {draft && canDecide && !editing ? <DraftOffer draft={draft} version={sample.version} onRestore={() => restoreDraft(draft)} onDiscard={discardDraft} /> : null}
        {notice ? (
          <div data-testid="notice" data-tone={notice.tone} className="relative">
            <Alert tone={notice.tone} title={notice.title}>
              {notice.body}
            </Alert>
            <button type="button" onClick={() => setNotice(null)} aria-label="Dismiss" className="absolute top-2.5 right-3 rounded px-1.5 text-stone-400 hover:text-stone-700">
              ×
            </button>
          </div>
        ) : null}
      </div>

      {view.round ? <ReviewRoundPanel round={view.round} user={user} /> : null}

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <div className="min-w-0 space-y-6">
          <Card aria-labelledby="query-title">
            <CardHeader titleId="query-title" title="Query" />
            <p className="px-5 py-4 text-[15px] leading-7 whitespace-pre-wrap text-stone-900" data-testid="query">
              {sample.query}
            </p>
          </Card>
          <Card aria-labelledby="tools-title">
            <CardHeader
              titleId="tools-title"
              title={`Tools · ${sample.tools.length}`}
              description={`Each parameter with its type, whether it is required, allowed values and default.${sample.tools.length > TOOLS_OPEN_UP_TO ? " Tools the answer does not call are folded: open one by its name." : ""}`}
            />
            <div className="px-4 py-4">
              <ToolList tools={sample.tools} calledNames={calledNames} />
            </div>
          </Card>
          {sample.sourceRecord ? (
            <Card>
              <details data-testid="source-record">
                <summary className="cursor-pointer px-5 py-3 text-sm font-semibold text-stone-800">
                  Source record <span className="font-normal text-stone-500">· the whole record: it holds more than the sample has a place for</span>
                </summary>
                <pre className="max-h-96 overflow-auto border-t border-stone-100 px-5 py-4 font-mono text-xs leading-5 whitespace-pre-wrap text-stone-700">
                  {JSON.stringify(sample.sourceRecord, null, 2)}
                </pre>
              </details>
            </Card>
          ) : null}
        </div>

        <div className="min-w-0 space-y-6">
          {editBase !== null ? (
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
                version={editBase}
                kind={focused.answer?.kind ?? "calls"}
                answer={focused.answer}
                cot={focused.cot}
                initial={restored ?? undefined}
                onDraft={onDraft}
                onCancel={closeEditor}
                onSave={saveEdit}
              />
            </Card>
          ) : (
            <div className={activeTask?.kind === "regenerate" ? "space-y-6 opacity-60 transition-opacity" : "space-y-6"}>
              <Card aria-labelledby="cot-title">
                <CardHeader
                  titleId="cot-title"
                  title="Chain of thought"
                  description={sample.cot?.trim() ? `${sample.cot.trim().length.toLocaleString("en-US")} characters` : undefined}
                  actions={
                    sample.cot?.trim() ? (
                      <button
                        type="button"
                        aria-pressed={cotFull}
                        onClick={() => setCotFull(!cotFull)}
                        className="rounded-md px-2 py-1 text-xs font-medium text-stone-600 ring-1 ring-stone-200 hover:bg-stone-50"
                      >
                        {cotFull ? "Scroll in the panel" : "Full height"}
                      </button>
                    ) : null
                  }
                />
                <CotView cot={sample.cot} full={cotFull} />
              </Card>
              <Card aria-labelledby="answer-title">
                <CardHeader
                  titleId="answer-title"
                  title="Answer"
                  description={
                    sample.answer?.kind === "calls"
                      ? `${sample.answer.calls.length} call${sample.answer.calls.length === 1 ? "" : "s"}${view.highlights.length ? ` · ${view.highlights.length} problem${view.highlights.length === 1 ? "" : "s"} marked` : ""}`
                      : undefined
                  }
                />
                <CallList answer={sample.answer} highlights={view.highlights} formatProblem={view.formatProblem} />
              </Card>
              {sample.followUp?.length ? (
                <ConversationThread
                  followUp={sample.followUp}
                  verdicts={sample.verdicts.filter((v) => v.turn > 1)}
                  highlights={view.turnHighlights}
                  focusedTurn={turn}
                  onFocusTurn={focusTurn}
                />
              ) : null}
            </div>
          )}
          <Card aria-labelledby="stages-title">
            <CardHeader
              titleId="stages-title"
              title={sample.followUp?.length ? "Stages · turn 1" : "Stages"}
              description={`The latest verdicts of each stage${sample.followUp?.length ? " on the first answer (later turns: in the conversation)" : ""}; earlier rounds fold away.`}
            />
            <VerdictTimeline verdicts={sample.followUp?.length ? sample.verdicts.filter((v) => v.turn === 1) : sample.verdicts} />
          </Card>
        </div>
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
          onUse={canDecide ? (key, label) => void adoptVersion(key, label) : undefined} />
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

/** "You had unsaved edits": what a closed tab left behind, with how it stands against the sample now. */
function DraftOffer({ draft, version, onRestore, onDiscard }: { draft: EditDraft; version: number; onRestore: () => void; onDiscard: () => void }) {
  const stale = draft.version !== version;
  return (
    <div data-testid="draft-offer" data-stale={stale || undefined}>
      <Alert tone={stale ? "warning" : "info"} title={`You had unsaved edits from ${formatDateTime(new Date(draft.savedAt))}: restore or discard them.`}>
        <p>
          {stale
            ? `They were typed on version ${draft.version}, and the sample has changed since: it is now version ${version}. Restored, they open against version ${draft.version}: saving first shows you what changed and overwrites nothing.`
            : `They were never saved: the sample is as you left it (version ${version}).`}
        </p>
        <div className="mt-2 flex gap-2">
          <Button size="sm" variant="secondary" onClick={onRestore}>
            Restore my edits
          </Button>
          <Button size="sm" variant="ghost" onClick={onDiscard}>
            Discard them
          </Button>
        </div>
      </Alert>
    </div>
  );
}

/** "Approved sample #123 — Undo (u)", at the bottom of the screen for UNDO_MS after a decision. */
function UndoToast({ undoable, onUndo, onDismiss }: { undoable: Undoable; onUndo: () => void; onDismiss: () => void }) {
  return (
    <div
      role="status"
      data-testid="undo-toast"
      className="fixed bottom-5 left-1/2 z-40 flex -translate-x-1/2 items-center gap-3 rounded-xl bg-stone-900 px-4 py-2.5 text-sm text-white shadow-lg"
    >
      <span>{undoable.title}</span>
      <button type="button" onClick={onUndo} aria-keyshortcuts="u" className="rounded-md px-2 py-1 font-medium text-teal-300 hover:bg-white/10">
        Undo <kbd className="ml-1 rounded border border-white/25 px-1 font-mono text-xs">u</kbd>
      </button>
      <button type="button" onClick={onDismiss} aria-label="Dismiss" className="rounded px-1.5 text-stone-400 hover:text-white">
        ×
      </button>
    </div>
  );
}
