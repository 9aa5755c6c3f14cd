import { describe, expect, it } from "vitest";
import { cohensKappa, fleissKappa, interAnnotatorAgreement, percentAgreement, type RatedItem } from "./inter-annotator";

/** An item rated by raters r0, r1, … with these categories. */
const item = (...categories: string[]): RatedItem => ({ ratings: categories.map((category, i) => ({ rater: `r${i}`, category })) });

describe("Cohen's kappa", () => {
  it("matches the textbook example (50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → 0.4)", () => {
    const pairs: [string, string][] = [
      ...Array.from({ length: 20 }, () => ["yes", "yes"] as [string, string]),
      ...Array.from({ length: 5 }, () => ["yes", "no"] as [string, string]),
      ...Array.from({ length: 10 }, () => ["no", "yes"] as [string, string]),
      ...Array.from({ length: 15 }, () => ["no", "no"] as [string, string]),
    ];
    expect(cohensKappa(pairs)).toBeCloseTo(0.4, 10);
  });

  it("is null when chance explains everything (both always approve), not a perfect 1", () => {
    expect(cohensKappa([["approve", "approve"], ["approve", "approve"]])).toBeNull();
    expect(cohensKappa([])).toBeNull();
  });
});

describe("Fleiss' kappa", () => {
  it("matches Fleiss' worked example (10 subjects, 14 raters, 5 categories → 0.210)", () => {
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const items = table.map((row) => item(...row.flatMap((count, category) => Array.from({ length: count }, () => `c${category}`))));
    expect(fleissKappa(items)).toBeCloseTo(0.21, 3);
  });

  it("reduces to 1 for perfect agreement on mixed categories and goes negative for systematic disagreement", () => {
    expect(fleissKappa([item("approve", "approve"), item("discard", "discard")])).toBeCloseTo(1, 10);
    expect(fleissKappa([item("approve", "discard"), item("discard", "approve")])).toBeLessThan(0);
  });
});

describe("the dashboard's figures", () => {
  it("counts only samples with two votes or more, and pairs reviewers by name", () => {
    const items: RatedItem[] = [
      { ratings: [{ rater: "ben", category: "approve" }, { rater: "ana", category: "approve" }] },
      { ratings: [{ rater: "ana", category: "approve" }, { rater: "ben", category: "discard" }] },
      { ratings: [{ rater: "ana", category: "discard" }, { rater: "cleo", category: "discard" }] },
      { ratings: [{ rater: "ana", category: "approve" }] },
    ];
    const result = interAnnotatorAgreement(items);
    expect(result.items).toBe(3);
    expect(result.agreement).toBeCloseTo(2 / 3, 10);
    expect(percentAgreement(items)).toBeCloseTo(2 / 3, 10);
    expect(result.pairs.map((p) => [p.a, p.b, p.items, p.agreement])).toEqual([
      ["ana", "ben", 2, 0.5],
      ["ana", "cleo", 1, 1],
    ]);
  });
});
