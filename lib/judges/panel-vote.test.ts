import { describe, expect, it } from "vitest";
import { panelVote } from "./panel-vote";

describe("panelVote", () => {
  it("all: one fail fails; every member must pass", () => {
    expect(panelVote("all", ["pass", "pass", "pass"]).outcome).toBe("pass");
    expect(panelVote("all", ["pass", "fail", "pass"]).outcome).toBe("fail");
  });

  it("majority: 2 of 3 passes, 2 of 4 does not", () => {
    expect(panelVote("majority", ["pass", "fail", "pass"])).toMatchObject({ outcome: "pass", summary: "2 of 3 passed, 2 needed (majority)" });
    expect(panelVote("majority", ["pass", "fail", "pass", "fail"]).outcome).toBe("fail");
  });

  it("any: one pass is enough", () => {
    expect(panelVote("any", ["fail", "fail", "pass"]).outcome).toBe("pass");
    expect(panelVote("any", ["fail", "fail"]).outcome).toBe("fail");
  });

  it("an errored member is neither: error unless the others decide already", () => {
    expect(panelVote("all", ["pass", "error", "pass"])).toMatchObject({ outcome: "error", summary: "2 of 3 passed, 3 needed (all); 1 of 3 gave no verdict" });
    expect(panelVote("all", ["fail", "error", "pass"]).outcome).toBe("fail");
    expect(panelVote("majority", ["pass", "pass", "error"]).outcome).toBe("pass");
    expect(panelVote("majority", ["pass", "fail", "error"]).outcome).toBe("error");
    expect(panelVote("any", ["error", "error", "pass"]).outcome).toBe("pass");
    expect(panelVote("any", ["error", "fail"]).outcome).toBe("error");
  });
});
