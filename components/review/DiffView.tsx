"use client";

import { useId, useMemo, useState } from "react";
import { formatDateTime } from "@/components/datasets/format";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { cx } from "@/components/ui/cx";
import type { Jsonified } from "@/lib/http/json";
import { defaultPair, diffAnswers, diffStats, diffText, revisionPoints, type DiffPart, type RevisionPoint } from "@/lib/review/diff";
import type { SampleRevisionDetail } from "@/lib/samples/queries";
import type { Answer } from "@/lib/samples/types";

type RevisionRow = Jsonified<SampleRevisionDetail>;

const KIND_TONE: Record<RevisionPoint["kind"], BadgeTone> = { original: "neutral", generated: "sky", regenerated: "violet", edited: "teal" };

/** A diff as text with its additions and removals marked. */
export function Spans({ parts, className }: { parts: DiffPart[]; className?: string }) {
  if (parts.every((p) => p.change === "same" && !p.text)) return <p className="text-sm text-stone-400 italic">Empty on both sides</p>;
  return (
    <div className={cx("max-h-96 overflow-y-auto rounded-lg bg-stone-50 px-4 py-3 whitespace-pre-wrap ring-1 ring-stone-200 ring-inset break-words", className)}>
      {parts.map((p, i) =>
        p.change === "same" ? (
          <span key={i}>{p.text}</span>
        ) : p.change === "added" ? (
          <ins key={i} className="mx-px rounded-sm bg-emerald-100 px-0.5 text-emerald-900 no-underline" data-change="added">
            {p.text}
          </ins>
        ) : (
          <del key={i} className="mx-px rounded-sm bg-rose-100 px-0.5 text-rose-900 line-through decoration-rose-400" data-change="removed">
            {p.text}
          </del>
        ),
      )}
    </div>
  );
}

/** How many words a diff adds and removes. */
export function Stats({ parts, unit }: { parts: DiffPart[]; unit: string }) {
  const { added, removed } = diffStats(parts);
  if (!added && !removed) return <span className="text-xs text-stone-400">unchanged</span>;
  return (
    <span className="tabular text-xs">
      <span className="text-emerald-700">+{added}</span> <span className="text-rose-700">−{removed}</span> <span className="text-stone-400">{unit}</span>
    </span>
  );
}

/**
 * The sample's history (original, then each regeneration or edit) and a diff of any two points: the CoT word by
 * word, the calls line by line. Original vs current to start with.
 */
export function DiffView({
  current,
  revisions,
  onUse,
}: {
  current: { answer: Answer | null; cot: string | null };
  revisions: RevisionRow[];
  /** "Use this version" for an earlier point (reviewers): its key ("original" or a revision id). */
  onUse?: (key: string, label: string) => void;
}) {
  const points = useMemo(() => revisionPoints(current, revisions), [current, revisions]);
  const initial = defaultPair(points);
  const [pair, setPair] = useState<[string, string] | null>(initial);
  const fromId = useId();
  const toId = useId();
  const createdAt = new Map(revisions.map((r) => [r.id, r.createdAt]));

  if (!initial || !pair) {
    return <p className="px-5 py-6 text-sm text-stone-500">No revision yet: the answer and the chain of thought are as imported.</p>;
  }
  const from = points.find((p) => p.key === pair[0]) ?? points[0];
  const to = points.find((p) => p.key === pair[1]) ?? points[points.length - 1];
  const cotDiff = diffText(from.cot, to.cot);
  const latest = points[points.length - 1];
  const answerDiff = diffAnswers(from.answer, to.answer);

  return (
    <div className="grid gap-0 lg:grid-cols-[16rem_minmax(0,1fr)]">
      <ol className="divide-y divide-stone-100 border-b border-stone-200 lg:border-r lg:border-b-0" aria-label="History">
        {points.map((point, i) => {
          const selected = point.key === to.key;
          const at = createdAt.get(point.key);
          return (
            <li key={point.key}>
              <button
                type="button"
                onClick={() => setPair([points[Math.max(0, i - 1)].key, point.key])}
                aria-pressed={selected}
                className={cx("w-full px-4 py-2.5 text-left transition-colors", selected ? "bg-accent-50/70" : "hover:bg-stone-50")}
                data-testid="history-point"
              >
                <span className="flex items-center gap-2">
                  <Badge tone={KIND_TONE[point.kind]}>{point.label}</Badge>
                </span>
                {point.reason ? <span className="mt-1 line-clamp-2 block text-xs leading-5 text-stone-600">{point.reason}</span> : null}
                <span className="mt-0.5 block text-[11px] text-stone-400">
                  {point.author ? <span className="font-mono">{point.author}</span> : "as imported"}
                  {at ? <> · {formatDateTime(new Date(at))}</> : null}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      <div className="min-w-0 space-y-4 px-5 py-4">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <label htmlFor={fromId} className="text-stone-500">
            Compare
          </label>
          <select
            id={fromId}
            aria-label="Compare from"
            value={from.key}
            onChange={(e) => setPair([e.target.value, to.key])}
            className="h-8 rounded-md border border-stone-300 bg-white px-2 text-sm shadow-xs"
          >
            {points.map((p) => (
              <option key={p.key} value={p.key}>
                {p.label}
              </option>
            ))}
          </select>
          <label htmlFor={toId} className="text-stone-500">
            with
          </label>
          <select
            id={toId}
            aria-label="Compare with"
            value={to.key}
            onChange={(e) => setPair([from.key, e.target.value])}
            className="h-8 rounded-md border border-stone-300 bg-white px-2 text-sm shadow-xs"
          >
            {points.map((p) => (
              <option key={p.key} value={p.key}>
                {p.label}
                {p === latest ? " (current)" : ""}
              </option>
            ))}
          </select>
          {onUse && to !== latest ? (
            <button
              type="button"
              onClick={() => onUse(to.key, to.label)}
              className="ml-auto rounded-md px-2.5 py-1 text-sm font-medium text-accent-800 ring-1 ring-accent-600/30 hover:bg-accent-50"
            >
              Use this version
            </button>
          ) : null}
        </div>
        <section aria-label="Chain of thought diff" data-testid="cot-diff">
          <h3 className="mb-1.5 flex items-baseline justify-between gap-2 text-xs font-medium text-stone-500">
            Chain of thought <Stats parts={cotDiff} unit="words" />
          </h3>
          <Spans parts={cotDiff} className="text-[13px] leading-6 text-stone-800" />
        </section>
        <section aria-label="Answer diff" data-testid="answer-diff">
          <h3 className="mb-1.5 flex items-baseline justify-between gap-2 text-xs font-medium text-stone-500">
            Answer <Stats parts={answerDiff} unit="words" />
          </h3>
          <Spans parts={answerDiff} className="font-mono text-xs leading-5 text-stone-800" />
        </section>
      </div>
    </div>
  );
}
