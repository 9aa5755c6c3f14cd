import { describe, expect, it } from "vitest";
import type { Answer } from "@/lib/samples/types";
import { candidateRevisionReason } from "@/lib/pipeline/hard-pool";
import { defaultPair, diffAnswers, diffStats, diffText, regeneratedAnswer, revisionPoints, type DiffPart, type RevisionLike } from "./diff";

/** The text on one side of a diff, rebuilt from its spans. */
function sideOf(diff: readonly DiffPart[], side: "before" | "after"): string {
  return diff.filter((p) => p.change !== (side === "before" ? "added" : "removed")).map((p) => p.text).join("");
}

const calls = (city: string, unit?: string): Answer => ({ kind: "calls", calls: [{ name: "get_weather", arguments: unit ? { city, unit } : { city } }] });

const revisions: RevisionLike[] = [
  { id: "11", version: 2, reason: "Generated a chain of thought.", author: "llm:teacher", answerBefore: calls("Lyon"), answerAfter: calls("Lyon"), cotBefore: null, cotAfter: "Lyon weather." },
  { id: "12", version: 3, reason: "Regenerated.", author: "llm:teacher", answerBefore: calls("Lyon"), answerAfter: calls("Lyon", "celsius"), cotBefore: "Lyon weather.", cotAfter: "Lyon weather in celsius." },
  { id: "13", version: 4, reason: "Edited by ann.", author: "human:ann", answerBefore: calls("Lyon", "celsius"), answerAfter: calls("Paris", "celsius"), cotBefore: "Lyon weather in celsius.", cotAfter: "Paris weather in celsius." },
];

describe("revision points", () => {
  it("start from the original and follow each revision, naming what made it", () => {
    const points = revisionPoints({ answer: calls("Paris", "celsius"), cot: "Paris weather in celsius." }, revisions);
    expect(points.map((p) => [p.key, p.version, p.label, p.kind])).toEqual([
      ["original", 1, "Original", "original"],
      ["11", 2, "v2 · CoT generated", "generated"],
      ["12", 3, "v3 · Regenerated", "regenerated"],
      ["13", 4, "v4 · Edited", "edited"],
    ]);
    expect(points[0]).toMatchObject({ answer: calls("Lyon"), cot: null });
    expect(defaultPair(points)).toEqual(["original", "13"]);
  });

  it("have nothing to compare for a sample that never changed", () => {
    const points = revisionPoints({ answer: calls("Lyon"), cot: "x" }, []);
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ key: "original", answer: calls("Lyon"), cot: "x" });
    expect(defaultPair(points)).toBeNull();
  });
});

describe("regeneratedAnswer", () => {
  it("says the current answer is the teacher's nth regeneration, counting since the last person's edit", () => {
    const [generated, regenerated, edited] = revisions;
    const again = { ...regenerated, id: "14", version: 5, author: "llm:teacher" };
    expect(regeneratedAnswer([generated, regenerated])).toEqual({ attempt: 1, poolCandidate: null });
    expect(regeneratedAnswer([generated, regenerated, { ...regenerated, id: "13", version: 4 }])).toEqual({ attempt: 2, poolCandidate: null });
    expect(regeneratedAnswer([generated, regenerated, edited, again])).toEqual({ attempt: 1, poolCandidate: null });
    const chosen = { ...regenerated, id: "14", version: 4, reason: candidateRevisionReason(2, 4, "chosen", "stage 4: colour is not a parameter") };
    const notChosen = { ...chosen, id: "15", version: 5, reason: candidateRevisionReason(3, 4, "passed, not chosen", "stage 4: x") };
    expect(regeneratedAnswer([regenerated, chosen])).toEqual({ attempt: 2, poolCandidate: "3 of 4" });
    expect(regeneratedAnswer([chosen, notChosen])).toEqual({ attempt: 2, poolCandidate: null });
    expect(regeneratedAnswer(revisions)).toBeNull(); // a person's edit is the current answer
    expect(regeneratedAnswer([generated])).toBeNull(); // only a CoT was written: the answer is the source's
    expect(regeneratedAnswer([])).toBeNull();
  });
});

describe("diffs", () => {
  it("word diff keeps whitespace: each side rebuilds exactly", () => {
    const before = "The user wants  Lyon.\nSo I call it.";
    const after = "The user wants Paris.\nSo I call it twice.";
    const diff = diffText(before, after);
    expect(sideOf(diff, "before")).toBe(before);
    expect(sideOf(diff, "after")).toBe(after);
    expect(diff.filter((p) => p.change === "removed").map((p) => p.text.trim())).toContain("Lyon");
    expect(diff.filter((p) => p.change === "added").map((p) => p.text.trim())).toContain("Paris");
    expect(diffText(null, "new")).toEqual([{ text: "new", change: "added" }]);
  });

  it("calls diff line by line as JSON: only the changed argument's line differs", () => {
    const diff = diffAnswers(calls("Lyon", "celsius"), calls("Paris", "celsius"));
    expect(diff.filter((p) => p.change === "removed").map((p) => p.text.trim())).toEqual(['"city": "Lyon",']);
    expect(diff.filter((p) => p.change === "added").map((p) => p.text.trim())).toEqual(['"city": "Paris",']);
    expect(diffStats(diff)).toEqual({ added: 2, removed: 2 });
  });

  it("a text answer against calls diffs as text", () => {
    const diff = diffAnswers({ kind: "text", text: "I cannot." }, calls("Lyon"));
    expect(sideOf(diff, "before")).toBe("I cannot.");
    expect(sideOf(diff, "after")).toContain('"name": "get_weather"');
  });
});
