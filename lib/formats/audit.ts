// Audit JSONL: every sample (any status) with its content and every stage verdict, for reviewers.
import type { ExportSample } from "./index";

export function serialize(sample: ExportSample): string {
  return JSON.stringify({
    sample_id: sample.id,
    source_id: sample.sourceId,
    dataset: sample.datasetName,
    status: sample.status,
    version: sample.version,
    query: sample.query,
    tools: sample.tools,
    answer: sample.answer,
    cot: sample.cot,
    verdicts: sample.verdicts ?? [],
  });
}
