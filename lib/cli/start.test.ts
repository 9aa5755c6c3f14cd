import { describe, expect, it } from "vitest";
import { listenPlan } from "./start";

describe("where `npm start` listens", () => {
  it("says it listens on all interfaces by default, and how to narrow it", () => {
    const plan = listenPlan("3000", {});
    expect(plan.args).toEqual(["-p", "3000"]);
    expect(plan.message).toMatch(/listening on all interfaces.*set STUDIO_HOST=127\.0\.0\.1/);
  });

  it("listens only on STUDIO_HOST when it is set", () => {
    expect(listenPlan("4000", { STUDIO_HOST: "127.0.0.1" })).toEqual({
      args: ["-p", "4000", "-H", "127.0.0.1"],
      message: "FunReason Studio on http://127.0.0.1:4000 — listening on 127.0.0.1 only (STUDIO_HOST)",
    });
    expect(listenPlan("4000", { STUDIO_HOST: "::1" }).message).toMatch(/^FunReason Studio on http:\/\/\[::1\]:4000/);
  });
});
