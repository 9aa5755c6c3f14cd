// Revision history as points a reviewer can compare (the original, then the sample after each revision), and word
// or line diffs between two of them, as spans the page renders (the `diff` package does the diffing).
import { diffJson, diffWordsWithSpace } from "diff";
import { chosenCandidate } from "@/lib/pipeline/hard-pool";
import type { Answer } from "@/lib/samples/types";

export type DiffChange = "same" | "added" | "removed";
export interface DiffPart {
  text: string;
  change: DiffChange;
}

/** The sample's content at one point of its history. */
export interface RevisionPoint {
  /** "original" or the revision's id. */
  key: string;
  /** The version the sample had at this point (1 for the original). */
  version: number;
  label: string;
  /** What made this point: "original", "regenerated" (an LLM), "edited" (a person), "generated" (the first CoT). */
  kind: "original" | "regenerated" | "edited" | "generated";
  author: string | null;
  reason: string | null;
  answer: Answer | null;
  cot: string | null;
}

/** What a revision carries (getSample's revisions). */
export interface RevisionLike {
  id: string;
  version: number;
  reason: string;
  author: string;
  answerBefore: Answer | null;
  answerAfter: Answer | null;
  cotBefore: string | null;
  cotAfter: string | null;
}

/**
 * What the teacher rewrote in the answer the sample carries now, for the page's header: the current answer comes
 * from its nth regeneration (no person edited it since), or is the candidate the hard-data pool chose ("3 of 4").
 * Null when the answer is the source's or a person's.
 */
export function regeneratedAnswer(revisions: readonly RevisionLike[]): { attempt: number; poolCandidate: string | null } | null {
  const last = revisions.at(-1);
  if (!last || revisionKind(last) !== "regenerated") return null;
  let since = revisions.length - 1;
  while (since > 0 && revisionKind(revisions[since - 1]) !== "edited") since--;
  return { attempt: revisions.slice(since).filter((r) => revisionKind(r) === "regenerated").length, poolCandidate: chosenCandidate(last.reason) };
}

function revisionKind(r: RevisionLike): RevisionPoint["kind"] {
  if (r.author.startsWith("human:")) return "edited";
  if (r.cotBefore === null && r.answerBefore !== null && JSON.stringify(r.answerBefore) === JSON.stringify(r.answerAfter)) return "generated";
  return "regenerated";
}

const KIND_LABEL: Record<RevisionPoint["kind"], string> = {
  original: "Original",
  regenerated: "Regenerated",
  edited: "Edited",
  generated: "CoT generated",
};

/**
 * The original (the first revision's "before", or the sample as it is when it never changed) and the sample after
 * each revision, oldest first: the last point is the current content.
 */
export function revisionPoints(current: { answer: Answer | null; cot: string | null }, revisions: readonly RevisionLike[]): RevisionPoint[] {
  const first = revisions[0];
  const original: RevisionPoint = {
    key: "original",
    version: first ? first.version - 1 : 1,
    label: KIND_LABEL.original,
    kind: "original",
    author: null,
    reason: null,
    answer: first ? first.answerBefore : current.answer,
    cot: first ? first.cotBefore : current.cot,
  };
  return [
    original,
    ...revisions.map((r) => {
      const kind = revisionKind(r);
      return {
        key: r.id,
        version: r.version,
        label: `v${r.version} · ${KIND_LABEL[kind]}`,
        kind,
        author: r.author,
        reason: r.reason,
        answer: r.answerAfter,
        cot: r.cotAfter,
      };
    }),
  ];
}

/** Original vs current, or nothing to compare when the sample never changed. */
export function defaultPair(points: readonly RevisionPoint[]): [string, string] | null {
  return points.length > 1 ? [points[0].key, points[points.length - 1].key] : null;
}

function parts(changes: { value: string; added: boolean; removed: boolean }[]): DiffPart[] {
  return changes.map((c) => ({ text: c.value, change: c.added ? "added" : c.removed ? "removed" : "same" }));
}

/** Word diff of two texts (whitespace kept, so the spans rebuild both texts exactly). */
export function diffText(before: string | null, after: string | null): DiffPart[] {
  return parts(diffWordsWithSpace(before ?? "", after ?? ""));
}

/** Calls as JSON lines (a changed argument is one changed line); text answers word by word. */
export function diffAnswers(before: Answer | null, after: Answer | null): DiffPart[] {
  if (before?.kind === "calls" && after?.kind === "calls") return parts(diffJson(before.calls, after.calls));
  return diffText(answerAsText(before), answerAsText(after));
}

function answerAsText(answer: Answer | null): string {
  if (!answer) return "";
  return answer.kind === "calls" ? JSON.stringify(answer.calls, null, 2) : answer.text;
}

/** How much changed: words (or lines) added and removed. */
export function diffStats(diff: readonly DiffPart[]): { added: number; removed: number } {
  const count = (change: DiffChange) =>
    diff.filter((p) => p.change === change).reduce((n, p) => n + (p.text.match(/\S+/g)?.length ?? 0), 0);
  return { added: count("added"), removed: count("removed") };
}
