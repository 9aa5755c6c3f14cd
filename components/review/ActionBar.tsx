"use client";

import type { ReactNode } from "react";
import { Button, type ButtonVariant } from "@/components/ui/Button";
import { keyHint, type ActionIn } from "@/lib/keyboard/shortcuts";

type ReviewAction = ActionIn<"review">;
import type { SampleStatus } from "@/lib/samples/types";

function Hint({ action, tone = "light" }: { action: ReviewAction; tone?: "light" | "dark" }) {
  return (
    <kbd
      aria-hidden
      className={
        tone === "dark"
          ? "ml-0.5 rounded bg-white/20 px-1 font-mono text-[10px] leading-4 font-medium text-white/90"
          : "ml-0.5 rounded border border-stone-200 bg-stone-50 px-1 font-mono text-[10px] leading-4 font-medium text-stone-500"
      }
    >
      {keyHint(action)}
    </kbd>
  );
}

function ActionButton({
  action,
  label,
  variant = "secondary",
  disabled,
  onAction,
  title,
  children,
}: {
  action: ReviewAction;
  label: string;
  variant?: ButtonVariant;
  disabled?: boolean;
  onAction: (action: ReviewAction) => void;
  title?: string;
  children?: ReactNode;
}) {
  return (
    <Button
      variant={variant}
      size="sm"
      disabled={disabled}
      onClick={() => onAction(action)}
      title={title ?? `${label} (${keyHint(action)})`}
      aria-keyshortcuts={keyHint(action)}
    >
      {children}
      {label}
      <Hint action={action} tone={variant === "primary" || variant === "danger" ? "dark" : "light"} />
    </Button>
  );
}

/**
 * The review actions, each with its key. The buttons and the keys go through the same `onAction`, so a click and a
 * key press always do the same thing.
 */
export function ActionBar({
  status,
  approveRefusal,
  busy,
  regenerating,
  rechecking,
  canPrevious,
  canNext,
  queue,
  readOnly,
  onAction,
}: {
  status: SampleStatus;
  /** Why this version cannot be approved (no answer yet, a rule fails it), null when it can; the server refuses it too. */
  approveRefusal: string | null;
  busy: boolean;
  regenerating: boolean;
  rechecking: boolean;
  canPrevious: boolean;
  canNext: boolean;
  queue: boolean;
  /** Viewers: only moving between samples (the server refuses the rest anyway). */
  readOnly: boolean;
  onAction: (action: ReviewAction) => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-1.5" role="toolbar" aria-label="Review actions">
      {readOnly ? null : (
        <>
      <ActionButton
        action="approve"
        label="Approve"
        variant="primary"
        disabled={busy || status === "approved" || approveRefusal !== null}
        onAction={onAction}
        title={approveRefusal ?? undefined}
      />
      {status === "discarded" ? (
        <ActionButton action="discard" label="Restore" disabled={busy} onAction={onAction} title="Restore to review, with a reason (D)" />
      ) : (
        <ActionButton action="discard" label="Discard" disabled={busy} onAction={onAction} />
      )}
      <span aria-hidden className="mx-1 h-5 w-px bg-stone-200" />
      <ActionButton action="edit" label="Edit" disabled={busy} onAction={onAction} />
      <ActionButton action="regenerate" label={regenerating ? "Regenerating…" : "Regenerate"} disabled={busy || regenerating} onAction={onAction} />
      <ActionButton action="recheck" label={rechecking ? "Re-checking…" : "Re-check"} disabled={busy || rechecking} onAction={onAction} />
      <span aria-hidden className="mx-1 h-5 w-px bg-stone-200" />
        </>
      )}
      <ActionButton action="previous" label="Previous" variant="ghost" disabled={!canPrevious} onAction={onAction} />
      <ActionButton action="next" label={queue ? "Skip" : "Next"} variant="ghost" disabled={!canNext} onAction={onAction} title={queue ? "Skip: give the sample back to the queue and take the next (J)" : undefined} />
      <Button variant="ghost" size="sm" onClick={() => onAction("help")} aria-label="Keyboard shortcuts (?)" title="Keyboard shortcuts (?)">
        <kbd className="font-mono text-xs">?</kbd>
      </Button>
    </div>
  );
}
