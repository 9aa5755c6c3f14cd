"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { focusFirstField } from "@/components/ui/Dialog";

/**
 * A modal dialog (the native <dialog>: focus is trapped, Escape closes it, the page behind is inert). Rendered only
 * while open; `onClose` runs however it closes. It opens with focus in its first field (or on what is marked
 * data-autofocus: a confirmation's button).
 */
export function ActionDialog({ title, description, children, onClose }: { title: string; description?: ReactNode; children: ReactNode; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  // No close() on cleanup: unmounting removes the dialog, and a close() would fire "close" (→ onClose) late, even
  // after React's development double-mount has opened it again.
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      focusFirstField(dialog);
    }
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby="action-dialog-title"
      onClose={onClose}
      className="m-auto w-full max-w-lg rounded-xl border border-stone-200 bg-white p-0 text-stone-800 shadow-xl backdrop:bg-stone-900/30 dark:backdrop:bg-black/60"
    >
      <div className="border-b border-stone-200 px-5 py-4">
        <h2 id="action-dialog-title" className="text-base font-semibold text-stone-900">
          {title}
        </h2>
        {description ? <p className="mt-1 text-sm text-stone-500">{description}</p> : null}
      </div>
      {children}
    </dialog>
  );
}

/** The dialog's button row. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="flex justify-end gap-2 border-t border-stone-200 bg-stone-50/70 px-5 py-3">{children}</div>;
}
