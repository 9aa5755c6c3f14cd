// The dashboard's arithmetic on hand-made groups: the funnel, the failure groups, judge–human agreement, and the
// decisions timeline.
import { describe, expect, it } from "vitest";
import { judgeAgreement } from "./agreement";
import { buildFunnel, failureGroups, percent, type SampleGroup } from "./funnel";
import { decisionDays } from "./timeline";

const groups: SampleGroup[] = [
  { status: "passed", stage: null, code: null, stageOutcomes: ["1:pass", "2:pass", "3:pass", "4:pass", "5:pass"], count: 50 },
  { status: "approved", stage: null, code: "human", stageOutcomes: ["1:pass", "2:pass", "3:pass", "4:fail"], count: 5 },
  { status: "text", stage: null, code: null, stageOutcomes: ["1:pass"], count: 10 },
  { status: "discarded", stage: 2, code: "llm", stageOutcomes: ["1:pass", "2:fail"], count: 12 },
  { status: "discarded", stage: 4, code: "rule:unknown-argument", stageOutcomes: ["1:pass", "2:pass", "4:fail"], count: 8 },
  { status: "discarded", stage: 4, code: "regeneration-exhausted", stageOutcomes: ["1:pass", "2:pass", "3:pass", "4:fail"], count: 3 },
  { status: "flagged", stage: 3, code: "llm", stageOutcomes: ["1:pass", "2:pass", "3:error"], count: 4 },
  { status: "flagged", stage: null, code: "generation-failed", stageOutcomes: [], count: 2 },
  { status: "pending", stage: null, code: null, stageOutcomes: [], count: 6 },
];

// A v3 run: stage 4 failed the sample as it came, the hard-data pool rescued, dropped or flagged it.
const pooled: SampleGroup[] = [
  { status: "passed", stage: null, code: null, stageOutcomes: ["3:pass", "4:pass", "5:pass", "pool:rescued"], count: 7 },
  { status: "discarded", stage: 4, code: "hard-no-candidate", stageOutcomes: ["3:pass", "4:fail", "pool:dropped"], count: 2 },
  { status: "flagged", stage: 4, code: "hard-no-candidate", stageOutcomes: ["3:pass", "4:error", "pool:flagged"], count: 1 },
];

describe("buildFunnel", () => {
  it("counts every sample once as imported, and each stage by the outcomes that reached it", () => {
    const funnel = buildFunnel(groups);
    expect(funnel.imported).toBe(100);
    expect(funnel.stages.map((s) => [s.stage, s.reached, s.pass, s.fail, s.error, s.skip])).toEqual([
      // No run here had stage 0 (duplicates & contamination, optional).
      [0, 0, 0, 0, 0, 0],
      [1, 92, 92, 0, 0, 0],
      [2, 82, 70, 12, 0, 0],
      // Stage 3 only looks at samples with a CoT: the 8 rule-discarded ones above never had one.
      [3, 62, 58, 0, 4, 0],
      [4, 66, 50, 16, 0, 0],
      [5, 50, 50, 0, 0, 0],
    ]);
    expect(funnel.end).toEqual({ saved: 55, text: 10, flagged: 6, discarded: 23, pending: 6 });
    // The refined set as everywhere else in the studio (REFINED_STATUSES): passed, approved and text.
    expect(funnel.refined).toBe(65);
  });

  it("counts the hard-data pool: entered, rescued, dropped, flagged", () => {
    expect(buildFunnel(groups).pool).toEqual({ entered: 0, rescued: 0, dropped: 0, flagged: 0 });
    expect(buildFunnel([...groups, ...pooled]).pool).toEqual({ entered: 10, rescued: 7, dropped: 2, flagged: 1 });
  });

  it("is all zeros for a fresh studio", () => {
    const funnel = buildFunnel([]);
    expect(funnel.imported).toBe(0);
    expect(funnel.stages.every((s) => s.reached === 0)).toBe(true);
  });
});

