// A conversation's assistant turns as the stages see them. Turn 1 is the sample's first exchange, as every
// single-turn sample always was. A later turn is judged with the conversation before it as its request: its
// `query` is that conversation written out (the user's messages, the assistant's earlier calls and answers, the
// tools' results), so a stage or a teacher reads what was said so far, earlier tool results included.
import type { Answer, FollowUpMessage } from "@/lib/samples/types";
import { renderCalls } from "./render";
import type { PipelineSample } from "./types";

export interface TurnView extends PipelineSample {
  /** 1 for the first answer; 2.. for the assistant turns of the follow-up, in order. */
  turn: number;
  /** Where the turn's message sits in the follow-up (absent for turn 1). */
  at?: number;
}

/** Every assistant turn of the sample, in order (one for a single exchange). */
export function turnViews(sample: PipelineSample): TurnView[] {
  const first: TurnView = { ...sample, turn: 1 };
  const views = [first];
  const followUp = sample.followUp ?? [];
  followUp.forEach((message, at) => {
    if (message.role !== "assistant") return;
    views.push({
      id: sample.id,
      tools: sample.tools,
      query: transcript(sample, followUp.slice(0, at)),
      answer: message.answer,
      cot: message.cot,
      turn: views.length + 1,
      at,
    });
  });
  return views;
}

/** The conversation up to a later turn, written out for the stages and the teacher. */
function transcript(sample: PipelineSample, before: readonly FollowUpMessage[]): string {
  const lines = [`User: ${sample.query}`, `Assistant: ${answerLine(sample.answer)}`];
  for (const message of before) {
    if (message.role === "user") lines.push(`User: ${message.content}`);
    else if (message.role === "assistant") lines.push(`Assistant: ${answerLine(message.answer)}`);
    else lines.push(`Tool result${message.name ? ` (${message.name})` : ""}: ${message.content}`);
  }
  return lines.join("\n");
}

function answerLine(answer: Answer | null): string {
  if (!answer) return "(no answer)";
  return answer.kind === "calls" ? `calls ${renderCalls(answer.calls)}` : answer.text;
}
