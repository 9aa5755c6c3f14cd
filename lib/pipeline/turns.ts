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
