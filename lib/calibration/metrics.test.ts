import { describe, expect, it } from "vitest";
import { calibrationMetrics, compareConfigurations, emptyConfusion, mcnemarExact, tally } from "./metrics";

describe("a judge against the people", () => {
  it("gives agreement, precision and recall of failing, and Cohen's kappa (textbook counts)", () => {
    // 8 both fail, 4 missed by the judge, 2 false alarms, 6 both pass: po 0.7, pe 0.6·0.5 + 0.4·0.5 = 0.5, κ = 0.4.
    const metrics = calibrationMetrics({ bothFail: 8, humanFailJudgePass: 4, humanPassJudgeFail: 2, bothPass: 6 }, 3, 1);
    expect(metrics.judged).toBe(20);
    expect(metrics.agreement).toBeCloseTo(0.7);
    expect(metrics.precision).toBeCloseTo(0.8);
    expect(metrics.recall).toBeCloseTo(8 / 12);
    expect(metrics.kappa).toBeCloseTo(0.4);
    expect([metrics.errors, metrics.skipped]).toEqual([3, 1]);
  });

  it("counts each pair in its cell, and says what it cannot know", () => {
    const confusion = emptyConfusion();
    tally(confusion, "fail", "fail");
    tally(confusion, "fail", "pass");
    tally(confusion, "pass", "pass");
    expect(confusion).toEqual({ bothFail: 1, humanFailJudgePass: 1, humanPassJudgeFail: 0, bothPass: 1 });
    const metrics = calibrationMetrics(confusion);
    expect(metrics.precision).toBe(1);
    expect(metrics.recall).toBe(0.5);
    // Nothing judged: no figure at all, not 0% or 100%.
    expect(calibrationMetrics(emptyConfusion())).toMatchObject({ judged: 0, agreement: null, precision: null, recall: null, kappa: null });
    // The people approved everything and the judge passed everything: agreement is total, kappa undefined.
    expect(calibrationMetrics({ bothFail: 0, humanFailJudgePass: 0, humanPassJudgeFail: 0, bothPass: 5 })).toMatchObject({ agreement: 1, kappa: null, recall: null });
  });
});

describe("two configurations on the same samples", () => {
  it("McNemar's exact test on the samples where they differ (textbook values)", () => {
    // b = 10, c = 2: 2·(1 + 12 + 66)/4096.
    expect(mcnemarExact(10, 2)).toBeCloseTo((2 * 79) / 4096, 10);
    expect(mcnemarExact(5, 5)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
    // Large counts stay finite (logs), and a lopsided split is far beyond noise.
    expect(mcnemarExact(3000, 2000)).toBeLessThan(1e-10);
    expect(mcnemarExact(1010, 990)).toBeGreaterThan(0.6);
  });

  it("pairs samples by id, leaves out what either did not judge, and says whether the difference is beyond noise", () => {
    const a = new Map<number, boolean>();
    const b = new Map<number, boolean>();
    for (let id = 1; id <= 40; id++) {
      a.set(id, id <= 30); // A right on 1–30
      if (id !== 40) b.set(id, id <= 18); // B right on 1–18, no verdict on 40
    }
    const compared = compareConfigurations(a, b);
    expect(compared).toMatchObject({ pairs: 39, onlyA: 12, onlyB: 0, beyondNoise: true });
    expect(compared.agreementA).toBeCloseTo(30 / 39);
    expect(compared.agreementB).toBeCloseTo(18 / 39);
    expect(compareConfigurations(a, a)).toMatchObject({ onlyA: 0, onlyB: 0, pValue: 1, beyondNoise: false });
  });
});
