import { describe, expect, it } from "vitest";
import { stageOutcome, type Outcome, type Verdict } from "./types";

const v = (outcome: Outcome): Verdict => ({ stage: 2, outcome, reason: "", evidence: {}, decidedBy: "rule:x" });

describe("stageOutcome", () => {
  it("fails on any fail, else errors on any error, else takes the last verdict", () => {
    expect(stageOutcome([v("pass")])).toBe("pass");
    expect(stageOutcome([v("pass"), v("pass")])).toBe("pass");
    expect(stageOutcome([v("pass"), v("fail")])).toBe("fail");
    expect(stageOutcome([v("fail"), v("error")])).toBe("fail");
    expect(stageOutcome([v("pass"), v("error")])).toBe("error");
    expect(stageOutcome([v("skip")])).toBe("skip");
    expect(stageOutcome([])).toBe("skip");
  });
});

