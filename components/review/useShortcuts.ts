"use client";

import { useEffect, useRef } from "react";
import { modalOpen } from "@/components/queue/keyboard";
import { shortcutFor, type ShortcutAction } from "@/lib/review/shortcuts";

/**
 * Calls `onAction` for the page's shortcut keys (lib/review/shortcuts.ts) while `enabled` (no dialog or editor
 * open). Keys typed into a field never trigger anything.
 */
export function useShortcuts(onAction: (action: ShortcutAction) => void, enabled: boolean) {
  const latest = useRef(onAction);
  useEffect(() => {
    latest.current = onAction;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || modalOpen()) return;
      const action = shortcutFor({ ...pick(event), target: event.target instanceof HTMLElement ? event.target : null }, "page");
      if (!action) return;
      event.preventDefault();
      latest.current(action);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [enabled]);
}

function pick(event: KeyboardEvent) {
  return { key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, shiftKey: event.shiftKey };
}
