// "Next sample" figures: several annotators working through the review queue of a large dataset at once, each step
// being what the review page does after a decision — decide the sample on screen (decideOne), claim the next one
// (claimNext) and load its review data (getSample). Target: the next sample on screen in under 100 ms.
import { getPool } from "@/lib/db/client";
import { decideOne } from "@/lib/review/decisions";
import { claimNext, releaseClaim } from "@/lib/review/queue";
import { getSample, type SampleDetail } from "@/lib/samples/queries";
import type { Report } from "./stats";

export interface NextSampleBenchOptions {
  /** Timed steps in all (spread over the annotators). */
  iterations?: number;
  annotators?: number;
}

/**
 * Prepares `datasetId` as a pipeline run would leave it (most samples passed, some flagged, a few discarded, each
 * with its stage verdicts), then times decide + claim next + load next for a few hundred steps. Leaves the decided
 * samples approved or discarded.
 */
export async function nextSampleBench(datasetId: number, report: Report, options: NextSampleBenchOptions = {}): Promise<void> {
  const iterations = options.iterations ?? 400;
  const annotators = options.annotators ?? 8;
  const pool = await getPool();

  await pool.query(
    `UPDATE samples SET
       status = (CASE WHEN id % 20 = 0 THEN 'flagged' WHEN id % 20 = 1 THEN 'discarded' ELSE 'passed' END)::"SampleStatus",
       decided_by = CASE WHEN id % 20 = 0 THEN 'llm' ELSE 'rule' END,
       claimed_by = NULL, claimed_until = NULL
     WHERE dataset_id = $1`,
    [datasetId],
  );
  // The review page loads every verdict of the sample: give samples without any the five a run leaves.
  await pool.query(
    `INSERT INTO stage_verdicts (sample_id, stage, outcome, reason, evidence, decided_by)
     SELECT s.id, g.stage, 'pass', 'bench verdict', '{"bench": true}', 'rule:bench'
     FROM samples s CROSS JOIN generate_series(1, 5) AS g(stage)
     WHERE s.dataset_id = $1 AND NOT EXISTS (SELECT 1 FROM stage_verdicts v WHERE v.sample_id = s.id)`,
    [datasetId],
  );
  // As autovacuum would after a run: the UPDATE above left a dead version of every row behind.
  await pool.query("VACUUM ANALYZE samples, stage_verdicts");
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM samples WHERE dataset_id = $1 AND status IN ('passed', 'flagged')`, [
    datasetId,
  ]);

  const total: number[] = [];
  const claim: number[] = [];
  const warmup = annotators; // each annotator's first step pays for cold caches and new connections
  let step = 0;

  async function annotate(name: string) {
    let id = await claimNext(name, { datasetId });
    let sample: SampleDetail | null = id === null ? null : await getSample(id);
    while (sample && step < iterations + warmup) {
      const counted = step++ >= warmup;
      const started = performance.now();
      const target = { sampleId: sample.id, expectedVersion: sample.version };
      const discard = { action: "discard", author: `human:${name}`, reason: "bench: off topic" } as const;
      let decided = await decideOne(target, step % 10 === 0 ? discard : { action: "approve", author: `human:${name}` });
      // A sample a rule fails cannot be approved (the set holds a few: BFCL ground truths that contradict their schema).
      if (!decided.ok && decided.kind === "invalid") decided = await decideOne(target, discard);
      if (!decided.ok) throw new Error(`bench decision on sample ${sample.id} failed: ${JSON.stringify(decided)}`);
      const claimStarted = performance.now();
      id = await claimNext(name, { datasetId });
      const claimed = performance.now();
      sample = id === null ? null : await getSample(id);
      if (counted) {
        total.push(performance.now() - started);
        claim.push(claimed - claimStarted);
      }
    }
    if (sample) await releaseClaim(name, sample.id);
  }

  await Promise.all(Array.from({ length: annotators }, (_, i) => annotate(`bench-annotator-${i + 1}`)));
  report(
    "next sample: decide + claim + load",
    `p50 ${ms(percentile(total, 0.5))} / p95 ${ms(percentile(total, 0.95))} (${total.length} steps, ${annotators} annotators at once, queue of ${rows[0].n}; target < 100 ms)`,
  );
  report("next sample: of which claim next", `p50 ${ms(percentile(claim, 0.5))} / p95 ${ms(percentile(claim, 0.95))}`);
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
