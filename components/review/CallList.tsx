import { Fragment } from "react";
import { Badge } from "@/components/ui/Badge";
import { cx } from "@/components/ui/cx";
import { pythonLiteral } from "@/lib/pipeline/render";
import { HIGHLIGHT_LABEL, type ArgumentHighlight } from "@/lib/review/highlights";
import type { Answer, ToolCall } from "@/lib/samples/types";

/** The notes under a marked line: what is wrong, and who says so. */
function Notes({ highlights }: { highlights: ArgumentHighlight[] }) {
  return highlights.map((h, i) => (
    <span
      key={i}
      className="mt-1 mb-1.5 ml-4 flex flex-wrap items-baseline gap-x-2 gap-y-0.5 font-sans text-xs leading-5 whitespace-normal text-rose-900"
      data-testid="highlight-note"
    >
      <Badge tone={h.kind === "hallucinated" ? "amber" : "rose"}>{HIGHLIGHT_LABEL[h.kind]}</Badge>
      <span>
        {h.path ? <code className="mr-1 font-mono text-[11px]">{h.path}:</code> : null}
        {h.message}
      </span>
      <span className="text-[11px] text-stone-400">{h.decidedBy.startsWith("rule:") ? "rule" : h.decidedBy}</span>
    </span>
  ));
}

const MARKED = "-mx-4 block border-l-2 px-[calc(1rem-2px)]";
const toneOf = (highlights: ArgumentHighlight[]) =>
  highlights.every((h) => h.kind === "hallucinated") ? "border-amber-400 bg-amber-50/70" : "border-rose-400 bg-rose-50/70";

/** One call, Python-style, one argument per line; marked lines carry their notes. */
function CallBlock({ call, index, highlights }: { call: ToolCall; index: number; highlights: ArgumentHighlight[] }) {
  const onCall = highlights.filter((h) => h.argument === null);
  const byArgument = (name: string) => highlights.filter((h) => h.argument === name);
  const entries = Object.entries(call.arguments);
  const missing = highlights.filter((h) => h.kind === "missing_required" && h.argument !== null && !Object.hasOwn(call.arguments, h.argument));
  const inline = entries.length === 0 && missing.length === 0;
  return (
    <div data-call={index} className="py-1">
      <span className={cx(onCall.length ? cx(MARKED, toneOf(onCall)) : "block")} data-highlight={onCall[0]?.kind}>
        <span className="font-semibold text-stone-900">{call.name}</span>
        <span className="text-stone-400">{inline ? "()" : "("}</span>
        {onCall.length ? <Notes highlights={onCall} /> : null}
      </span>
      {entries.map(([name, value]) => {
        const marks = byArgument(name);
        return (
          <span
            key={name}
            data-argument={name}
            data-highlight={marks[0]?.kind}
            className={cx(marks.length ? cx(MARKED, toneOf(marks)) : "block")}
          >
            {"  "}
            <span className={cx(marks.length ? "font-semibold text-rose-900" : "text-sky-800")}>{name}</span>
            <span className="text-stone-400">=</span>
            <span className="text-stone-800">{pythonLiteral(value)}</span>
            <span className="text-stone-400">,</span>
            {marks.length ? <Notes highlights={marks} /> : null}
          </span>
        );
      })}
      {missing.map((h) => (
        <span key={`missing-${h.argument}`} data-argument={h.argument!} data-highlight="missing_required" className={cx(MARKED, "border-rose-400 bg-rose-50/70")}>
          {"  "}
          <span className="text-rose-800 italic">{h.argument}=…</span>
          <Notes highlights={[h]} />
        </span>
      ))}
      {inline ? null : <span className="block text-stone-400">)</span>}
    </div>
  );
}

/**
 * The answer: calls pretty-printed (one argument per line) with the stage-4 problems marked on the exact argument
 * and explained next to it; or the text of a text answer. A text answer that is a call that does not parse
 * (`formatProblem`, see lib/review/sample-view.ts) is shown as such, with stage 5's problem, never as plain text.
 */
export function CallList({ answer, highlights, formatProblem = null }: { answer: Answer | null; highlights: ArgumentHighlight[]; formatProblem?: string | null }) {
  if (!answer) return <p className="px-5 py-6 text-sm text-stone-400 italic">No reference answer yet: a full run asks the teacher for one.</p>;
  if (answer.kind === "text") {
    return (
      <div className="px-5 py-4">
        {formatProblem ? (
          <p className="mb-1.5 text-[11px] font-semibold tracking-wide text-rose-700 uppercase">A call that does not parse</p>
        ) : (
          <p className="mb-1.5 text-[11px] font-semibold tracking-wide text-sky-700 uppercase">Text answer</p>
        )}
        <p className={cx("leading-6 whitespace-pre-wrap text-stone-800", formatProblem ? "font-mono text-[13px]" : "text-[14px]")}>{answer.text}</p>
        {formatProblem ? (
          <p className="mt-2 flex flex-wrap items-baseline gap-x-2 text-xs leading-5 text-rose-900" data-testid="format-problem">
            <Badge tone="rose">Stage 5 · Format</Badge>
            <span>{formatProblem}</span>
          </p>
        ) : null}
      </div>
    );
  }
  if (!answer.calls.length) return <p className="px-5 py-6 text-sm text-stone-400 italic">An empty call list.</p>;
  return (
    <pre className="overflow-x-auto px-4 py-3 font-mono text-[13px] leading-6 whitespace-pre-wrap break-words" data-testid="calls">
      {answer.calls.map((call, i) => (
        <Fragment key={i}>
          {i > 0 ? <span className="my-1 block border-t border-dashed border-stone-200" aria-hidden /> : null}
          <CallBlock call={call} index={i} highlights={highlights.filter((h) => h.call === i)} />
        </Fragment>
      ))}
    </pre>
  );
}
