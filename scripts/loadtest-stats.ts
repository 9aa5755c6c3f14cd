// The load test's figures: latency percentiles and the Markdown table the README quotes. Pure, so the arithmetic is
// unit-tested (scripts/loadtest-stats.test.ts) rather than trusted.
import type { CpuShares } from "./loadtest-cpu";

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile (q in 0..1): the smallest value with at least q of all values at or below it. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError("no values to take a percentile of");
  if (!(q > 0 && q <= 1)) throw new RangeError(`percentile ${q} is not in (0, 1]`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1];
}

/** p50 / p95 / p99 / max of latencies in ms; null when nothing was measured. */
export function summarizeLatencies(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  return {
    count: values.length,
    p50: percentile(values, 0.5),
    p95: percentile(values, 0.95),
    p99: percentile(values, 0.99),
    max: percentile(values, 1),
  };
}

export interface LoadtestFigures {
  annotators: number;
  seconds: number;
  samples: number;
  /** Reviews each sample needed (1: the first decision is final). */
  reviewsPerSample: number;
  decisions: number;
  discards: number;
  decisionsPerSecond: number;
  requestsPerSecond: number;
  latency: { claim: LatencySummary | null; load: LatencySummary | null; decide: LatencySummary | null };
  staleWrites: { sent: number; refused409: number };
  serverErrors: number;
  transportErrors: number;
  /** Share of the machine's CPU time over the load phase (0..1 of all cores), where it could be read. */
  cpu: CpuShares | null;
  invariantsHeld: boolean;
}

const number = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toString());
const percent = (share: number) => `${Math.round(share * 100)}%`;

function latencyCell(summary: LatencySummary | null): string {
  return summary ? `${ms(summary.p50)} / **${ms(summary.p95)}** / ${ms(summary.p99)} ms (${number(summary.count)} requests)` : "none measured";
}

function cpuCell(cpu: CpuShares): string {
  const parts = [`web server ${percent(cpu.server)}`];
  if (cpu.postgres !== null) parts.push(`PostgreSQL ${percent(cpu.postgres)}`);
  parts.push(`load generator ${percent(cpu.loadGenerator)}`);
  const rest = cpu.machine - cpu.server - (cpu.postgres ?? 0) - cpu.loadGenerator;
  parts.push(`${cpu.postgres === null ? "PostgreSQL and other processes" : "other processes"} ${percent(Math.max(0, rest))}`);
  return `${percent(cpu.machine)} busy: ${parts.join(", ")}`;
}

/** The short table for the README: what ran, throughput, latencies, and whether every invariant held. */
export function markdownTable(f: LoadtestFigures): string {
  const rows: [string, string][] = [
    [
      "annotators × duration",
      `${f.annotators} × ${number(f.seconds)} s, no think time, queue of ${number(f.samples)} samples` +
        (f.reviewsPerSample > 1 ? `, ${f.reviewsPerSample} blind reviews per sample` : ""),
    ],
    ["decisions", `${number(f.decisions)} (${number(f.discards)} discards) — **${f.decisionsPerSecond.toFixed(1)}/s**; ${f.requestsPerSecond.toFixed(0)} requests/s in all`],
    ["claim `POST /api/review/next` p50 / p95 / p99", latencyCell(f.latency.claim)],
    ["load `GET /api/samples/:id` p50 / p95 / p99", latencyCell(f.latency.load)],
    ["decide `POST /api/samples/:id/decision` p50 / p95 / p99", latencyCell(f.latency.decide)],
    ["stale writes (old version, sample decided by someone else)", `${number(f.staleWrites.sent)} sent, ${number(f.staleWrites.refused409)} refused with 409`],
    ["5xx / failed requests", `${f.serverErrors} / ${f.transportErrors}`],
  ];
  if (f.cpu) rows.push(["CPU (share of the machine's cores)", cpuCell(f.cpu)]);
  rows.push([
    f.reviewsPerSample > 1
      ? `every acknowledged vote stored once · at most ${f.reviewsPerSample} reviewers per sample · final exactly when they agree · no stale write won`
      : "every acknowledged decision stored once · no sample decided twice · no stale write won",
    f.invariantsHeld ? "**held**" : "**FAILED**",
  ]);
  return ["| figure | measured |", "|---|---|", ...rows.map(([name, value]) => `| ${name} | ${value} |`)].join("\n");
}
