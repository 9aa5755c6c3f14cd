// Words the samples table shows for the filter's values.
import type { Decider, SortKey, TableColumn, VerdictOutcome } from "@/lib/samples/table-filter";

export { STAGE_NAMES } from "@/lib/pipeline/stage-registry";

export const OUTCOME_LABEL: Record<VerdictOutcome, string> = { pass: "Pass", fail: "Fail", skip: "Skip", error: "Error" };

export const DECIDER_LABEL: Record<Decider, string> = { rule: "Rule", llm: "LLM judge", human: "Human" };

export const COLUMN_LABEL: Record<TableColumn, string> = {
  id: "ID",
  dataset: "Dataset",
  status: "Status",
  query: "Query",
  tools: "Tools",
  calls: "Calls",
  reason: "Why (stage · reason)",
  decidedBy: "Decided by",
  updated: "Updated",
};

export const SORT_LABEL: Record<SortKey, string> = { id: "ID", updated: "Last update", status: "Status" };
