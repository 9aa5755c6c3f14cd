"use client";

import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import { cx } from "./cx";

/** What gets focus when a dialog opens: the element marked for it, else the first field. */
const FOCUS_FIRST = ["[data-autofocus]", "input:not([type=hidden]):not([disabled]), textarea:not([disabled]), select:not([disabled])"];

/**
 * Puts focus where a person starts typing, once a dialog is shown. showModal() itself focuses the first focusable
 * element (often Close or Cancel), and React's autoFocus ran before it, so it is done here.
 */
export function focusFirstField(dialog: HTMLDialogElement) {
  FOCUS_FIRST.map((selector) => dialog.querySelector<HTMLElement>(selector)).find(Boolean)?.focus();
}

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, closes it on Esc and restores focus
 * afterwards. `open` drives it; `onClose` is called however it closes (Esc, the close button, a click outside).
 * It opens with focus in its first field (the browser alone would put it on the Close button, and what a person
 * starts typing would go nowhere); `onKeyDown` sees every key pressed inside it.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  className,
  onKeyDown,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  className?: string;
  onKeyDown?: (event: KeyboardEvent<HTMLDialogElement>) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      focusFirstField(dialog);
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onKeyDown={onKeyDown}
      // A click on the backdrop lands on the <dialog> itself (its content fills the box).
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      aria-labelledby="dialog-title"
      className={cx(
        "m-auto w-[min(34rem,calc(100vw-2rem))] rounded-xl border border-stone-200 bg-white p-0 text-stone-800 shadow-xl backdrop:bg-stone-900/30 dark:backdrop:bg-black/60",
        className,
      )}
    >
      {open ? (
        <div className="flex max-h-[min(44rem,calc(100dvh-4rem))] flex-col">
          <header className="flex items-start justify-between gap-4 border-b border-stone-200 px-5 py-4">
            <div className="min-w-0">
              <h2 id="dialog-title" className="text-base font-semibold text-stone-900">
                {title}
              </h2>
              {description ? <p className="mt-0.5 text-sm text-stone-500">{description}</p> : null}
            </div>
            <button
              type="button"
              onClick={onClose}
              aria-label="Close"
              className="-mr-1.5 rounded-md p-1.5 text-stone-400 hover:bg-stone-100 hover:text-stone-700"
            >
              <svg viewBox="0 0 24 24" width={18} height={18} fill="none" stroke="currentColor" strokeWidth={1.75} strokeLinecap="round" aria-hidden>
                <path d="M6 6l12 12M18 6 6 18" />
              </svg>
            </button>
          </header>
          <div className="min-h-0 overflow-y-auto px-5 py-4">{children}</div>
          {footer ? <footer className="flex items-center justify-end gap-2 border-t border-stone-200 bg-stone-50/70 px-5 py-3">{footer}</footer> : null}
        </div>
      ) : null}
    </dialog>
  );
}
