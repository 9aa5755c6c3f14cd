// The conversation after the first answer, as a thread: tool results folded (JSON pretty-printed), the user's
// further requests, and each later assistant turn with its CoT, its calls and its own stage outcomes.
import { Card, CardHeader } from "@/components/ui/Card";
import type { Jsonified } from "@/lib/http/json";
import type { ArgumentHighlight } from "@/lib/review/highlights";
import type { SampleVerdict } from "@/lib/samples/queries";
import type { Answer, FollowUpMessage } from "@/lib/samples/types";
import { CallList } from "./CallList";
import { CotView } from "./CotView";
import { VerdictStrip } from "./VerdictTimeline";

type VerdictRow = Jsonified<SampleVerdict>;

/** The answer and CoT of a conversation's `turn` (1: the sample's own), or null when it has no such turn. */
export function turnOf(sample: { answer: Answer | null; cot: string | null; followUp?: FollowUpMessage[] }, turn: number): { answer: Answer | null; cot: string | null } | null {
  if (turn === 1) return { answer: sample.answer, cot: sample.cot };
  const message = (sample.followUp ?? []).filter((m) => m.role === "assistant")[turn - 2];
  return message?.role === "assistant" ? { answer: message.answer, cot: message.cot } : null;
}

export function ConversationThread({
  followUp,
  verdicts,
  highlights,
  focusedTurn,
  onFocusTurn,
}: {
  followUp: FollowUpMessage[];
  verdicts: VerdictRow[];
  /** Each later turn's problems, argument by argument (ReviewView.turnHighlights). */
  highlights: Record<number, ArgumentHighlight[]>;
  /** The turn that edit, regenerate and the revisions act on (`[` and `]` move it). */
  focusedTurn: number;
  onFocusTurn: (turn: number) => void;
}) {
  let turn = 1;
  const turns = 1 + followUp.filter((message) => message.role === "assistant").length;
  return (
    <Card aria-labelledby="conversation-title">
      <CardHeader
        titleId="conversation-title"
        title={`Conversation · ${turns} turns`}
        description="What follows the first answer: tool results, the user's further requests and the assistant's later turns, each judged with the conversation before it. [ and ] move between turns; edit, regenerate and the revisions act on the focused one."
      />
      <ol className="divide-y divide-stone-100" data-testid="conversation">
        {followUp.map((message, i) => {
          if (message.role === "assistant") turn++;
          return (
            <li
              key={i}
              className={message.role === "assistant" && turn === focusedTurn ? "bg-teal-50/60 px-5 py-3 ring-2 ring-teal-500 ring-inset" : "px-5 py-3"}
              data-role={message.role}
              data-turn={message.role === "assistant" ? turn : undefined}
              data-focused={message.role === "assistant" && turn === focusedTurn ? true : undefined}
            >
              <Message message={message} turn={turn} verdicts={verdicts.filter((v) => v.turn === turn)} highlights={highlights[turn] ?? []} onFocus={onFocusTurn} />
            </li>
          );
        })}
      </ol>
    </Card>
  );
}

function Message({
  message,
  turn,
  verdicts,
  highlights,
  onFocus,
}: {
  message: FollowUpMessage;
  turn: number;
  verdicts: VerdictRow[];
  highlights: ArgumentHighlight[];
  onFocus: (turn: number) => void;
}) {
  if (message.role === "user") {
    return (
      <>
        <p className="text-xs font-semibold tracking-wide text-stone-500 uppercase">User</p>
        <p className="mt-1 text-[15px] leading-7 whitespace-pre-wrap text-stone-900">{message.content}</p>
      </>
    );
  }
  if (message.role === "tool") {
    return (
      <details>
        <summary className="cursor-pointer text-xs font-semibold tracking-wide text-stone-500 uppercase">
          Tool result{message.name ? ` · ${message.name}` : ""}
          {message.callId ? <span className="ml-1 font-normal normal-case text-stone-400">for call {message.callId}</span> : null}
        </summary>
        <pre className="mt-2 max-h-72 overflow-auto rounded-md bg-stone-50 p-3 font-mono text-xs leading-5 whitespace-pre-wrap text-stone-700">{pretty(message.content)}</pre>
      </details>
    );
  }
  return (
    <section aria-label={`Assistant, turn ${turn}`} className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <button type="button" onClick={() => onFocus(turn)} className="text-xs font-semibold tracking-wide text-stone-500 uppercase hover:text-teal-700">
          Assistant · turn {turn}
        </button>
        {verdicts.length ? <VerdictStrip verdicts={verdicts} /> : <span className="text-xs text-stone-400">not judged yet</span>}
      </div>
      {message.cot?.trim() ? (
        <details className="rounded-md ring-1 ring-stone-200">
          <summary className="cursor-pointer px-3 py-1.5 text-xs text-stone-600">
            Chain of thought · <span className="text-stone-500">{firstLine(message.cot)}</span>
          </summary>
          <CotView cot={message.cot} />
        </details>
      ) : null}
      <div className="-mx-5">
        <CallList answer={message.answer} highlights={highlights} />
      </div>
      {verdicts.some((v) => v.outcome === "fail" || v.outcome === "error") ? (
        <ul className="space-y-1 text-xs text-rose-800">
          {verdicts
            .filter((v) => v.outcome === "fail" || v.outcome === "error")
            .map((v) => (
              <li key={v.id}>
                Stage {v.stage} ({v.decidedBy}): {v.reason}
              </li>
            ))}
        </ul>
      ) : null}
    </section>
  );
}

/** JSON pretty-printed; anything else as written. */
function pretty(content: string): string {
  try {
    return JSON.stringify(JSON.parse(content), null, 2);
  } catch {
    return content;
  }
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0];
  return line.length > 90 ? `${line.slice(0, 90)}…` : line;
}
