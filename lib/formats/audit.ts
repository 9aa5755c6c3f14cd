// Audit JSONL: every sample (any status) with its content and every stage verdict, for reviewers. A conversation
// also carries its follow-up (`follow_up`, as stored) and, when its source marks its tool results deliberately
// wrong, `error_tool_response: true`; a sample whose record had more than the sample holds carries the whole record
// (`source_record`).
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
      ...(sample.followUp?.length ? { follow_up: sample.followUp } : {}),
      ...(sample.errorToolResponse ? { error_tool_response: true } : {}),
      verdicts: sample.verdicts ?? [],
      ...(sample.sourceRecord ? { source_record: sample.sourceRecord } : {}),
    },
    { tools: toolsJsonOf(sample) },
  );
}
