// The review page's keyboard: ONE table, read by the key handler (components/review/useShortcuts.ts) and by the `?`
// overlay that lists the keys, so the overlay can never disagree with what the keys do.
//
// Page keys are single letters or arrows without Ctrl/Alt/Meta, and never fire while the focus is in a field
// (input, textarea, select, contenteditable): typing "a" in a reason box must not approve the sample. The editor's
// save (Ctrl/⌘+Enter) is meant to fire from inside its text fields; Esc is the dialogs' own (a native <dialog>
// closes on it), listed here so the overlay shows it.

export type ShortcutAction =
  | "approve"
  | "discard"
  | "undo"
  | "regenerate"
  | "edit"
  | "recheck"
  | "next"
  | "previous"
  | "nextTurn"
  | "previousTurn"
  | "guidelines"
  | "help"
  | "close"
  | "save";

/** Where a key works: on the page (no dialog open, not typing), in the editor, or in any dialog. */
export type ShortcutScope = "page" | "editor" | "dialog";

export interface Shortcut {
  action: ShortcutAction;
  scope: ShortcutScope;
  /** Alternatives, each a key combination as shown: [["J"], ["→"]]. */
  keys: string[][];
  description: string;
  group: "Decide" | "Change" | "Move" | "Help";
  /** Whether a keydown is this shortcut (the typing guard is applied separately). */
  matches(event: KeyLike): boolean;
}

/** The parts of a KeyboardEvent the table reads (a plain object in tests). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
}

const plain = (e: KeyLike) => !e.ctrlKey && !e.metaKey && !e.altKey;
const letter = (k: string) => (e: KeyLike) => plain(e) && e.key.toLowerCase() === k && !e.shiftKey;

export const SHORTCUTS: readonly Shortcut[] = [
  { action: "approve", scope: "page", keys: [["A"]], description: "Approve the sample", group: "Decide", matches: letter("a") },
  { action: "discard", scope: "page", keys: [["D"]], description: "Discard, with a reason", group: "Decide", matches: letter("d") },
  { action: "undo", scope: "page", keys: [["U"]], description: "Undo the last decision (for 10 s after it)", group: "Decide", matches: letter("u") },
  { action: "regenerate", scope: "page", keys: [["R"]], description: "Regenerate the answer (or CoT and answer) of the focused turn", group: "Change", matches: letter("r") },
  { action: "edit", scope: "page", keys: [["E"]], description: "Edit the calls and the CoT of the focused turn", group: "Change", matches: letter("e") },
  { action: "recheck", scope: "page", keys: [["C"]], description: "Re-check with the stages", group: "Change", matches: letter("c") },
  {
    action: "next",
    scope: "page",
    keys: [["J"], ["→"]],
    description: "Next sample",
    group: "Move",
    matches: (e) => letter("j")(e) || (plain(e) && e.key === "ArrowRight"),
  },
  {
    action: "previous",
    scope: "page",
    keys: [["K"], ["←"]],
    description: "Previous sample",
    group: "Move",
    matches: (e) => letter("k")(e) || (plain(e) && e.key === "ArrowLeft"),
  },
  { action: "nextTurn", scope: "page", keys: [["]"]], description: "Next turn of a conversation", group: "Move", matches: (e) => plain(e) && e.key === "]" },
  { action: "previousTurn", scope: "page", keys: [["["]], description: "Previous turn of a conversation", group: "Move", matches: (e) => plain(e) && e.key === "[" },
  { action: "guidelines", scope: "page", keys: [["G"]], description: "Show or hide the dataset's guidelines", group: "Help", matches: letter("g") },
  // "?" is Shift+/ on most layouts: Shift is allowed here.
  { action: "help", scope: "page", keys: [["?"]], description: "Show these keys", group: "Help", matches: (e) => plain(e) && e.key === "?" },
  { action: "save", scope: "editor", keys: [["Ctrl", "Enter"], ["⌘", "Enter"]], description: "Save the edit", group: "Change", matches: (e) => (e.ctrlKey || e.metaKey) && !e.altKey && e.key === "Enter" },
  { action: "close", scope: "dialog", keys: [["Esc"]], description: "Close the dialog or the editor", group: "Help", matches: (e) => e.key === "Escape" },
];

/** What the target of a key event is, as far as the typing guard cares (an Element in the browser). */
export interface TargetLike {
  tagName?: string;
  isContentEditable?: boolean;
  type?: string;
}

// Inputs that take no typing: a key pressed on a focused checkbox or button is a shortcut.
const NON_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"]);

/** True when the focus is somewhere the reviewer types: page shortcuts stay quiet there. */
export function isTypingTarget(target: TargetLike | null | undefined): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName?.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && !NON_TEXT_INPUTS.has((target.type ?? "text").toLowerCase());
}

/**
 * The action a keydown triggers in `scope`, or null. Page keys never fire while typing; the editor's save does
 * (that is where it is pressed).
 */
export function shortcutFor(event: KeyLike & { target?: TargetLike | null }, scope: ShortcutScope): ShortcutAction | null {
  if (scope === "page" && isTypingTarget(event.target)) return null;
  return SHORTCUTS.find((s) => s.scope === scope && s.matches(event))?.action ?? null;
}

/** The shortcut's first key combination as text, for button hints ("A", "Ctrl+Enter"). */
export function keyHint(action: ShortcutAction): string {
  const shortcut = SHORTCUTS.find((s) => s.action === action);
  return shortcut ? shortcut.keys[0].join("+") : "";
}
