import { describe, expect, it } from "vitest";
import type { DatasetSample, PipelineSample } from "../types";
import { RULES_ONLY } from "../rule-check";
import {
  CONTAMINATION_THRESHOLD,
  NGRAM,
  bfclIndex,
  buildBenchmarkIndex,
  canonicalJson,
  duplicateKey,
  duplicatesStage,
  findContamination,
  normalizeText,
  readBfclQueries,
  wordNgrams,
} from "./duplicates";

const TOOLS = [{ name: "get_weather", description: "Weather.", parameters: { city: { type: "str", description: "City.", default: "" } } }];
const sample = (id: number, query: string, args: Record<string, unknown> = { city: "Lyon" }, tools: unknown = TOOLS): DatasetSample & PipelineSample => ({
  id,
  query,
  tools: tools as DatasetSample["tools"],
  answer: { kind: "calls", calls: [{ name: "get_weather", arguments: args }] },
  cot: null,
});

async function* each<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

describe("normalisation", () => {
  it("collapses whitespace and composes Unicode", () => {
    expect(normalizeText("  Weather\tin \n\n Lyon  ")).toBe("Weather in Lyon");
    expect(normalizeText("Weather\u00a0in  Lyon")).toBe("Weather in Lyon");
    expect(normalizeText("Weather in Lyon")).toBe("Weather in Lyon");
    expect(normalizeText("Cafe\u0301")).toBe(normalizeText("Café"));
  });

  it("writes JSON with sorted keys, normalised strings and numbers by value", () => {
    expect(canonicalJson(JSON.parse('{"b": 1.0, "a": {"y": "x  y", "x": [1e0, -0]}}'))).toBe('{"a":{"x":[1,0],"y":"x y"},"b":1}');
    expect(canonicalJson({ a: "1" })).not.toBe(canonicalJson({ a: 1 })); // a string is not a number
  });

  it("gives one key to samples that differ only in whitespace, key order and number formatting, and leaves out the CoT", () => {
    const a = sample(1, "Weather in Lyon, 2 days?", { city: "Lyon", days: 2 });
    const reordered = JSON.parse('[{"parameters": {"city": {"default": "", "description": "City.", "type": "str"}}, "description": "Weather.", "name": "get_weather"}]');
    const b = { ...sample(2, "Weather  in Lyon,\n2 days? ", JSON.parse('{"days": 2.0, "city": "Lyon"}'), reordered), cot: "Some thought." };
    expect(duplicateKey(b)).toBe(duplicateKey(a));
    expect(duplicateKey(sample(3, "Weather in Lyon, 2 days?", { city: "Lyon", days: 3 }))).not.toBe(duplicateKey(a));
    expect(duplicateKey(sample(4, "Weather in Paris, 2 days?", { city: "Lyon", days: 2 }))).not.toBe(duplicateKey(a));
  });
});

describe("word 8-gram overlap", () => {
  // 17 words: 10 distinct 8-grams.
  const benchmark = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen";
  const index = buildBenchmarkIndex([{ id: "bench_1", source: "test.json", query: benchmark }]);
  const words = benchmark.split(" ");

  it("counts distinct lower-case word n-grams", () => {
    expect(wordNgrams(benchmark).size).toBe(10);
    expect(wordNgrams("A b, c! a B c", 3)).toEqual(new Set(["a b c", "b c a", "c a b"]));
    expect(wordNgrams("too short to have one", NGRAM).size).toBe(0);
  });

  it(`calls a query contaminated at ${CONTAMINATION_THRESHOLD * 100}% of a benchmark query's 8-grams, and not just below`, () => {
    // The first 12 words hold 5 of the 10 8-grams: exactly the threshold.
    const atThreshold = [...words.slice(0, 12), "and", "something", "else", "entirely", "here"].join(" ");
    expect(findContamination(atThreshold, index)).toEqual({ entry: index.queries[0], match: "8-gram", overlap: 0.5 });
    // 11 words hold 4 of 10.
    const below = [...words.slice(0, 11), "and", "something", "else", "entirely", "here"].join(" ");
    expect(findContamination(below, index)).toBeNull();
  });

  it("matches a copy exactly whatever its case and whitespace, and a copy inside a longer query by its 8-grams", () => {
    expect(findContamination(`  ${benchmark.toUpperCase()} `, index)).toMatchObject({ match: "exact", entry: { id: "bench_1" } });
    expect(findContamination(`Please answer this: ${benchmark}. Thanks!`, index)).toMatchObject({ match: "8-gram", overlap: 1 });
    expect(findContamination("What is the weather in Lyon tomorrow, in celsius please?", index)).toBeNull();
  });
});

describe("the shipped BFCL queries", () => {
  it("reads every user message of the BFCL test files, and finds a copy of one with its id", () => {
    const queries = readBfclQueries();
    expect(queries.length).toBeGreaterThan(3_000);
    const simple = queries.find((q) => q.source === "BFCL_v4_simple_python.json")!;
    expect(findContamination(simple.query, bfclIndex())).toMatchObject({ match: "exact", entry: { id: simple.id } });
  });
});

describe("the stage", () => {
  it("keeps the first of two duplicates and discards the later one with the first's id; a BFCL copy with the benchmark id", async () => {
    const bfcl = readBfclQueries().find((q) => q.source === "BFCL_v4_simple_python.json")!;
    const samples = [sample(10, "Weather in Lyon?"), sample(11, "Weather  in Lyon? "), sample(12, bfcl.query), sample(13, "Weather in Oslo?")];
    const keys = await duplicatesStage.prepare!(each(samples));
    const verdicts = await Promise.all(samples.map((s) => duplicatesStage.run(s, RULES_ONLY, keys)));
    const failures = verdicts.map((vs) => vs.filter((v) => v.outcome === "fail").map((v) => [v.decidedBy, v.evidence]));
    expect(failures).toEqual([
      [],
      [["rule:duplicate", { duplicateOf: 10 }]],
      [["rule:contamination", { benchmark: "BFCL v4", benchmarkId: bfcl.id, source: bfcl.source, match: "exact" }]],
      [],
    ]);
    expect(verdicts[1][0]).toMatchObject({ stage: 0, reason: expect.stringContaining("Duplicate of sample #10") });
  });
});
