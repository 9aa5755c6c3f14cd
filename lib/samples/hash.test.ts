import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentHash, identityJson } from "./hash";

describe("contentHash", () => {
  it("is the SHA-256 of JSON.stringify({query, tools, answer}), as it always was (so re-imports still match)", () => {
    const tools = JSON.parse('[{"name":"f","parameters":{"__proto__":{"type":"str"},"x":{"type":"int"}}}]');
    for (const answer of [null, { kind: "text" as const, text: "No \"call\"\n" }, { kind: "calls" as const, calls: [{ name: "f", arguments: { x: 1 } }] }]) {
      const sample = { query: "Q \u00e9 \"quoted\"", tools, answer };
      const reference = JSON.stringify({ query: sample.query, tools, answer });
      expect(identityJson(sample)).toBe(reference);
      expect(identityJson(sample, JSON.stringify(tools))).toBe(reference);
      expect(contentHash(sample)).toBe(createHash("sha256").update(reference).digest("hex"));
    }
  });
});
