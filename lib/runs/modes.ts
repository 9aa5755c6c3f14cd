// THE list of run modes: how a run asks its LLM. The zod enum of the run options, the CLI's --mode help and the run
// form's options are derived from it. Pure and browser-safe.

export const RUN_MODES = {
  live: { label: "Live: each request sent as the pipeline needs it", short: "live" },
  batch: { label: "Batch: each step's requests as one Batch API file (half the price, hours not minutes)", short: "batch" },
  offline: { label: "Batch files by hand: studio batch export / import (e.g. vllm run-batch)", short: "batch files" },
} as const;

export type RunMode = keyof typeof RUN_MODES;

/** Every mode, the default (live) first. */
export const RUN_MODE_IDS = Object.keys(RUN_MODES) as [RunMode, ...RunMode[]];

export const DEFAULT_RUN_MODE: RunMode = "live";
