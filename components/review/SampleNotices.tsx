// What the review page tells the reviewer above the sample: a conflicting change, a task running, unsaved edits to
// restore, how the last action went; and the undo toast at the bottom of the screen.
import { formatDateTime } from "@/components/datasets/format";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import type { ApiError } from "@/lib/api/client";
import type { Jsonified } from "@/lib/http/json";
import type { SampleChange } from "@/lib/samples/queries";
import type { EditDraft } from "./drafts";
import { who } from "./SampleHeader";
import type { Task } from "./useSampleView";

export interface Notice {
  tone: "success" | "info" | "warning" | "error";
  title: string;
  body?: string;
}

/** The sample as it is now, sent with a 409 refusal: someone changed it since the page loaded it. */
export type Conflict = Jsonified<SampleChange>;

/** The change a 409 refusal carries (its `current`), if the error is one. */
export function conflictOf(error: unknown): Conflict | null {
  const current = (error as Partial<ApiError>)?.status === 409 ? (error as ApiError).body.current : undefined;
  return current && typeof current === "object" ? (current as Conflict) : null;
}

export interface Undoable {
  sampleId: number;
  /** The decision to take back; null for a skip (taking it back claims the sample again). */
  decisionId: string | null;
  /** "Approved sample #123", "Skipped sample #124". */
  title: string;
}

export function taskLabel(task: Task): string {
  if (task.kind === "recheck") return task.options.stages === "rules" ? "Re-checking with the rule stages" : "Re-checking with all stages";
  return task.options.scope === "answer" ? "Regenerating the answer" : "Regenerating the CoT and answer";
}

export function doneLabel(task: Task): string {
  if (task.kind === "recheck") return task.options.stages === "rules" ? "Re-checked with the rule stages" : "Re-checked with all stages";
  return task.options.scope === "answer" ? "Regenerated the answer" : "Regenerated the CoT and answer";
}

export function SampleNotices({
  version,
  conflict,
  activeTask,
  draft,
  notice,
  onReload,
  onRestoreDraft,
  onDiscardDraft,
  onDismiss,
}: {
  version: number;
  conflict: Conflict | null;
  activeTask: Task | null;
  /** Unsaved edits on offer (null: none, or not for this reviewer to restore now). */
  draft: EditDraft | null;
  notice: Notice | null;
  onReload: () => void;
  onRestoreDraft: (draft: EditDraft) => void;
  onDiscardDraft: () => void;
  onDismiss: () => void;
}) {
  return (
    <div className="space-y-4" aria-live="polite">
      {conflict ? (
        <div data-testid="conflict">
          <Alert tone="warning" title={`Changed by ${who(conflict.by)} at ${formatDateTime(new Date(conflict.updatedAt))} since you opened it — reload to see it.`}>
            <p>
              Nothing was overwritten. The sample is now version {conflict.version} ({conflict.status}); you have version {version}.
            </p>
            <Button size="sm" variant="secondary" className="mt-2" onClick={onReload}>
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
      {draft ? <DraftOffer draft={draft} version={version} onRestore={() => onRestoreDraft(draft)} onDiscard={onDiscardDraft} /> : null}
      {notice ? (
        <div data-testid="notice" data-tone={notice.tone} className="relative">
          <Alert tone={notice.tone} title={notice.title}>
            {notice.body}
          </Alert>
          <button type="button" onClick={onDismiss} aria-label="Dismiss" className="absolute top-2.5 right-3 rounded px-1.5 text-stone-400 hover:text-stone-700">
            ×
          </button>
        </div>
      ) : null}
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

/** "Approved sample #123 — Undo (u)", at the bottom of the screen for a few seconds after a decision. */
export function UndoToast({ undoable, onUndo, onDismiss }: { undoable: Undoable; onUndo: () => void; onDismiss: () => void }) {
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
