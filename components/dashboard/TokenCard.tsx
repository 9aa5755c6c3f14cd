import { formatCount } from "@/components/datasets/format";
import { Card, CardHeader } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { SparkIcon } from "@/components/ui/icons";
import { formatCost } from "@/lib/cost/prices";
import type { TokenReport } from "@/lib/dashboard/queries";
import { TOKEN_COLORS } from "./colors";
import { stageShort } from "./labels";
import { TokenChart } from "./TokenChart";

const sum = (t: { prompt: number; completion: number }) => t.prompt + t.completion;

/** What the LLM cost: the judges per stage, and judges vs teacher per recent full run. */
export function TokenCard({ tokens }: { tokens: TokenReport }) {
  const judged = tokens.stages.reduce((n, s) => n + sum(s), 0);
  const calls = tokens.stages.reduce((n, s) => n + s.calls, 0);
  const cached = tokens.stages.reduce((n, s) => n + s.cached, 0);
  const prompt = tokens.stages.reduce((n, s) => n + s.prompt, 0);
  const judgeCost = tokens.stages.reduce<number | null>((n, s) => (n === null || s.cost === null ? null : n + s.cost), 0);
  return (
    <Card aria-labelledby="tokens-title" className="flex flex-col">
      <CardHeader
        titleId="tokens-title"
        title="LLM token usage"
        description={
          judged
            ? `${formatCount(judged)} judge tokens over ${formatCount(calls)} LLM verdicts; ${prompt ? Math.round((100 * cached) / prompt) : 0}% of their prompt tokens came from the server's prefix cache${judgeCost === null ? "" : `; about ${formatCost(judgeCost)}`}. The teacher writes CoTs and regenerated answers.`
            : undefined
        }
      />
      {judged || tokens.runs.length ? (
        <div className="space-y-5 px-5 py-5">
          {judged ? (
            <figure aria-label="Judge tokens per stage">
              <TokenChart rows={tokens.stages.map((s) => ({ label: `${s.stage} · ${stageShort(s.stage)}`, prompt: s.prompt, completion: s.completion }))} />
              <figcaption className="mt-2 flex gap-4 pl-12 text-xs text-stone-500">
                <span className="inline-flex items-center gap-1.5">
                  <span aria-hidden className="size-2 rounded-sm" style={{ background: TOKEN_COLORS.prompt }} />
                  Prompt
                </span>
                <span className="inline-flex items-center gap-1.5">
                  <span aria-hidden className="size-2 rounded-sm" style={{ background: TOKEN_COLORS.completion }} />
                  Completion
                </span>
              </figcaption>
            </figure>
          ) : null}
          {tokens.runs.length ? (
            <table className="w-full text-left text-sm" aria-label="Tokens per recent full run">
              <thead className="border-b border-stone-200 text-xs text-stone-500">
                <tr>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Full run
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Judges
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Teacher
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Total
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Cached
                  </th>
                  <th scope="col" className="py-2 pl-3 text-right font-medium">
                    Est. cost
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {tokens.runs.map((run) => (
                  <tr key={run.id} data-testid="token-run" data-run={run.id}>
                    <th scope="row" className="py-2 pr-3 font-normal">
                      <span className="font-medium text-stone-800">#{run.id}</span>
                      <span className="ml-1.5 text-xs text-stone-500">{run.dataset}</span>
                    </th>
                    <td className="tabular px-3 py-2 text-right text-stone-700">{formatCount(sum(run.judge))}</td>
                    <td className="tabular px-3 py-2 text-right text-stone-700">{formatCount(Math.max(0, sum(run.total) - sum(run.judge)))}</td>
                    <td className="tabular px-3 py-2 text-right font-medium text-stone-900">{formatCount(sum(run.total))}</td>
                    <td className="tabular px-3 py-2 text-right text-stone-700">{formatCount(run.total.cached)}</td>
                    <td className="tabular py-2 pl-3 text-right text-stone-700" data-cell="cost">
                      {run.cost === null ? <span className="text-stone-400" title="A model of this run has no price in Settings">—</span> : formatCost(run.cost)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : (
        <EmptyState icon={<SparkIcon />} title="No LLM tokens yet" className="flex-1">
          Rules-only runs use none. A full run records every judge&apos;s and the teacher&apos;s tokens.
        </EmptyState>
      )}
    </Card>
  );
}
