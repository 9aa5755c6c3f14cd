// Audit JSONL: every sample (any status) with its content and every stage verdict, for reviewers; a sample cut from
// a multi-turn record also carries the whole record (`source_record`).
import type { ExportSample } from "./index";
import { jsonWithRaw, toolsJsonOf } from "./json-line";

export function serialize(sample: ExportSample): string {
  return jsonWithRaw(
    {
      sample_id: sample.id,
      source_id: sample.sourceId,
      dataset: sample.datasetName,
      status: sample.status,
      version: sample.version,
      query: sample.query,
      answer: sample.answer,
      cot: sample.cot,
      verdicts: sample.verdicts ?? [],
      ...(sample.sourceRecord ? { source_record: sample.sourceRecord } : {}),
    },
    { tools: toolsJsonOf(sample) },
  );
}
