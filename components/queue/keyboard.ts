// When a single-key shortcut may act: never while the person types (a field, a select, contenteditable), never with
// a modifier (those belong to the browser), never while a dialog is open (its keys are its own), and Enter never on
// something Enter already activates (a link, a button).
import { isTypingTarget } from "@/lib/review/shortcuts";

const ACTIVATES_ON_ENTER = "a[href], button, summary, [role='button'], [role='link'], [role='menuitem'], [role='option']";

export function shortcutAllowed(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey || modalOpen()) return false;
  const target = event.target instanceof Element ? event.target : null;
  if (isTypingTarget(target instanceof HTMLElement ? target : null)) return false;
  if (event.key === "Enter" && target?.closest(ACTIVATES_ON_ENTER)) return false;
  return true;
}

/** Whether a modal dialog is open: the page's shortcuts wait until it closes. */
export function modalOpen(): boolean {
  return document.querySelector("dialog[open]") !== null;
}
