// Stage 5, Format Identification: does the training text the sample becomes have the FunReason shape?
//
// The text is built exactly as the FunReason export writes the assistant turn (lib/formats/chat.ts), so what is
// checked here is what a model is trained on: one `<think>…</think>` block first, then a call list that parses
// (Python call syntax or the JSON list form), nothing after it. Rules only: a parser decides this exactly.
//
// A call answer that does not parse (stage 1: text shaped like a call, or with stray think tags) is checked as the
// raw text it would be trained on — its CoT and its text put back together — and fails with the exact problem:
// "text after the call list: 'Hope this helps!'", "two <think> blocks", "the call list is not closed: missing ']'".
// Without a CoT (a full run generates one first) its answer is checked alone, so the problem named is the answer's.
import { assistantContent } from "@/lib/formats/chat";
import type { ToolCall } from "@/lib/samples/types";
import { excerpt, parseCallList, readThinkBlock, renderCalls, type ParseResult } from "../render";
import type { PipelineSample, Stage, Verdict } from "../types";
import { callsOf, isUnparsedCall, ruleVerdict, skipNotCalls } from "./common";

const RULE = "format";

export type TrainingTextCheck = { ok: true; calls: ToolCall[] } | { ok: false; problem: string };

/** The assistant turn a call sample trains on: `<think>{cot}</think>\n\n{calls in Python syntax}` (no think block without a CoT). */
export function trainingText(sample: Pick<PipelineSample, "cot"> & { calls: readonly ToolCall[] }): string {
  return assistantContent(sample.cot, renderCalls([...sample.calls]));
}

/**
 * Checks a raw assistant text (an imported chat turn, `studio check`, or trainingText's output): exactly one
 * non-empty `<think>…</think>`, first (leading whitespace aside); then a call list that parseCallList reads;
 * nothing after it.
 */
export function checkTrainingText(text: string): TrainingTextCheck {
  const block = readThinkBlock(text);
  return block.ok ? checkAnswerText(block.rest) : { ok: false, problem: block.problem };
}

const THINK_TAG = /<\/?think>/;
// Where a call list (`[name(`, `[{`) or a JSON call object (`{"name"`) starts, to name the text before it.
const CALL_OPENING = /\[\s*(?:[A-Za-z_][\w.-]*\s*\(|\{)|\{\s*["']name["']/;

/** Checks what follows the think block: a call list that parses, nothing else, and no think tag of its own. */
export function checkAnswerText(text: string): TrainingTextCheck {
  if (THINK_TAG.test(text)) {
    const block = readThinkBlock(text);
    return { ok: false, problem: block.ok ? "a <think> block inside the answer" : block.problem };
  }
  const trimmed = text.trim();
  const parsed = parseCallList(trimmed);
  return parsed.ok ? parsed : { ok: false, problem: callListProblem(trimmed, parsed) };
}

/** The problem with a text that is not a call list, named the way a reviewer would say it. */
function callListProblem(text: string, parsed: Extract<ParseResult, { ok: false }>): string {
  switch (parsed.failure) {
    case "trailing-text":
      return `text after the call list: ${excerpt(text.slice(parsed.offset))}`;
    case "unclosed-list":
      return "the call list is not closed: missing ']'";
    case "syntax":
      return `the call list does not parse: ${parsed.error}`;
    case "not-a-list": {
      const tag = /<(tool_call|functioncall)>/.exec(text);
      if (tag) return `a <${tag[1]}> tag instead of a call list`;
      const call = CALL_OPENING.exec(text);
      if (call && call.index > 0) return `text before the call${call[0].startsWith("[") ? " list" : ""}: ${excerpt(text.slice(0, call.index))}`;
      if (text.startsWith("{")) return "a JSON call object outside a call list: missing '['";
      if (/^[A-Za-z_][\w.-]*\s*\(/.test(text)) return "a call outside a call list: missing '['";
      return `the answer is not a call list: ${excerpt(text)}`;
    }
  }
}

/** Stage 5's verdict on a checked text (the training text, or a CoT-less answer). */
function formatVerdict(checked: TrainingTextCheck, text: string): Verdict {
  if (!checked.ok) return ruleVerdict(5, RULE, "fail", `The training text is malformed: ${checked.problem}.`, { problem: checked.problem, text });
  const n = checked.calls.length;
  return ruleVerdict(5, RULE, "pass", `The training text is one <think> block followed by a call list of ${n} call${n === 1 ? "" : "s"}.`, {
    calls: n,
  });
}

/** Stage 5's verdict for a text (what the sample would be trained on). */
export function formatRule(text: string): Verdict {
  return formatVerdict(checkTrainingText(text), text);
}

/** Stage 5's rule verdict on a sample's answer as it stands; null when the answer is not a call (text, none). */
export function sampleFormatRule(sample: PipelineSample): Verdict | null {
  const calls = callsOf(sample);
  if (calls) return formatRule(trainingText({ cot: sample.cot, calls }));
  if (sample.answer?.kind !== "text" || !isUnparsedCall(sample)) return null;
  const { text } = sample.answer;
  return sample.cot?.trim() ? formatRule(assistantContent(sample.cot, text)) : formatVerdict(checkAnswerText(text), text);
}

export const formatStage: Stage = {
  id: 5,
  async run(sample) {
    return [sampleFormatRule(sample) ?? skipNotCalls(5, RULE, sample)];
  },
};
