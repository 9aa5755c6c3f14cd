import { describe, expect, it } from "vitest";
import { SHORTCUTS, isTypingTarget, keyHint, shortcutFor, type KeyLike } from "./shortcuts";

const key = (k: string, mods: Partial<KeyLike> & { target?: object | null } = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe("the studio's shortcuts", () => {
  it("map each documented page key to its action", () => {
    const pressed = ["a", "d", "u", "r", "e", "c", "j", "ArrowRight", "k", "ArrowLeft", "g"].map((k) => shortcutFor(key(k), "review"));
    expect(pressed).toEqual(["approve", "discard", "undo", "regenerate", "edit", "recheck", "next", "next", "previous", "previous", "guidelines"]);
    expect(shortcutFor(key("?", { shiftKey: true }), "review")).toBe("help");
    expect(shortcutFor(key("A"), "review")).toBe("approve"); // caps lock
  });

  it("cover every action the brief names, once each, and no key is claimed twice in a scope", () => {
    const review = SHORTCUTS.filter((s) => s.scope === "review" || s.scope === "editor" || s.scope === "dialog");
    expect(review.map((s) => s.action).sort()).toEqual(["approve", "close", "discard", "edit", "guidelines", "help", "next", "nextTurn", "previous", "previousTurn", "recheck", "regenerate", "save", "undo"]);
    const seen = new Set<string>();
    for (const s of SHORTCUTS) {
      for (const combo of s.keys) {
        const id = `${s.scope}:${combo.join("+")}`;
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
  });

  it("ignore keys with Ctrl, Alt or Meta (the browser's own shortcuts) and Shift+letter", () => {
    for (const mods of [{ ctrlKey: true }, { metaKey: true }, { altKey: true }, { shiftKey: true }]) {
      expect(shortcutFor(key("a", mods), "review")).toBeNull();
    }
    expect(shortcutFor(key("x"), "review")).toBeNull();
  });

  it("never fire while typing in a field, but a focused button or checkbox does not count as typing", () => {
    for (const target of [{ tagName: "INPUT" }, { tagName: "input", type: "search" }, { tagName: "TEXTAREA" }, { tagName: "SELECT" }, { tagName: "DIV", isContentEditable: true }]) {
      expect(isTypingTarget(target)).toBe(true);
      expect(shortcutFor(key("a", { target }), "review")).toBeNull();
    }
    for (const target of [{ tagName: "BUTTON" }, { tagName: "INPUT", type: "checkbox" }, { tagName: "BODY" }, null]) {
      expect(isTypingTarget(target)).toBe(false);
      expect(shortcutFor(key("a", { target }), "review")).toBe("approve");
    }
  });

  it("save with Ctrl+Enter or ⌘+Enter in the editor, also from its text fields; not on the page", () => {
    const textarea = { tagName: "TEXTAREA" };
    expect(shortcutFor(key("Enter", { ctrlKey: true, target: textarea }), "editor")).toBe("save");
    expect(shortcutFor(key("Enter", { metaKey: true, target: textarea }), "editor")).toBe("save");
    expect(shortcutFor(key("Enter", { target: textarea }), "editor")).toBeNull();
    expect(shortcutFor(key("Enter", { ctrlKey: true }), "review")).toBeNull();
    expect(shortcutFor(key("a"), "editor")).toBeNull();
  });

  it("give the queue page and the samples table their keys from the same table, with the same typing guard", () => {
    expect(["n", "Enter"].map((k) => shortcutFor(key(k), "queue"))).toEqual(["reviewNext", "reviewNext"]);
    expect(["j", "k", "x", "Enter", "/", "Escape"].map((k) => shortcutFor(key(k), "table"))).toEqual(["cursorDown", "cursorUp", "select", "open", "search", "clearSelection"]);
    expect(shortcutFor(key("n", { target: { tagName: "INPUT" } }), "queue")).toBeNull();
    expect(shortcutFor(key("/", { target: { tagName: "INPUT", type: "search" } }), "table")).toBeNull();
    expect(shortcutFor(key("j", { ctrlKey: true }), "table")).toBeNull();
    expect(shortcutFor(key("a"), "table")).toBeNull();
  });

  it("give button hints from the same table", () => {
    expect(keyHint("approve")).toBe("A");
    expect(keyHint("next")).toBe("J");
    expect(keyHint("save")).toBe("Ctrl+Enter");
  });
});
