// The review page's panels: what the model was given (query, tools, the source record) and what it answered (the
// chain of thought, the calls, a conversation's later turns, the stages' verdicts), each read-only; the editor takes
// the answer's place while it is open.
import { useMemo, type ReactNode } from "react";
import { Card, CardHeader } from "@/components/ui/Card";
import { CallList } from "./CallList";
import { ConversationThread } from "./ConversationThread";
import { CotView } from "./CotView";
import { TOOLS_OPEN_UP_TO, ToolList } from "./ToolSchema";
import type { Task, View } from "./useSampleView";
import { VerdictTimeline } from "./VerdictTimeline";

/** The query, the tools (the called ones open) and the whole source record. */
export function SampleInput({ sample }: { sample: View["sample"] }) {
  const calledNames = useMemo(() => new Set(sample.answer?.kind === "calls" ? sample.answer.calls.map((c) => c.name) : []), [sample.answer]);
  return (
    <div className="min-w-0 space-y-6">
      <Card aria-labelledby="query-title">
        <CardHeader titleId="query-title" title="Query" />
        <p className="px-5 py-4 text-[15px] leading-7 whitespace-pre-wrap text-stone-900" data-testid="query">
          {sample.query}
        </p>
      </Card>
      <Card aria-labelledby="tools-title">
        <CardHeader
          titleId="tools-title"
          title={`Tools · ${sample.tools.length}`}
          description={`Each parameter with its type, whether it is required, allowed values and default.${sample.tools.length > TOOLS_OPEN_UP_TO ? " Tools the answer does not call are folded: open one by its name." : ""}`}
        />
        <div className="px-4 py-4">
          <ToolList tools={sample.tools} calledNames={calledNames} />
        </div>
      </Card>
      {sample.sourceRecord ? (
        <Card>
          <details data-testid="source-record">
            <summary className="cursor-pointer px-5 py-3 text-sm font-semibold text-stone-800">
              Source record <span className="font-normal text-stone-500">· the whole record: it holds more than the sample has a place for</span>
            </summary>
            <pre className="max-h-96 overflow-auto border-t border-stone-100 px-5 py-4 font-mono text-xs leading-5 whitespace-pre-wrap text-stone-700">
              {JSON.stringify(sample.sourceRecord, null, 2)}
            </pre>
          </details>
        </Card>
      ) : null}
    </div>
  );
}

/**
 * The chain of thought (full height or scrolling: `cotFull`), the calls with their problems marked, a conversation's
 * later turns (`turn` is the focused one), and the stages' latest verdicts; `editor` in place of the first two.
 */
export function SampleAnswer({
  view,
  turn,
  onFocusTurn,
  activeTask,
  cotFull,
  onCotFull,
  editor,
}: {
  view: View;
  turn: number;
  onFocusTurn: (turn: number) => void;
  activeTask: Task | null;
  cotFull: boolean;
  onCotFull: (full: boolean) => void;
  editor: ReactNode;
}) {
  const sample = view.sample;
  return (
    <div className="min-w-0 space-y-6">
      {editor ?? (
        <div className={activeTask?.kind === "regenerate" ? "space-y-6 opacity-60 transition-opacity" : "space-y-6"}>
          <Card aria-labelledby="cot-title">
            <CardHeader
              titleId="cot-title"
              title="Chain of thought"
              description={sample.cot?.trim() ? `${sample.cot.trim().length.toLocaleString("en-US")} characters` : undefined}
              actions={
                sample.cot?.trim() ? (
                  <button
                    type="button"
                    aria-pressed={cotFull}
                    onClick={() => onCotFull(!cotFull)}
                    className="rounded-md px-2 py-1 text-xs font-medium text-stone-600 ring-1 ring-stone-200 hover:bg-stone-50"
                  >
                    {cotFull ? "Scroll in the panel" : "Full height"}
                  </button>
                ) : null
              }
            />
            <CotView cot={sample.cot} full={cotFull} />
          </Card>
          <Card aria-labelledby="answer-title">
            <CardHeader
              titleId="answer-title"
              title="Answer"
              description={
                sample.answer?.kind === "calls"
                  ? `${sample.answer.calls.length} call${sample.answer.calls.length === 1 ? "" : "s"}${view.highlights.length ? ` · ${view.highlights.length} problem${view.highlights.length === 1 ? "" : "s"} marked` : ""}`
                  : undefined
              }
            />
            <CallList answer={sample.answer} highlights={view.highlights} formatProblem={view.formatProblem} />
          </Card>
          {sample.followUp?.length ? (
            <ConversationThread
              followUp={sample.followUp}
              verdicts={sample.verdicts.filter((v) => v.turn > 1)}
              highlights={view.turnHighlights}
              focusedTurn={turn}
              onFocusTurn={onFocusTurn}
            />
          ) : null}
        </div>
      )}
      <Card aria-labelledby="stages-title">
        <CardHeader
          titleId="stages-title"
          title={sample.followUp?.length ? "Stages · turn 1" : "Stages"}
          description={`The latest verdicts of each stage${sample.followUp?.length ? " on the first answer (later turns: in the conversation)" : ""}; earlier rounds fold away.`}
        />
        <VerdictTimeline verdicts={sample.followUp?.length ? sample.verdicts.filter((v) => v.turn === 1) : sample.verdicts} />
      </Card>
    </div>
  );
}
