import { describe, expect, it } from "vitest";
import { pickCandidate, type PoolCandidate } from "./hard-pool";

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
    expect(pickCandidate([candidate(0, { rulesPass: false }), candidate(1, { judge: "fail" }), candidate(2, { judge: "error" })])).toEqual({
      rescued: false,
      reason: "hard: no candidate passed (1 failed a rule, 1 failed the judge, 1 got no usable verdict)",
    });
    expect(pickCandidate([])).toEqual({ rescued: false, reason: "hard: no candidate passed (the teacher gave no candidate)" });
  });
});
