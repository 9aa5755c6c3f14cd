import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

describe("safeNext (after sign-in)", () => {
  it("keeps a path on the studio, with its query", () => {
    expect(safeNext("/samples?status=flagged&q=a%20b")).toBe("/samples?status=flagged&q=a%20b");
    expect(safeNext("/runs")).toBe("/runs");
  });

  it("refuses anything a browser would read as another site", () => {
    for (const next of ["/\\evil.example/x", "//evil.example/x", "/\t/evil.example", "\\\\evil.example", "https://evil.example/", "javascript:alert(1)", "/%5Cevil.example"]) {
      const target = new URL(safeNext(next), "https://studio.example.org");
      expect(target.origin, next).toBe("https://studio.example.org");
    }
    expect(safeNext("/\\evil.example/x")).toBe("/");
    expect(safeNext(["/a", "/b"])).toBe("/");
    expect(safeNext(undefined)).toBe("/");
  });
});
