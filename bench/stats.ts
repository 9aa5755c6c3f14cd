// Small helpers the bench sections share for timed figures.

export type Report = (name: string, value: string | number) => void;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "3 runs: 4.1–4.9 s" */
export function spread(values: number[]): string {
  return `${values.length} run${values.length === 1 ? "" : "s"}: ${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)} s`;
}

/** Seconds since `start` (a performance.now() reading), as "1.23". */
export function secondsSince(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(2);
}
