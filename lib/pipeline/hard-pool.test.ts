import { describe, expect, it } from "vitest";
import { pickCandidate, poolCandidate, type PoolCandidate } from "./hard-pool";
import type { Verdict } from "./types";

const candidate = (index: number, over: Partial<PoolCandidate> = {}): PoolCandidate => ({ index, rulesPass: true, judge: "pass", passes: 3, warnings: 0, ...over });

describe("the hard-data pool's choice", () => {
  it("takes the candidate most judges passed, then the fewest warnings, then the teacher's order", () => {
    expect(pickCandidate([candidate(0, { passes: 2 }), candidate(1, { passes: 3 }), candidate(2, { passes: 3 })])).toMatchObject({ rescued: true, winner: { index: 1 } });
    expect(pickCandidate([candidate(0, { warnings: 2 }), candidate(1, { warnings: 1 }), candidate(2, { warnings: 1 })])).toMatchObject({ winner: { index: 1 } });
    expect(pickCandidate([candidate(0), candidate(1)])).toMatchObject({ winner: { index: 0 }, reason: "hard: candidate 1 of 2 chosen (2 passed)" });
  });

  it("never takes a candidate a rule or the judge failed, or one without a verdict", () => {
    const choice = pickCandidate([candidate(0, { rulesPass: false, passes: 3 }), candidate(1, { judge: "error", passes: 3 }), candidate(2, { passes: 1 })]);
    expect(choice).toMatchObject({ rescued: true, winner: { index: 2 } });
  });

  it("drops the sample when no candidate passed, saying why", () => {
    expect(pickCandidate([candidate(0, { rulesPass: false }), candidate(1, { judge: "fail" })])).toEqual({
      rescued: false,
      undecided: false,
      reason: "hard: no candidate passed (1 failed a rule, 1 failed the judge)",
    });
    expect(pickCandidate([])).toEqual({ rescued: false, undecided: false, reason: "hard: no candidate passed (the teacher gave no candidate)" });
  });

  it("is undecided (flag, never discard) when a candidate the rules passed got no usable verdict", () => {
    expect(pickCandidate([candidate(0, { judge: "fail" }), candidate(1, { judge: "error" })])).toEqual({
      rescued: false,
      undecided: true,
      reason: "hard: no candidate passed (1 failed the judge, 1 got no usable verdict)",
    });
  });
});

describe("a candidate read from its verdicts", () => {
  const verdict = (stage: 3 | 4 | 5, outcome: Verdict["outcome"], decidedBy: string, extra: Partial<Verdict> = {}): Verdict => ({
    stage,
    outcome,
    reason: "",
    evidence: {},
    decidedBy,
    ...extra,
  });

  it("counts each panel member's pass, not the panel's own verdict, and the rules' warnings", () => {
    const read = poolCandidate(2, [
      verdict(3, "pass", "llm:judge"),
      verdict(4, "pass", "rule:function-params", { evidence: { problems: [], warnings: ["a(x=…) restates its default 1", "b(y=…) restates its default 2"] } }),
      verdict(4, "pass", "llm:a", { memberOf: "trio" }),
      verdict(4, "fail", "llm:b", { memberOf: "trio" }),
      verdict(4, "pass", "llm:c", { memberOf: "trio" }),
      verdict(4, "pass", "panel:trio"),
      verdict(5, "pass", "rule:format"),
    ]);
    expect(read).toEqual({ index: 2, rulesPass: true, judge: "pass", passes: 3, warnings: 2 });
  });

  it("a rule's fail fails it; a judge's fail outranks another's error", () => {
    expect(poolCandidate(0, [verdict(4, "fail", "rule:function-params")])).toMatchObject({ rulesPass: false, judge: "pass" });
    expect(poolCandidate(0, [verdict(3, "error", "llm:judge"), verdict(4, "fail", "llm:judge")])).toMatchObject({ rulesPass: true, judge: "fail" });
    expect(poolCandidate(0, [verdict(3, "pass", "llm:judge"), verdict(4, "error", "panel:trio")])).toMatchObject({ judge: "error", passes: 1 });
  });
});
