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
});
