// A run's sample outcomes, written as they finish, those that finish together in one statement (group commit): the
// first outcome is written at once; while a write is under way the next ones wait and go together in the next. At
// hundreds of samples a second a statement per sample was the database's and the worker's largest single cost, and
// a sample never waits for a timer. One statement is under way at a time: with two, each held half as many samples
// (~5 against ~10 at 0 ms) and PostgreSQL spent ~40% more CPU a sample; one writer keeps up with far more samples a
// second than a run finishes. Each sample is still written exactly once (storeOutcomes' per-sample gate).
import { retryThroughOutage } from "@/lib/db/outage";
import type { RefineOutcome } from "./run";
import { storeOutcomes, type RunSampleOutcome, type StoredOutcome } from "./store";

export interface OutcomeWriter {
  /** Writes the sample's outcome; resolves once it is stored (or known already finished, or a conflict). */
  store(sampleId: number, version: number, outcome: RefineOutcome): Promise<StoredOutcome>;
}

export interface OutcomeWriterOptions {
  /** Outcomes in one statement at most. */
  maxBatch?: number;
  /** The write itself (tests give their own). */
  write?: (runId: number, outcomes: readonly RunSampleOutcome[]) => Promise<StoredOutcome[]>;
}

interface Waiting {
  item: RunSampleOutcome;
  resolve: (stored: StoredOutcome) => void;
  reject: (error: unknown) => void;
}

export function createOutcomeWriter(runId: number, { maxBatch = 64, write = storeOutcomes }: OutcomeWriterOptions = {}): OutcomeWriter {
  let waiting: Waiting[] = [];
  let writing = false;

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
    if (writing || waiting.length === 0) return;
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
        waiting.push({ item: { sampleId, version, outcome }, resolve, reject });
        pump();
      });
    },
  };
}
