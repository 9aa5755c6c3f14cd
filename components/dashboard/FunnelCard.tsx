import { formatCount } from "@/components/datasets/format";
import { Card, CardHeader } from "@/components/ui/Card";
import { cx } from "@/components/ui/cx";
import { percent, type Funnel, type FunnelEnd, type FunnelPool, type FunnelStage } from "@/lib/dashboard/funnel";
import { END_COLORS, OUTCOME_COLORS } from "./colors";
import { FunnelChart, type FunnelRow } from "./FunnelChart";
import { stageShort } from "./labels";

const END_ITEMS: Array<{ key: keyof FunnelEnd; label: string; help: string }> = [
  { key: "saved", label: "Saved calls", help: "Passed every stage, or approved by a reviewer: the refined set's call samples" },
  { key: "text", label: "Text answers", help: "No call fits the query: saved as a text sample" },
  { key: "flagged", label: "Flagged", help: "Waiting for a reviewer" },
  { key: "discarded", label: "Discarded", help: "Dropped by a stage or a reviewer" },
  { key: "pending", label: "Pending", help: "Not through a full run yet" },
];

const OUTCOME_LEGEND = [
  { label: "Passed", color: OUTCOME_COLORS.pass },
  { label: "Failed", color: OUTCOME_COLORS.fail },
  { label: "Error", color: OUTCOME_COLORS.error },
  { label: "Skipped", color: OUTCOME_COLORS.skip },
];

export function FunnelCard({ funnel }: { funnel: Funnel }) {
  const rows: FunnelRow[] = [
    { label: "Imported", imported: funnel.imported, pass: 0, fail: 0, error: 0, skip: 0 },
    ...funnel.stages.map((s) => ({ label: `${s.stage} · ${stageShort(s.stage)}`, imported: 0, pass: s.pass, fail: s.fail, error: s.error, skip: s.skip })),
  ];
  return (
    <Card aria-labelledby="funnel-title">
      <CardHeader
        titleId="funnel-title"
        title="Pipeline funnel"
        description="Where the imported samples stand now, and how each stage ended for the samples it looked at (the latest verdict)."
      />
      <div className="space-y-7 px-5 py-5">
        <EndBar end={funnel.end} imported={funnel.imported} refined={funnel.refined} />
        <div className="grid gap-x-8 gap-y-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
          <figure aria-label="Samples per stage, by outcome" className="min-w-0">
            <FunnelChart rows={rows} />
            <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 pl-2 text-xs text-stone-500">
              {OUTCOME_LEGEND.map((item) => (
                <span key={item.label} className="inline-flex items-center gap-1.5">
                  <span aria-hidden className="size-2 rounded-sm" style={{ background: item.color }} />
                  {item.label}
                </span>
              ))}
            </figcaption>
          </figure>
          <StageTable imported={funnel.imported} stages={funnel.stages} pool={funnel.pool} />
        </div>
      </div>
    </Card>
  );
}

function EndBar({ end, imported, refined }: { end: FunnelEnd; imported: number; refined: number }) {
  return (
    <div>
      <h3 className="mb-2 flex flex-wrap items-baseline justify-between gap-2 text-sm font-semibold text-stone-900">
        Where samples stand
        <span className="text-xs font-normal text-stone-500" data-testid="funnel-refined" data-count={refined}>
          Refined set (what an export writes: saved calls and text answers):{" "}
          <span className="tabular font-semibold text-stone-900">{formatCount(refined)}</span> · {percent(refined, imported)}
        </span>
      </h3>
      <div className="flex h-2.5 w-full overflow-hidden rounded-full bg-stone-100" aria-hidden>
        {END_ITEMS.filter((item) => end[item.key] > 0).map((item) => (
          <span key={item.key} className="h-full" style={{ width: `${(end[item.key] / imported) * 100}%`, background: END_COLORS[item.key] }} />
        ))}
      </div>
      <ul className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-5" aria-label="Samples by where they stand">
        {END_ITEMS.map((item) => (
          <li key={item.key} data-testid="funnel-end" data-status={item.key} data-count={end[item.key]} title={item.help}>
            <div className="flex items-center gap-1.5 text-xs text-stone-500">
              <span aria-hidden className="size-2 rounded-full" style={{ background: END_COLORS[item.key] }} />
              {item.label}
            </div>
            <div className="mt-0.5 flex items-baseline gap-1.5">
              <span className="tabular text-lg font-semibold text-stone-900">{formatCount(end[item.key])}</span>
              <span className="tabular text-xs text-stone-400">{percent(end[item.key], imported)}</span>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function StageTable({ imported, stages, pool }: { imported: number; stages: FunnelStage[]; pool: FunnelPool }) {
  const cell = (n: number, tone?: string) => <td className={cx("tabular px-2 py-2 text-right", n === 0 ? "text-stone-300" : tone ?? "text-stone-800")}>{formatCount(n)}</td>;
  return (
    <table className="w-full self-start text-left text-sm" aria-label="Samples per stage and outcome">
      <thead className="border-b border-stone-200 text-xs text-stone-500">
        <tr>
          <th scope="col" className="py-2 pr-2 font-medium">
            Step
          </th>
          <th scope="col" className="px-2 py-2 text-right font-medium">
            Samples
          </th>
          <th scope="col" className="px-2 py-2 text-right font-medium">
            Passed
          </th>
          <th scope="col" className="px-2 py-2 text-right font-medium">
            Failed
          </th>
          <th scope="col" className="px-2 py-2 text-right font-medium">
            Error
          </th>
          <th scope="col" className="py-2 pl-2 text-right font-medium">
            Pass rate
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-stone-100">
        <tr data-testid="funnel-imported" data-count={imported}>
          <th scope="row" className="py-2 pr-2 font-normal text-stone-700">
            Imported
          </th>
          {cell(imported)}
          <td colSpan={4} />
        </tr>
        {stages.map((s) => (
          <tr key={s.stage} data-testid="funnel-stage" data-stage={s.stage} data-reached={s.reached} data-pass={s.pass} data-fail={s.fail} data-error={s.error}>
            <th scope="row" className="py-2 pr-2 font-normal text-stone-700" title={s.name}>
              <span className="tabular mr-1.5 text-stone-400">{s.stage}</span>
              {stageShort(s.stage)}
            </th>
            {cell(s.reached)}
            {cell(s.pass)}
            {cell(s.fail, "text-rose-700")}
            {cell(s.error, "text-amber-700")}
            <td className="tabular py-2 pl-2 text-right text-stone-500">{percent(s.pass, s.reached)}</td>
          </tr>
        ))}
        {pool.entered > 0 ? (
          // v3 runs: the samples a stage 4/5 fail sent to the hard-data pool; passed = rescued, failed = dropped.
          <tr data-testid="funnel-pool" data-entered={pool.entered} data-rescued={pool.rescued} data-dropped={pool.dropped} data-flagged={pool.flagged}>
            <th scope="row" className="py-2 pr-2 font-normal text-stone-700" title="v3 runs: a stage 4 or 5 fail sent the sample to the hard-data pool; passed = rescued by a candidate, failed = dropped, error = flagged">
              <span className="tabular mr-1.5 text-stone-400">↳</span>
              Hard-data pool
            </th>
            {cell(pool.entered)}
            {cell(pool.rescued)}
            {cell(pool.dropped, "text-rose-700")}
            {cell(pool.flagged, "text-amber-700")}
            <td className="tabular py-2 pl-2 text-right text-stone-500">{percent(pool.rescued, pool.entered)}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
