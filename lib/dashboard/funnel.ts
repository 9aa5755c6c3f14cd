// The pipeline funnel: how many samples were imported, how many reached each stage and how that stage ended for
// them (the machine's latest outcome per stage, samples.stage_outcomes), and where every sample stands now.
import type { PoolResult } from "@/lib/pipeline/hard-pool";
import { STAGE_REGISTRY, compareStages, type StageId } from "@/lib/pipeline/stage-registry";
import { REFINED_STATUSES, type SampleStatus } from "@/lib/samples/types";

const POOL_RESULTS = ["rescued", "dropped", "flagged"] as const satisfies readonly PoolResult[];

export const STAGE_OUTCOMES = ["pass", "fail", "error", "skip"] as const;
export type StageOutcomeName = (typeof STAGE_OUTCOMES)[number];

/** Samples that look the same to the dashboard, counted: the database groups by these columns, this file sums. */
export interface SampleGroup {
  status: SampleStatus;
  /** The deciding stage and code of a discarded or flagged sample (see lib/pipeline/summary.ts). */
  stage: number | null;
  code: string | null;
  /** The machine's latest outcome per stage: ["1:pass", "2:fail"]. */
  stageOutcomes: string[];
  count: number;
}

export interface FunnelStage extends Record<StageOutcomeName, number> {
  stage: StageId;
  name: string;
  /** Samples the stage looked at (any outcome). */
  reached: number;
}

/**
 * Where samples stand now, each sample in one place. Saved = the pipeline's passes plus human approvals (the refined
 * set's call samples); with the text answers they make the refined set (REFINED_STATUSES), what an export writes.
 */
export interface FunnelEnd {
  saved: number;
  text: number;
  flagged: number;
  discarded: number;
  pending: number;
}

/** The hard-data pool (v3 runs): samples a regenerating stage sent to it, and how they left it. */
export interface FunnelPool {
  entered: number;
  rescued: number;
  dropped: number;
  flagged: number;
}

export interface Funnel {
  imported: number;
  stages: FunnelStage[];
  pool: FunnelPool;
  end: FunnelEnd;
  /** The refined set (REFINED_STATUSES), as the Datasets page and the exports count it. */
  refined: number;
}

export function buildFunnel(groups: readonly SampleGroup[]): Funnel {
  const statuses = new Map<SampleStatus, number>();
  const outcomes = new Map<string, number>();
  for (const group of groups) {
    statuses.set(group.status, (statuses.get(group.status) ?? 0) + group.count);
    for (const outcome of group.stageOutcomes) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + group.count);
  }
  const status = (s: SampleStatus) => statuses.get(s) ?? 0;
  const stages = STAGE_REGISTRY.map(({ id: stage, name }) => {
    const counts = Object.fromEntries(STAGE_OUTCOMES.map((o) => [o, outcomes.get(`${stage}:${o}`) ?? 0])) as Record<StageOutcomeName, number>;
    const reached = STAGE_OUTCOMES.reduce((sum, o) => sum + counts[o], 0);
    return { stage, name, reached, ...counts };
  });
  const end: FunnelEnd = {
    saved: status("passed") + status("approved"),
    text: status("text"),
    flagged: status("flagged"),
    discarded: status("discarded"),
    pending: status("pending"),
  };
  const imported = Object.values(end).reduce((sum, n) => sum + n, 0);
  const [rescued, dropped, flagged] = POOL_RESULTS.map((result) => outcomes.get(`pool:${result}`) ?? 0);
  const pool = { entered: rescued + dropped + flagged, rescued, dropped, flagged };
  return { imported, stages, pool, end, refined: REFINED_STATUSES.reduce((sum, s) => sum + status(s), 0) };
}

export interface FailureGroup {
  /** The deciding stage; null when no single stage decided (a generation that failed before stage 1, a reviewer naming none). */
  stage: number | null;
  /** A rule id ("rule:unknown-function"), "llm", "regeneration-exhausted", "generation-failed" or "human". */
  code: string;
  status: "discarded" | "flagged";
  count: number;
}

/** Discarded and flagged samples by stage, code and status: the `perStage` largest groups of each stage, stage order. */
export function failureGroups(groups: readonly SampleGroup[], perStage: number): FailureGroup[] {
  const merged = new Map<string, FailureGroup>();
  for (const group of groups) {
    if (group.status !== "discarded" && group.status !== "flagged") continue;
    const code = group.code ?? "unknown";
    const key = `${group.stage}|${code}|${group.status}`;
    const entry = merged.get(key) ?? { stage: group.stage, code, status: group.status, count: 0 };
    entry.count += group.count;
    merged.set(key, entry);
  }
  // Stages in run order, "no stage" last.
  const stageOrder = (a: number | null, b: number | null) => (a === null || b === null ? Number(a === null) - Number(b === null) : compareStages(a, b));
  const sorted = [...merged.values()].sort(
    (a, b) => stageOrder(a.stage, b.stage) || b.count - a.count || a.code.localeCompare(b.code) || a.status.localeCompare(b.status),
  );
  const kept = new Map<number | null, number>();
  return sorted.filter((group) => {
    const n = (kept.get(group.stage) ?? 0) + 1;
    kept.set(group.stage, n);
    return n <= perStage;
  });
}

/** A share as a whole percentage for people ("12%"), "—" without a whole. */
export function percent(part: number, whole: number): string {
  return whole <= 0 ? "—" : rateText(part / whole);
}

/**
 * A rate (0–1) as a whole percentage, never rounded to what it is not: "<1%" for a small non-zero rate, ">99%" for
 * one short of all — 999 of 1,000 is not 100%, a failure must not vanish into a round number.
 */
export function rateText(rate: number): string {
  const value = rate * 100;
  if (value > 0 && value < 1) return "<1%";
  if (value < 100 && value > 99) return ">99%";
  return `${Math.round(value)}%`;
}
