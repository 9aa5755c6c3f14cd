import { describe, expect, it } from "vitest";
import { sectionOf } from "./nav";

describe("the section a page belongs to", () => {
  it("is the nav item whose path the page is under", () => {
    expect(sectionOf("/samples", new URLSearchParams())).toBe("/samples");
    expect(sectionOf("/samples/12", new URLSearchParams("status=flagged"))).toBe("/samples");
    expect(sectionOf("/runs", new URLSearchParams())).toBe("/runs");
    expect(sectionOf("/sign-in", new URLSearchParams())).toBeNull();
  });

  it("is Review for a sample opened from the review or adjudication queue", () => {
    expect(sectionOf("/samples/12", new URLSearchParams("queue=1&dataset=3"))).toBe("/review");
    expect(sectionOf("/samples/12", new URLSearchParams("queue=1&adjudicate=1"))).toBe("/review");
  });
});
