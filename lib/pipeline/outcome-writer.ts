// A run's sample outcomes, written as they finish, those that finish close together in one statement (group commit):
// the first outcome waiting waits up to GATHER_MS for others (none if half a statement's worth is already waiting);
// while a write is under way the next ones wait and go together in the next. At hundreds of samples a second a
// statement per sample was the database's and the worker's largest single cost, and the larger the statement the less
// each sample costs (BENCH_SECTIONS=writes: PostgreSQL's CPU a sample 2.06 ms alone, 0.91 ms by 8, 0.71 ms by 32);
// written as soon as the previous write ended, statements held ~5–8 samples at 0 ms. A sample's write does not hold its
// place in the run's concurrency, so the wait costs the run no judge calls, only that much later a sample shows as
// done. One statement is under way at a time: with two, each held half as many samples and PostgreSQL spent ~40% more
// CPU a sample. Each sample is still written exactly once (storeOutcomes' per-sample gate).
import { retryThroughOutage } from "@/lib/db/outage";
import type { RefineOutcome } from "./run";
import { storeOutcomes, type RunSampleOutcome, type StoredOutcome } from "./store";

export interface OutcomeWriter {
  /** Writes the sample's outcome; resolves once it is stored (or known already finished, or a conflict). */
  store(sampleId: number, version: number, outcome: RefineOutcome): Promise<StoredOutcome>;
}

/** How long the first outcome waiting waits for others to share its statement. */
export const GATHER_MS = 50;

export interface OutcomeWriterOptions {
  /** Outcomes in one statement at most; half as many waiting are written without waiting longer. */
  maxBatch?: number;
  /** How long the first outcome waiting waits for others (0: written as soon as no write is under way). */
  gatherMs?: number;
  /** The write itself (tests give their own). */
  write?: (runId: number, outcomes: readonly RunSampleOutcome[]) => Promise<StoredOutcome[]>;
}

interface Waiting {
  item: RunSampleOutcome;
  /** When it began to wait (performance.now()). */
  since: number;
  resolve: (stored: StoredOutcome) => void;
  reject: (error: unknown) => void;
}

export function createOutcomeWriter(runId: number, { maxBatch = 64, gatherMs = GATHER_MS, write = storeOutcomes }: OutcomeWriterOptions = {}): OutcomeWriter {
  let waiting: Waiting[] = [];
  let writing = false;
  let gathering: ReturnType<typeof setTimeout> | null = null;

  /** The next statement's outcomes: in order, a sample at most once (a second outcome of it waits for the next). */
  function nextBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const later: Waiting[] = [];
    const ids = new Set<number>();
    for (const entry of waiting) {
      if (batch.length < maxBatch && !ids.has(entry.item.sampleId)) {
        ids.add(entry.item.sampleId);
        batch.push(entry);
      } else later.push(entry);
    }
    waiting = later;
    return batch;
  }

  function pump() {
    if (writing || gathering || waiting.length === 0) return;
    const left = waiting[0].since + gatherMs - performance.now();
    if (left > 0 && waiting.length < maxBatch / 2) {
      gathering = setTimeout(() => {
        gathering = null;
        pump();
      }, left);
      return;
    }
    writing = true;
    void writeBatch(nextBatch()).finally(() => {
      writing = false;
      pump();
    });
  }

  async function writeBatch(batch: Waiting[]): Promise<void> {
    try {
      // A database restart mid-run must not throw away judge work: the write is exactly-once, so wait and retry.
      const stored = await retryThroughOutage(() => write(runId, batch.map((w) => w.item)));
      batch.forEach((w, i) => w.resolve(stored[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // One sample the database refuses (or a deadlock with another writer) must not fail the others: each alone.
      await Promise.all(batch.map((w) => writeBatch([w])));
    }
  }

  return {
    store(sampleId, version, outcome) {
      return new Promise((resolve, reject) => {
        waiting.push({ item: { sampleId, version, outcome }, since: performance.now(), resolve, reject });
        if (gathering && waiting.length >= maxBatch / 2) {
          clearTimeout(gathering);
          gathering = null;
        }
        pump();
      });
    },
  };
}
