// The studio's keyboard: ONE table of every page key, read by the one key handler (components/ui/useShortcuts.ts),
// by the review page's `?` overlay and by the buttons' hints, so none of them can disagree with what the keys do.
//
// Page keys are single letters, arrows, Enter, "/" or Escape without Ctrl/Alt/Meta, and never fire while the focus
// is in a field (input, textarea, select, contenteditable): typing "a" in a reason box must not approve the sample.
// The editor's save (Ctrl/⌘+Enter) is meant to fire from inside its text fields; Esc is the dialogs' own (a native
// <dialog> closes on it), listed here so the overlay shows it.

/**
 * Where a key works: the review page (no dialog open, not typing), the review queue's start page, the samples table,
 * the review page's editor, or any dialog.
 */
export type ShortcutScope = "review" | "queue" | "table" | "editor" | "dialog";

export interface Shortcut {
  action: string;
  scope: ShortcutScope;
  /** Alternatives, each a key combination as shown: [["J"], ["→"]]. */
  keys: string[][];
  description: string;
  group: "Decide" | "Change" | "Move" | "Select" | "Help";
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

export const SHORTCUTS = [
  { action: "approve", scope: "review", keys: [["A"]], description: "Approve the sample", group: "Decide", matches: letter("a") },
  { action: "discard", scope: "review", keys: [["D"]], description: "Discard, with a reason", group: "Decide", matches: letter("d") },
  { action: "undo", scope: "review", keys: [["U"]], description: "Undo the last decision (for 10 s after it)", group: "Decide", matches: letter("u") },
  { action: "regenerate", scope: "review", keys: [["R"]], description: "Regenerate the answer (or CoT and answer) of the focused turn", group: "Change", matches: letter("r") },
  { action: "edit", scope: "review", keys: [["E"]], description: "Edit the calls and the CoT of the focused turn", group: "Change", matches: letter("e") },
  { action: "recheck", scope: "review", keys: [["C"]], description: "Re-check with the stages", group: "Change", matches: letter("c") },
  {
    action: "next",
    scope: "review",
    keys: [["J"], ["→"]],
    description: "Next sample",
    group: "Move",
    matches: (e) => letter("j")(e) || (plain(e) && e.key === "ArrowRight"),
  },
  {
    action: "previous",
    scope: "review",
    keys: [["K"], ["←"]],
    description: "Previous sample",
    group: "Move",
    matches: (e) => letter("k")(e) || (plain(e) && e.key === "ArrowLeft"),
  },
  { action: "nextTurn", scope: "review", keys: [["]"]], description: "Next turn of a conversation", group: "Move", matches: (e) => plain(e) && e.key === "]" },
  { action: "previousTurn", scope: "review", keys: [["["]], description: "Previous turn of a conversation", group: "Move", matches: (e) => plain(e) && e.key === "[" },
  { action: "guidelines", scope: "review", keys: [["G"]], description: "Show or hide the dataset's guidelines", group: "Help", matches: letter("g") },
  // "?" is Shift+/ on most layouts: Shift is allowed here.
  { action: "help", scope: "review", keys: [["?"]], description: "Show these keys", group: "Help", matches: (e) => plain(e) && e.key === "?" },
  { action: "save", scope: "editor", keys: [["Ctrl", "Enter"], ["⌘", "Enter"]], description: "Save the edit", group: "Change", matches: (e) => (e.ctrlKey || e.metaKey) && !e.altKey && e.key === "Enter" },
  { action: "close", scope: "dialog", keys: [["Esc"]], description: "Close the dialog or the editor", group: "Help", matches: (e) => e.key === "Escape" },
  // The review queue's start page: claim the next sample.
  { action: "reviewNext", scope: "queue", keys: [["N"], ["Enter"]], description: "Claim and open the next sample", group: "Move", matches: (e) => letter("n")(e) || (plain(e) && e.key === "Enter") },
  // The samples table.
  { action: "cursorDown", scope: "table", keys: [["J"]], description: "Next row", group: "Move", matches: letter("j") },
  { action: "cursorUp", scope: "table", keys: [["K"]], description: "Previous row", group: "Move", matches: letter("k") },
  { action: "open", scope: "table", keys: [["Enter"]], description: "Open the row's sample", group: "Move", matches: (e) => plain(e) && e.key === "Enter" },
  { action: "select", scope: "table", keys: [["X"]], description: "Select the row", group: "Select", matches: letter("x") },
  { action: "clearSelection", scope: "table", keys: [["Esc"]], description: "Clear the selection", group: "Select", matches: (e) => plain(e) && e.key === "Escape" },
  { action: "search", scope: "table", keys: [["/"]], description: "Search", group: "Move", matches: (e) => plain(e) && e.key === "/" },
] as const satisfies readonly Shortcut[];

export type ShortcutAction = (typeof SHORTCUTS)[number]["action"];
/** The actions of one scope: what a page's handler switches on. */
export type ActionIn<S extends ShortcutScope> = Extract<(typeof SHORTCUTS)[number], { scope: S }>["action"];

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
 * The action a keydown triggers in `scope`, or null. Page keys never fire while typing; the editor's save and the
 * dialogs' keys do (that is where they are pressed).
 */
export function shortcutFor<S extends ShortcutScope>(event: KeyLike & { target?: TargetLike | null }, scope: S): ActionIn<S> | null {
  if (scope !== "editor" && scope !== "dialog" && isTypingTarget(event.target)) return null;
  const found = (SHORTCUTS as readonly Shortcut[]).find((s) => s.scope === scope && s.matches(event));
  return (found?.action as ActionIn<S> | undefined) ?? null;
}

/** The shortcut's first key combination as text, for button hints ("A", "Ctrl+Enter"). */
export function keyHint(action: ShortcutAction): string {
  const shortcut = (SHORTCUTS as readonly Shortcut[]).find((s) => s.action === action);
  return shortcut ? shortcut.keys[0].join("+") : "";
}
