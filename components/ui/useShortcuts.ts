"use client";

// THE page key handler: every page's shortcuts come through here, from the one table (lib/keyboard/shortcuts.ts),
// behind one guard.
import { useEffect, useRef } from "react";
import { shortcutFor, type ActionIn, type ShortcutScope } from "@/lib/keyboard/shortcuts";

// Enter on these already means something (follow the link, press the button): the page's Enter leaves it to them.
const ACTIVATES_ON_ENTER = "a[href], button, summary, [role='button'], [role='link'], [role='menuitem'], [role='option']";

/** Whether a modal dialog is open: the page's shortcuts wait until it closes (its keys are its own). */
export function modalOpen(): boolean {
  return document.querySelector("dialog[open]") !== null;
}

/**
 * Calls `onAction` for the keys of `scope` while `enabled`. Never while the person types (a field, a select,
 * contenteditable: checked by the table), with a modifier (the browser's), while a dialog is open, or for Enter on
 * something Enter already activates. `onAction` returns false when the key meant nothing just now (e.g. Escape with
 * nothing selected): the key is then left to the browser.
 */
export function useShortcuts<S extends ShortcutScope>(scope: S, onAction: (action: ActionIn<S>) => boolean | void, enabled = true) {
  const latest = useRef(onAction);
  useEffect(() => {
    latest.current = onAction;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || modalOpen()) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      const action = shortcutFor({ key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, shiftKey: event.shiftKey, target }, scope);
      if (!action || (event.key === "Enter" && target?.closest(ACTIVATES_ON_ENTER))) return;
      if (latest.current(action) !== false) event.preventDefault();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [scope, enabled]);
}
