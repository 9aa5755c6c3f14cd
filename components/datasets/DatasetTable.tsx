import { Badge, TONE_FILL } from "@/components/ui/Badge";
import { cx } from "@/components/ui/cx";
import { STATUS_LABEL, STATUS_TONE, StatusBadge } from "@/components/ui/StatusBadge";
import type { DatasetSummary, LastImport } from "@/lib/datasets/queries";
import type { FormatOption } from "@/lib/formats";
import { SAMPLE_STATUSES } from "@/lib/samples/types";
import { DatasetActions } from "./DatasetActions";
import { ExportLinks } from "./ExportLinks";
import { GuidelinesButton } from "./GuidelinesDialog";
import { formatCount, formatDateTime } from "./format";

/**
 * `canExport`: the export links (admins; the export route checks the role again), one per format in `exportFormats`.
 * `canManage`: rename and delete (admins). `canWriteGuidelines`: write the dataset's reviewing guidelines (admins).
 */
export function DatasetTable({
  datasets,
  canExport,
  canManage,
  canWriteGuidelines,
  exportFormats,
}: {
  datasets: DatasetSummary[];
  canExport: boolean;
  canManage: boolean;
  canWriteGuidelines: boolean;
  exportFormats: FormatOption[];
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[52rem] table-fixed text-left text-sm">
        <caption className="sr-only">Datasets with sample counts per status, last import and export links</caption>
        <colgroup>
          <col className="w-[22%]" />
          <col />
          <col className="w-[21%]" />
          <col className="w-56" />
        </colgroup>
        <thead className="border-b border-stone-200 bg-stone-50/70 text-xs text-stone-500">
          <tr>
            <th scope="col" className="py-2.5 pr-4 pl-5 font-medium">
              Dataset
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Samples by status
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Last import
            </th>
            <th scope="col" className="py-2.5 pr-5 pl-4 font-medium">
              Export
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {datasets.map((dataset) => (
            <tr key={dataset.id} data-dataset={dataset.name} className="align-top">
              <th scope="row" className="py-4 pr-4 pl-5 font-normal">
                <div className="truncate font-medium text-stone-900" title={dataset.name}>
                  {dataset.name}
                </div>
                {dataset.description ? (
                  <div className="mt-0.5 line-clamp-2 text-xs leading-5 text-stone-500">{dataset.description}</div>
                ) : null}
                <div className="mt-1 text-xs text-stone-400">
                  Created <time dateTime={dataset.createdAt.toISOString()}>{formatDateTime(dataset.createdAt)}</time>
                  {dataset.reviewsPerSample > 1 ? <> · {dataset.reviewsPerSample} reviewers per sample</> : null}
                </div>
                {canManage || canWriteGuidelines ? (
                  // Tight: four actions share a narrow column (two to a line at 1280 px).
                  <div className="mt-2 -ml-1.5 flex flex-wrap gap-x-0.5 [&>button]:px-1.5">
                    {canWriteGuidelines ? <GuidelinesButton name={dataset.name} /> : null}
                    {canManage ? <DatasetActions name={dataset.name} total={dataset.total} reviewsPerSample={dataset.reviewsPerSample} /> : null}
                  </div>
                ) : null}
              </th>
              <td className="px-4 py-4">
                <StatusBreakdown dataset={dataset} />
              </td>
              <td className="px-4 py-4">
                <LastImportCell job={dataset.lastImport} />
              </td>
              <td className="py-4 pr-5 pl-4">
                {canExport ? <ExportLinks dataset={dataset.name} counts={dataset.counts} formats={exportFormats} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StatusBreakdown({ dataset }: { dataset: DatasetSummary }) {
  const present = SAMPLE_STATUSES.filter((status) => dataset.counts[status] > 0);
  const absent = SAMPLE_STATUSES.filter((status) => dataset.counts[status] === 0);
  return (
    <div>
      <div className="flex items-baseline gap-1.5">
        <span className="tabular text-base font-semibold text-stone-900" data-testid="dataset-total">
          {formatCount(dataset.total)}
        </span>
        <span className="text-xs text-stone-500">{dataset.total === 1 ? "sample" : "samples"}</span>
      </div>
      {dataset.total > 0 ? (
        <>
          <div className="mt-2 mb-2.5 flex h-1.5 w-full overflow-hidden rounded-full bg-stone-100" aria-hidden>
            {present.map((status) => (
              <span
                key={status}
                className={cx("h-full", TONE_FILL[STATUS_TONE[status]])}
                style={{ width: `${(dataset.counts[status] / dataset.total) * 100}%` }}
              />
            ))}
          </div>
          <ul className="flex flex-wrap gap-1" aria-label={`Samples of ${dataset.name} by status`}>
            {present.map((status) => (
              <li key={status} data-status={status}>
                <StatusBadge status={status} count={dataset.counts[status]} />
              </li>
            ))}
          </ul>
          {absent.length ? <span className="sr-only">None {absent.map((s) => STATUS_LABEL[s].toLowerCase()).join(", ")}.</span> : null}
        </>
      ) : null}
    </div>
  );
}

function LastImportCell({ job }: { job: LastImport | null }) {
  if (!job) return <span className="text-xs text-stone-400">None</span>;
  return (
    <div className="min-w-0 text-xs">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        {job.status === "succeeded" ? (
          <Badge tone="teal">Imported</Badge>
        ) : job.status === "failed" ? (
          <Badge tone="rose">Failed</Badge>
        ) : (
          <Badge tone="amber">Running</Badge>
        )}
        {job.status !== "failed" ? (
          <span className="tabular text-stone-600">
            +{formatCount(job.inserted)} new
            {job.duplicates ? <> · {formatCount(job.duplicates)} dup.</> : null}
            {job.rejected ? <span className="text-rose-700"> · {formatCount(job.rejected)} rejected</span> : null}
          </span>
        ) : null}
      </div>
      <div className="mt-1.5 truncate text-stone-600" title={job.fileName}>
        {job.fileName}
      </div>
      {job.imports > 1 ? (
        <div className="mt-0.5 text-stone-500" data-testid="imports-in-all">
          {formatCount(job.imports)} imports · {formatCount(job.insertedInAll)} samples in all
        </div>
      ) : null}
      {job.failure ? <div className="mt-1 line-clamp-2 break-words text-rose-700">{job.failure}</div> : null}
      <div className="mt-0.5 text-stone-400">
        {job.finishedAt ? <time dateTime={job.finishedAt.toISOString()}>{formatDateTime(job.finishedAt)}</time> : "running"}
      </div>
    </div>
  );
}
