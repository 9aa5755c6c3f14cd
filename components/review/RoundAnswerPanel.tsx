"use client";

// A self-refinement round's answer on the review page: the source's reference answer beside the model's, and the
// diff from one to the other, with the agreement check's verdict (lib/rounds/agreement.ts).
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/Badge";
import { Card, CardHeader } from "@/components/ui/Card";
import type { Jsonified } from "@/lib/http/json";
import { answerAsText, diffAnswers } from "@/lib/review/diff";
import type { RoundAnswerView } from "@/lib/rounds/rounds";
import type { Answer } from "@/lib/samples/types";
import { Spans, Stats } from "./DiffView";

export function RoundAnswerPanel({ round, answer }: { round: Jsonified<RoundAnswerView>; answer: Answer | null }) {
  const diff = useMemo(() => diffAnswers(round.reference, answer), [round.reference, answer]);
  const verdict =
    round.agrees === null ? <Badge tone="neutral">no reference</Badge> : round.agrees ? <Badge tone="green" dot>agrees with the reference</Badge> : <Badge tone="rose" dot>differs from the reference</Badge>;
  return (
    <Card aria-labelledby="round-answer-title" className="mt-6" data-testid="round-answer">
      <CardHeader
        titleId="round-answer-title"
        title={
          <span className="flex flex-wrap items-center gap-2">
            Round {round.roundNumber} answer · {round.model} {verdict}
          </span>
        }
        description={
          <>
            The policy model answered the query and tools of{" "}
            <Link href={`/samples/${round.sourceSampleId}`} className="font-medium text-accent-700 hover:underline">
              sample #{round.sourceSampleId}
            </Link>
            {round.sampleNumber > 1 ? ` (its answer ${round.sampleNumber})` : ""} without seeing the reference.{round.reason ? ` ${round.reason}.` : ""}
          </>
        }
      />
      <div className="grid gap-4 px-5 py-5 md:grid-cols-2">
        <section aria-label="Reference answer">
          <h3 className="mb-1.5 text-xs font-medium text-stone-500">Reference answer</h3>
          <pre className="max-h-72 overflow-auto rounded-lg bg-stone-50 px-4 py-3 text-xs ring-1 ring-stone-200 ring-inset" data-testid="round-reference">
            {round.reference ? answerAsText(round.reference) : "The source sample has no reference answer."}
          </pre>
        </section>
        <section aria-label="The model's answer">
          <h3 className="mb-1.5 text-xs font-medium text-stone-500">The model&apos;s answer (as it stands now)</h3>
          <pre className="max-h-72 overflow-auto rounded-lg bg-stone-50 px-4 py-3 text-xs ring-1 ring-stone-200 ring-inset" data-testid="round-model-answer">
            {answerAsText(answer)}
          </pre>
        </section>
        <section className="md:col-span-2" aria-label="Reference to model diff">
          <h3 className="mb-1.5 flex items-center gap-3 text-xs font-medium text-stone-500">
            From the reference to the model&apos;s answer <Stats parts={diff} unit="words" />
          </h3>
          <Spans parts={diff} className="font-mono text-xs" />
        </section>
      </div>
    </Card>
  );
}