describe("failureGroups", () => {
  it("lists discarded and flagged groups per stage, largest first, the stageless ones last", () => {
    expect(failureGroups(groups, 5)).toEqual([
      { stage: 2, code: "llm", status: "discarded", count: 12 },
      { stage: 3, code: "llm", status: "flagged", count: 4 },
      { stage: 4, code: "rule:unknown-argument", status: "discarded", count: 8 },
      { stage: 4, code: "regeneration-exhausted", status: "discarded", count: 3 },
      { stage: null, code: "generation-failed", status: "flagged", count: 2 },
    ]);
  });

  it("merges groups that differ only in their stage outcomes, and keeps the top N of each stage", () => {
    const split: SampleGroup[] = [
      { status: "discarded", stage: 4, code: "rule:x", stageOutcomes: ["4:fail"], count: 2 },
      { status: "discarded", stage: 4, code: "rule:x", stageOutcomes: ["3:pass", "4:fail"], count: 3 },
      { status: "discarded", stage: 4, code: "rule:y", stageOutcomes: ["4:fail"], count: 4 },
    ];
    expect(failureGroups(split, 1)).toEqual([{ stage: 4, code: "rule:x", status: "discarded", count: 5 }]);
  });
});

describe("judgeAgreement", () => {
  it("counts approvals against every judged stage and discards against the stage they name", () => {
    const rows = judgeAgreement([
      // 6 approvals the judge fully passed at 2, 3 and 4
      { action: "approve", stage: null, judgeOutcomes: { "2": "pass", "3": "pass", "4": "pass" }, count: 6 },
      // 2 approvals over a stage-4 fail (overrides at 4, agreements at 2)
      { action: "approve", stage: null, judgeOutcomes: { "2": "pass", "4": "fail" }, count: 2 },
      // 3 discards blaming stage 4 where the judge failed it, 1 where it passed it
      { action: "discard", stage: 4, judgeOutcomes: { "2": "pass", "4": "fail" }, count: 3 },
      { action: "discard", stage: 4, judgeOutcomes: { "2": "pass", "4": "pass" }, count: 1 },
      // counted nowhere: a discard naming no stage, a stage the judge errored on, a restore
      { action: "discard", stage: null, judgeOutcomes: { "4": "pass" }, count: 9 },
      { action: "discard", stage: 3, judgeOutcomes: { "3": "error" }, count: 9 },
      { action: "restore", stage: null, judgeOutcomes: { "4": "fail" }, count: 9 },
    ]);
    const byStage = Object.fromEntries(rows.map((r) => [r.stage, r]));
    expect(byStage[2]).toEqual({ stage: 2, decisions: 8, agreements: 8, approvedOverFail: 0, discardedOverPass: 0, rate: 1 });
    expect(byStage[3]).toEqual({ stage: 3, decisions: 6, agreements: 6, approvedOverFail: 0, discardedOverPass: 0, rate: 1 });
    expect(byStage[4]).toEqual({ stage: 4, decisions: 12, agreements: 9, approvedOverFail: 2, discardedOverPass: 1, rate: 0.75 });
    expect(byStage[1]).toMatchObject({ decisions: 0, rate: null });
  });
});

describe("decisionDays", () => {
  it("gives every day of the window, oldest first, with zeros on quiet days", () => {
    const days = decisionDays(
      [
        { day: "2026-11-24", action: "approve", count: 3 },
        { day: "2026-11-24", action: "discard", count: 1 },
        { day: "2026-11-26", action: "approve", count: 2 },
        { day: "2026-11-01", action: "approve", count: 99 },
        { day: "2026-11-26", action: "something-new", count: 5 },
      ],
      3,
      new Date("2026-11-26T23:30:00Z"),
    );
    expect(days.map((d) => [d.day, d.approve, d.discard, d.restore])).toEqual([
      ["2026-11-24", 3, 1, 0],
      ["2026-11-25", 0, 0, 0],
      ["2026-11-26", 2, 0, 0],
    ]);
  });
});

describe("percent", () => {
  it("rounds, shows tiny shares as <1% and has no share of nothing", () => {
    expect(percent(1, 3)).toBe("33%");
    expect(percent(1, 500)).toBe("<1%");
    expect(percent(0, 5)).toBe("0%");
    expect(percent(0, 0)).toBe("—");
    // One failure in a thousand is not 100%, one success in a thousand is not 0%.
    expect(percent(999, 1000)).toBe(">99%");
    expect(percent(1000, 1000)).toBe("100%");
    expect(percent(995, 1000)).toBe(">99%");
    expect(percent(990, 1000)).toBe("99%");
  });
});
