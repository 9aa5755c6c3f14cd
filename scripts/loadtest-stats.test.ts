import { describe, expect, it } from "vitest";
import { markdownTable, percentile, summarizeLatencies, type LoadtestFigures } from "./loadtest-stats";

describe("percentile", () => {
  it("takes the nearest rank: of 1..100, p50 is 50, p95 is 95, p99 is 99, p100 the max", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // unsorted on purpose
    expect([0.5, 0.95, 0.99, 1].map((q) => percentile(values, q))).toEqual([50, 95, 99, 100]);
  });

  it("rounds the rank up on small samples, so p95 of ten values is the slowest", () => {
    const values = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10];
    expect(percentile(values, 0.5)).toBe(5);
    expect(percentile(values, 0.95)).toBe(10);
  });

  it("refuses an empty list and a quantile outside (0, 1]", () => {
    expect(() => percentile([], 0.5)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 95)).toThrow(RangeError);
  });
});

describe("summarizeLatencies", () => {
  it("gives count, p50, p95, p99 and max, and null when nothing was measured", () => {
    expect(summarizeLatencies([3, 1, 2])).toEqual({ count: 3, p50: 2, p95: 3, p99: 3, max: 3 });
    expect(summarizeLatencies([])).toBeNull();
  });
});

describe("markdownTable", () => {
  const figures: LoadtestFigures = {
    annotators: 50,
    reviewsPerSample: 1,
    seconds: 300,
    samples: 30_000,
    decisions: 12_345,
    discards: 1_850,
    decisionsPerSecond: 41.16,
    requestsPerSecond: 126.4,
    latency: {
      claim: { count: 12_400, p50: 8.26, p95: 41.7, p99: 90.2, max: 300 },
      load: null,
      decide: { count: 12_345, p50: 12, p95: 55.5, p99: 120, max: 400 },
    },
    staleWrites: { sent: 600, refused409: 600 },
    serverErrors: 0,
    transportErrors: 0,
    cpu: { machine: 0.97, server: 0.55, postgres: 0.25, loadGenerator: 0.1 },
    invariantsHeld: true,
  };

  it("puts every figure on its own row, p95 in bold", () => {
    const table = markdownTable(figures);
    expect(table.split("\n").slice(0, 2)).toEqual(["| figure | measured |", "|---|---|"]);
    expect(table).toContain("| decisions | 12,345 (1,850 discards) — **41.2/s**; 126 requests/s in all |");
    expect(table).toContain("| claim `POST /api/review/next` p50 / p95 / p99 | 8.3 / **42** / 90 ms (12,400 requests) |");
    expect(table).toContain("| load `GET /api/samples/:id` p50 / p95 / p99 | none measured |");
    expect(table).toContain("| stale writes (old version, sample decided by someone else) | 600 sent, 600 refused with 409 |");
    expect(table).toContain("| CPU (share of the machine's cores) | 97% busy: web server 55%, PostgreSQL 25%, load generator 10%, other processes 7% |");
    expect(table).toMatch(/\| \*\*held\*\* \|$/);
  });

  it("counts PostgreSQL with the other processes when its process is not known", () => {
    const table = markdownTable({ ...figures, cpu: { machine: 0.97, server: 0.55, postgres: null, loadGenerator: 0.1 } });
    expect(table).toContain("97% busy: web server 55%, load generator 10%, PostgreSQL and other processes 32%");
  });

  it("says FAILED when an invariant did not hold, and leaves the CPU row out when it could not be read", () => {
    const table = markdownTable({ ...figures, cpu: null, invariantsHeld: false });
    expect(table).toMatch(/\| \*\*FAILED\*\* \|$/);
    expect(table).not.toContain("CPU");
  });
});
