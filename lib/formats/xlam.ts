// xLAM function-calling 60k: {id, query, tools, answers}, tools/answers as JSON strings or as arrays; our extensions
// `cot` and `answer_text` (a plain-text answer instead of calls). See shared/design/formats.md.
import type { Answer, RecordError, RecordPosition, SampleInput } from "@/lib/samples/types";
import { callsSchema, check, checkKept, convert, cotOrNull, fail, idText, jsonField, querySchema, requireObject, stringSchema, toolsSchema, type ImportContext } from "./fields";
import { assistantTurns, isConversation } from "./conversation";
import type { ExportSample } from "./index";
import { toolsJsonOf } from "./json-line";

export function fromRecord(value: unknown, pos: RecordPosition, _ctx?: ImportContext): SampleInput | RecordError {
  return convert(pos, () => {
    const record = requireObject(value);
    const answers = jsonField(record.answers, "answers");
    const calls = answers === undefined || answers === null ? null : check(callsSchema, answers, "answers");
    const text = record.answer_text === undefined || record.answer_text === null ? "" : check(stringSchema, record.answer_text, "answer_text");
    if (text && calls?.length) fail("answer_text", "the record has both calls in answers and an answer_text; an answer is one or the other");
    const answer: Answer | null = text ? { kind: "text", text } : calls ? { kind: "calls", calls } : null;
    return {
      sourceId: idText(record.id, "id"),
      query: check(querySchema, record.query, "query"),
      tools: checkKept(toolsSchema, jsonField(record.tools, "tools"), "tools"),
      answer,
      cot: cotOrNull(record.cot, "cot"),
    };
  });
}

/**
 * One xLAM line: tools and answers as JSON strings, like the original file, plus `cot`. A text answer is written as
 * `answers: "[]"` with `answer_text`; a missing answer as `answers: null`. `id` is the source id, or the studio's
 * sample id when the sample has none.
 */
export function serialize(sample: ExportSample): string {
  const answer = sample.answer;
  const line: Record<string, unknown> = {
    id: sample.sourceId ?? String(sample.id),
    query: sample.query,
    tools: toolsJsonOf(sample),
    answers: answer === null ? null : JSON.stringify(answer.kind === "calls" ? answer.calls : []),
    cot: sample.cot,
  };
  if (answer?.kind === "text") line.answer_text = answer.text;
  return JSON.stringify(line);
}

/** An xLAM line holds one exchange: a conversation is withheld rather than cut to its first. */
export function cannotWrite(sample: ExportSample): string | null {
  if (!isConversation(sample)) return null;
  return `is a conversation of ${assistantTurns(sample)} assistant turns: an xLAM line holds one exchange (export it as FunReason, OpenAI or ShareGPT)`;
}
