"use client";

import { useId, useState, type MouseEvent } from "react";
import { checkState, WithheldNotice, type CheckState } from "@/components/export/WithheldNotice";
import { DownloadIcon } from "@/components/ui/icons";
import { llamaFactoryDatasetInfo } from "@/lib/formats/dataset-info";
import { api, apiUrl } from "@/lib/api/client";
import type { ExportFormatOption } from "@/lib/formats";
import type { ExportFormatId } from "@/lib/samples/export";
import { STATUS_LABEL } from "@/components/ui/StatusBadge";
import { REFINED_STATUSES, SAMPLE_STATUSES, type SampleStatus } from "@/lib/samples/types";
import { formatCount } from "./format";

type Scope = "refined" | "all" | "chosen";

/**
 * Download links for one dataset: which samples (the refined set, all, or the statuses chosen), then one link per export format, and the
 * dataset_info.json entry for a format that needs one (its file name is the one the export route gives). A training
 * format's link first asks what the export would leave out (refined samples a rule fails): with nothing, the download
 * starts; otherwise the page says which samples and why, and the download of the rest is one more click.
 */
export function ExportLinks({ dataset, counts, formats }: { dataset: string; counts: Record<SampleStatus, number>; formats: ExportFormatOption[] }) {
  const refined = sum(counts, REFINED_STATUSES);
  const total = sum(counts, SAMPLE_STATUSES);
  const [scope, setScope] = useState<Scope>(refined > 0 ? "refined" : "all");
  const [chosen, setChosen] = useState<readonly SampleStatus[]>(REFINED_STATUSES);
  const [pending, setPending] = useState<{ href: string; format: ExportFormatId; withErrorToolResponses: boolean; state: CheckState } | null>(null);
  const selectId = useId();
  const statuses = scope === "refined" ? REFINED_STATUSES : scope === "all" ? SAMPLE_STATUSES : chosen;
  const count = sum(counts, statuses);
  const scopeLabel = scope === "refined" ? "refined set" : scope === "all" ? "all samples" : statuses.map((s) => STATUS_LABEL[s].toLowerCase()).join(", ");
  const params = { name: dataset };
  const exportQuery = (format: ExportFormatId, withErrorToolResponses = false) => ({ format, status: statuses.join(","), withErrorToolResponses: withErrorToolResponses ? "true" : undefined });

  async function checkFirst(event: MouseEvent<HTMLElement> | null, format: ExportFormatId, withErrorToolResponses = false) {
    if (format === "audit") return;
    event?.preventDefault();
    const query = exportQuery(format, withErrorToolResponses);
    const href = apiUrl("GET /api/datasets/[name]/export", { params, query });
    setPending({ href, format, withErrorToolResponses, state: { kind: "checking" } });
    const state = await checkState(api("GET /api/datasets/[name]/export/check", { params, query }));
    if (state.kind === "checked" && state.check.withheld === 0) {
      setPending(null);
      window.location.assign(href);
    } else setPending({ href, format, withErrorToolResponses, state });
  }
  // Conversations whose tool results the source marks wrong are left out unless asked for (lib/samples/export.ts).
  const erroneousWithheld =
    pending?.state.kind === "checked" && !pending.withErrorToolResponses && pending.state.check.withheldSamples.some((w) => w.reason.includes("error_tool_response"));

  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={selectId} className="sr-only">
        Samples to export from {dataset}
      </label>
      <select
        id={selectId}
        value={scope}
        onChange={(event) => setScope(event.target.value as Scope)}
        className="h-8 w-full rounded-md border border-stone-300 bg-white px-2 text-xs text-stone-700 shadow-xs"
      >
        <option value="refined">Refined set · {formatCount(refined)}</option>
        <option value="all">All samples · {formatCount(total)}</option>
        <option value="chosen">Choose statuses…</option>
      </select>
      {scope === "chosen" ? (
        <fieldset className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-stone-700">
          <legend className="sr-only">Statuses to export from {dataset}</legend>
          {SAMPLE_STATUSES.map((status) => (
            <label key={status} className="inline-flex items-center gap-1">
              <input
                type="checkbox"
                checked={chosen.includes(status)}
                onChange={(event) => setChosen(SAMPLE_STATUSES.filter((s) => (s === status ? event.target.checked : chosen.includes(s))))}
                className="accent-teal-700"
              />
              {STATUS_LABEL[status]} · {formatCount(counts[status])}
            </label>
          ))}
        </fieldset>
      ) : null}
      <div className="grid grid-cols-2 gap-1" role="group" aria-label={`Download ${dataset}`}>
        {statuses.length === 0 ? <p className="col-span-2 text-xs text-stone-500">Choose at least one status.</p> : null}
        {statuses.length === 0 ? null : formats.map((format) => (
          <a
            key={format.id}
            href={apiUrl("GET /api/datasets/[name]/export", { params, query: exportQuery(format.id) })}
            download
            onClick={(event) => void checkFirst(event, format.id)}
            title={`${format.help} — ${formatCount(count)} samples`}
            aria-label={`Download ${dataset} as ${format.label} JSONL (${scopeLabel})`}
            className="inline-flex h-7 items-center gap-1 rounded-md px-1.5 text-xs font-medium text-accent-800 hover:bg-accent-50"
          >
            <DownloadIcon width={13} height={13} className="shrink-0 text-accent-600" />
            {format.label}
          </a>
        ))}
        {formats
          .filter((format) => format.datasetInfo)
          .map((format) => (
            <a
              key={`${format.id}-info`}
              href={datasetInfoHref(dataset, `${dataset}.${format.id}.jsonl`)}
              download={`${dataset}.${format.id}.dataset_info.json`}
              title={`The entry LLaMA-Factory's data/dataset_info.json needs to load the ${format.label} file`}
              aria-label={`Download the dataset_info.json entry for ${dataset} as ${format.label}`}
              className="inline-flex h-7 items-center gap-1 rounded-md px-1.5 text-xs font-medium text-accent-800 hover:bg-accent-50"
            >
              <DownloadIcon width={13} height={13} className="shrink-0 text-accent-600" />
              dataset_info
            </a>
          ))}
      </div>
      {pending ? (
        <div className="flex flex-col gap-1.5 text-xs">
          <WithheldNotice state={pending.state} />
          {pending.state.kind === "checking" ? null : (
            <div className="flex gap-2">
              {pending.state.kind === "checked" ? (
                <a href={pending.href} download onClick={() => setPending(null)} className="font-medium text-accent-800 hover:underline">
                  Download the other {formatCount(pending.state.check.written)}
                </a>
              ) : null}
              {erroneousWithheld ? (
                <button type="button" onClick={() => void checkFirst(null, pending.format, true)} className="font-medium text-accent-800 hover:underline">
                  Include the conversations with erroneous tool results
                </button>
              ) : null}
              <button type="button" onClick={() => setPending(null)} className="text-stone-500 hover:underline">
                Cancel
              </button>
            </div>
          )}
        </div>
      ) : null}
    </div>
  );
}

function sum(counts: Record<SampleStatus, number>, statuses: readonly SampleStatus[]): number {
  return statuses.reduce((n, status) => n + counts[status], 0);
}

/** A data: URL holding the dataset_info.json entry, so the browser downloads it without a request. */
export function datasetInfoHref(datasetName: string, fileName: string): string {
  return `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(llamaFactoryDatasetInfo(datasetName, fileName), null, 2) + "\n")}`;
}
