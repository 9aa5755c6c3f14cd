// Samples that take each path of a batch run's walk (lib/batch): pass, discard at stage 2, a CoT written, a CoT
// written then two regenerations that still fail stage 4 (the fake teacher finds no city in "city 3"), a 500
// retried, a 500 that lasts (an error verdict, flagged).
import type { SeedSample } from "./seed";

export const BATCH_PATH_SAMPLES: SeedSample[] = [
  {},
  { query: "What is the weather in city 1? [[fake:fail@judge-query-tools]]" },
  { cot: null },
  { cot: null, calls: [{ name: "get_weather", arguments: { city: "Atlantis" } }] },
  { query: "What is the weather in city 4? [[fake:500x1@judge-cot]]" },
  { query: "What is the weather in city 5? [[fake:500@judge-values]]" },
];
