// The conversation after the first answer, as a thread: tool results folded (JSON pretty-printed), the user's
// further requests, and each later assistant turn with its CoT, its calls and its own stage outcomes.
import { Card, CardHeader } from "@/components/ui/Card";
import type { Jsonified } from "@/lib/http/json";
import type { SampleVerdict } from "@/lib/samples/queries";
import type { FollowUpMessage } from "@/lib/samples/types";
import { CallList } from "./CallList";
import { CotView } from "./CotView";
import { VerdictStrip } from "./VerdictTimeline";

type VerdictRow = Jsonified<SampleVerdict>;

export function ConversationThread({ followUp, verdicts }: { followUp: FollowUpMessage[]; verdicts: VerdictRow[] }) {
  let turn = 1;
  const turns = 1 + followUp.filter((message) => message.role === "assistant").length;
  return (
    <Card aria-labelledby="conversation-title">
      <CardHeader
        titleId="conversation-title"
        title={`Conversation · ${turns} turns`}
        description="What follows the first answer: tool results, the user's further requests and the assistant's later turns, each judged with the conversation before it."
      />
      <ol className="divide-y divide-stone-100" data-testid="conversation">
        {followUp.map((message, i) => {
          if (message.role === "assistant") turn++;
          return (
            <li key={i} className="px-5 py-3" data-role={message.role} data-turn={message.role === "assistant" ? turn : undefined}>
              <Message message={message} turn={turn} verdicts={verdicts.filter((v) => v.turn === turn)} />
            </li>
          );
        })}
      </ol>
    </Card>
  );
}

function Message({ message, turn, verdicts }: { message: FollowUpMessage; turn: number; verdicts: VerdictRow[] }) {
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
        <p className="text-xs font-semibold tracking-wide text-stone-500 uppercase">Assistant · turn {turn}</p>
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
        <CallList answer={message.answer} highlights={[]} />
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
