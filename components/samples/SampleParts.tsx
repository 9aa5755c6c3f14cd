import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { cx } from "@/components/ui/cx";
import { renderCalls } from "@/lib/pipeline/render";
import type { Answer } from "@/lib/samples/types";

export const PRE = "overflow-x-auto rounded-lg bg-stone-50 px-4 py-3 font-mono text-xs leading-5 whitespace-pre-wrap break-words text-stone-800 ring-1 ring-inset ring-stone-200";

/** An answer as text: calls the way BFCL writes them, or the plain text. */
export function answerText(answer: Answer | null): string | null {
  if (!answer) return null;
  return answer.kind === "calls" ? renderCalls(answer.calls) : answer.text;
}

export function TextBlock({ text, empty, className, label }: { text: string | null; empty: string; className?: string; label?: string }) {
  if (text === null || text === "") return <p className="text-sm text-stone-400 italic">{empty}</p>;
  return (
    <pre aria-label={label} className={cx(PRE, className)}>
      {text}
    </pre>
  );
}

/** The five stages' names, as the paper calls them. */
export const STAGE_NAMES: Record<number, string> = {
  1: "Function call classification",
  2: "Query & tool identification",
  3: "CoT identification",
  4: "Function & parameter identification",
  5: "Format identification",
};

const OUTCOME_TONE: Record<string, BadgeTone> = { pass: "green", fail: "rose", skip: "neutral", error: "amber" };

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <Badge tone={OUTCOME_TONE[outcome] ?? "neutral"} dot>
      {outcome}
    </Badge>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-stone-500">{label}</dt>
      <dd className="mt-0.5 text-sm text-stone-900">{children}</dd>
    </div>
  );
}
