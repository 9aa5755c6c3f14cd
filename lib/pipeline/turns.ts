// A conversation's assistant turns as the stages see them. Turn 1 is the sample's first exchange, as every
// single-turn sample always was. A later turn is judged with the conversation before it as its request: its
// `query` is that conversation written out (the user's messages, the assistant's earlier calls and answers, the
// tools' results), so a stage or a teacher reads what was said so far, earlier tool results included.
import type { Answer, FollowUpMessage } from "@/lib/samples/types";
import { renderCalls } from "./render";
import { callsOf } from "./stages/common";
import type { PipelineSample } from "./types";

export interface TurnView extends PipelineSample {
  /** 1 for the first answer; 2.. for the assistant turns of the follow-up, in order. */
  turn: number;
  /** Where the turn's message sits in the follow-up (absent for turn 1). */
  at?: number;
}

/** Every assistant turn of the sample, in order (one for a single exchange). */
export function turnViews(sample: PipelineSample): TurnView[] {
  const views: TurnView[] = [{ ...sample, turn: 1 }];
  const followUp = sample.followUp ?? [];
  if (!followUp.some((message) => message.role === "assistant")) return views;
  // The transcript grows one line a message, so each earlier answer is rendered once, not once per later turn.
  const lines = [`User: ${sample.query}`, `Assistant: ${answerLine(sample.answer)}`];
  followUp.forEach((message, at) => {
    if (message.role === "assistant") {
      views.push({ id: sample.id, tools: sample.tools, query: lines.join("\n"), answer: message.answer, cot: message.cot, turn: views.length + 1, at });
    }
    lines.push(transcriptLine(message));
  });
  return views;
}

/** A sample after one turn's answer and CoT were replaced, and what the repair policy cut. */
export interface TurnReplacement {
  sample: PipelineSample;
  /** The follow-up before and after, when the turn's calls changed and messages followed it. */
  cut?: { before: FollowUpMessage[]; after: FollowUpMessage[] };
}

/**
 * The sample with `turn`'s answer and CoT replaced (null when it has no such turn). The repair policy: when the
 * turn's calls change, what followed it answered calls that are no longer in the conversation, so the conversation
 * ends after the turn (its new calls end it). A new CoT with the same calls cuts nothing.
 */
export function replaceTurn(sample: PipelineSample, turn: number, content: Pick<PipelineSample, "answer" | "cot">): TurnReplacement | null {
  const view = turnViews(sample)[turn - 1];
  if (!view) return null;
  const followUp = sample.followUp ?? [];
  const replaced: PipelineSample =
    view.at === undefined
      ? { ...sample, answer: content.answer, cot: content.cot }
      : { ...sample, followUp: followUp.map((message, i) => (i === view.at ? { role: "assistant" as const, answer: content.answer, cot: content.cot } : message)) };
  const keep = view.at === undefined ? 0 : view.at + 1;
  if (sameCalls(view, { ...view, ...content }) || followUp.length <= keep) return { sample: replaced };
  const after = (replaced.followUp ?? []).slice(0, keep);
  return { sample: { ...replaced, followUp: after }, cut: { before: followUp, after } };
}

/** Whether two versions of a turn make the same calls (ids aside; a text answer that is a call list counts as its calls). */
export function sameCalls(a: PipelineSample, b: PipelineSample): boolean {
  const calls = (sample: PipelineSample) => callsOf(sample)?.map(({ name, arguments: args }) => ({ name, args })) ?? sample.answer;
  return JSON.stringify(calls(a)) === JSON.stringify(calls(b));
}

/** What a revision's reason says of a cut after `turn`. */
export function cutReason(cut: NonNullable<TurnReplacement["cut"]>, turn: number): string {
  const removed = cut.before.length - cut.after.length;
  const one = removed === 1;
  return ` The ${removed} message${one ? "" : "s"} after turn ${turn} ${one ? "was" : "were"} removed: ${one ? "it" : "they"} followed calls no longer in the conversation.`;
}

/** One message of the conversation, written out for the stages and the teacher. */
function transcriptLine(message: FollowUpMessage): string {
  if (message.role === "user") return `User: ${message.content}`;
  if (message.role === "assistant") return `Assistant: ${answerLine(message.answer)}`;
  return `Tool result${message.name ? ` (${message.name})` : ""}: ${message.content}`;
}

function answerLine(answer: Answer | null): string {
  if (!answer) return "(no answer)";
  return answer.kind === "calls" ? `calls ${renderCalls(answer.calls)}` : answer.text;
}
