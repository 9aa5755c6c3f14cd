// Inter-annotator agreement (datasets with several reviewers per sample): overall, then per pair of reviewers.
import { formatCount } from "@/components/datasets/format";
import { Card, CardHeader } from "@/components/ui/Card";
import type { InterAnnotatorAgreement } from "@/lib/dashboard/inter-annotator";
import { rateText } from "@/lib/dashboard/funnel";

/** Kappa with two decimals, or a dash with why when chance explains every agreement. */
function kappaText(kappa: number | null): string {
  return kappa === null ? "—" : kappa.toFixed(2);
}

const NO_KAPPA = "No kappa: every vote was the same decision, so agreement says nothing beyond chance.";

export function AnnotatorAgreementCard({ agreement }: { agreement: InterAnnotatorAgreement }) {
  return (
    <Card aria-labelledby="iaa-title">
      <CardHeader
        titleId="iaa-title"
        title="Inter-annotator agreement"
        description="Samples decided independently by several reviewers (a dataset's reviewers per sample): how often they all decided the same, and the same corrected for chance (Fleiss' kappa overall, Cohen's per pair)."
      />
      <dl className="grid grid-cols-3 divide-x divide-stone-100 border-b border-stone-100" data-testid="iaa-summary">
        <div className="px-5 py-3">
          <dt className="text-xs text-stone-500">Samples with ≥ 2 reviews</dt>
          <dd className="tabular text-xl font-semibold text-stone-900" data-testid="iaa-items">
            {formatCount(agreement.items)}
          </dd>
        </div>
        <div className="px-5 py-3">
          <dt className="text-xs text-stone-500">All agree</dt>
          <dd className="tabular text-xl font-semibold text-stone-900" data-testid="iaa-agreement">
            {agreement.agreement === null ? "—" : rateText(agreement.agreement)}
          </dd>
        </div>
        <div className="px-5 py-3">
          <dt className="text-xs text-stone-500">Fleiss&rsquo; kappa</dt>
          <dd className="tabular text-xl font-semibold text-stone-900" data-testid="iaa-kappa" title={agreement.kappa === null && agreement.items ? NO_KAPPA : undefined}>
            {kappaText(agreement.kappa)}
          </dd>
        </div>
      </dl>
      <table className="w-full text-left text-sm" aria-label="Agreement per pair of reviewers">
        <thead className="border-b border-stone-200 bg-stone-50/70 text-xs text-stone-500">
          <tr>
            <th scope="col" className="py-2 pr-3 pl-5 font-medium">
              Reviewers
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Samples
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Agree
            </th>
            <th scope="col" className="py-2 pr-5 pl-3 text-right font-medium">
              Cohen&rsquo;s kappa
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {agreement.pairs.map((pair) => (
            <tr key={`${pair.a} ${pair.b}`} data-testid="iaa-pair">
              <th scope="row" className="max-w-0 truncate py-2 pr-3 pl-5 font-normal text-stone-700" title={`${pair.a} and ${pair.b}`}>
                {pair.a} · {pair.b}
              </th>
              <td className="tabular px-3 py-2 text-right text-stone-700">{formatCount(pair.items)}</td>
              <td className="tabular px-3 py-2 text-right font-semibold text-stone-900">{rateText(pair.agreement)}</td>
              <td className="tabular py-2 pr-5 pl-3 text-right text-stone-700" title={pair.kappa === null ? NO_KAPPA : undefined}>
                {kappaText(pair.kappa)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
