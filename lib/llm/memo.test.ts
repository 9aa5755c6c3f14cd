import { describe, expect, it } from "vitest";
import { boundedMemo } from "./memo";

describe("boundedMemo", () => {
  it("works a key out once, and keeps only the last `limit` keys (the oldest dropped first)", () => {
    const asked: string[] = [];
    const length = boundedMemo(2, (text: string) => {
      asked.push(text);
      return text.length;
    });
    expect([length("a"), length("bb"), length("a")]).toEqual([1, 2, 1]);
    expect(asked).toEqual(["a", "bb"]);
    length("ccc"); // over the limit: "a", the oldest, is dropped
    expect(length.size).toBe(2);
    expect([length("bb"), length("a")]).toEqual([2, 1]);
    expect(asked).toEqual(["a", "bb", "ccc", "a"]);
    expect(length.size).toBe(2);
  });

  it("tells texts apart by every character, not only those it files them by", () => {
    const asked: string[] = [];
    const echo = boundedMemo(10, (text: string) => {
      asked.push(text);
      return text;
    });
    // Long texts of one length that differ in a single character (each position in turn): each is its own.
    const base = "x".repeat(500);
    const texts = Array.from({ length: 8 }, (_, i) => `${base.slice(0, 61 * i + 3)}y${base.slice(61 * i + 4)}`);
    for (const text of texts) expect(echo(text)).toBe(text);
    for (const text of texts) expect(echo(text)).toBe(text);
    expect(asked).toEqual(texts);
  });
});
