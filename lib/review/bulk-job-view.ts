// What a bulk action is, as the browser shows it (no server code: the samples table and its recent-actions list
// import this): the actions, their targets, and the sentences that say what a job did.

/** Every bulk action, with what its tally says about the samples it was done to ("5,120 samples approved"). */
export const BULK_JOB_ACTIONS = {
  approve: { label: "Approve", done: (n: number) => `${count(n)} approved` },
  discard: { label: "Discard", done: (n: number) => `${count(n)} discarded` },
  restore: { label: "Restore", done: (n: number) => `${count(n)} restored to review` },
  regenerate: { label: "Regenerate", done: (n: number) => `${count(n, "regeneration")} queued` },
  rerun: { label: "Re-run stages", done: (n: number) => (n ? `${count(n)} re-running` : "No sample to re-run") },
} as const;
export type BulkJobAction = keyof typeof BULK_JOB_ACTIONS;

/** What a bulk action was asked for: ticked samples, everything a table filter matched, or a discard group. */
export type BulkJobTarget =
  | { kind: "selection"; samples: number }
  | { kind: "filter"; query: string }
  | { kind: "group"; stage: number | null; code: string | null; datasetId?: number };

export interface BulkFailure {
  sampleId: number;
  message: string;
}

export interface BulkRunRef {
  runId: number;
  dataset: string;
  total: number;
}

export type BulkJobStatus = "running" | "succeeded" | "failed";

export interface BulkJobView {
  id: number;
  actor: string;
  action: BulkJobAction;
  options: Record<string, unknown>;
  target: BulkJobTarget;
  status: BulkJobStatus;
  /** Samples targeted. */
  total: number;
  /** Samples it was done to. */
  done: number;
  /** Samples it could not be done to; the first ones, in id order, in `failures`. */
  failed: number;
  failures: BulkFailure[];
  runs: BulkRunRef[];
  /** Why it stopped before the end. */
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** The target in a few words: "12 selected samples", "filter status=passed", "discard group stage 4 · rule:x". */
export function describeBulkTarget(target: BulkJobTarget): string {
  switch (target.kind) {
    case "selection":
      return count(target.samples, "selected sample");
    case "filter":
    {
      const terms = [...new URLSearchParams(target.query)].map(([key, value]) => `${key}=${value}`);
      return terms.length ? `filter ${terms.join(" ")}` : "every sample (no filter)";
    }
    case "group":
      return `discard group ${[target.stage === null ? "no stage" : `stage ${target.stage}`, target.code ?? "no code", target.datasetId ? `dataset ${target.datasetId}` : null].filter(Boolean).join(" · ")}`;
  }
}

/** One sentence for what a bulk action did: "5,120 samples approved, 3 failed". */
export function describeBulkTally(job: { action: BulkJobAction; done: number; failed: number; runs: BulkRunRef[] }): string {
  const runs = job.runs.length ? ` in ${job.runs.map((r) => `run #${r.runId} (${r.dataset})`).join(", ")}` : "";
  const done = BULK_JOB_ACTIONS[job.action].done(job.done) + runs;
  return job.failed ? `${done}, ${job.failed.toLocaleString("en-US")} failed` : done;
}

function count(n: number, one = "sample", many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}
