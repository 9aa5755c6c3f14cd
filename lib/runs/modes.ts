// THE list of run modes: how a run asks its LLM. The zod enum of the run options, the CLI's --mode help and the run
// form's options are derived from it. Pure and browser-safe.

export const RUN_MODES = {
  live: { name: "Live", description: "each request sent as the pipeline needs it" },
  batch: { name: "Batch API", description: "one batch per step at the judge's endpoint, and at each panel member's own (OpenAI: half price, slower)" },
  offline: { name: "Batch files", description: "exported and imported by hand (studio batch, vllm run-batch)" },
} as const;

export type RunMode = keyof typeof RUN_MODES;

/** Every mode, the default (live) first. */
export const RUN_MODE_IDS = Object.keys(RUN_MODES) as [RunMode, ...RunMode[]];

export const DEFAULT_RUN_MODE: RunMode = "live";
