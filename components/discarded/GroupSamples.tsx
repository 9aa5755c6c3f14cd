"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { formatCount } from "@/components/datasets/format";
import { formatShort } from "@/components/queue/format";
import { FIELD } from "@/components/queue/styles";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { api, errorMessage, type ApiAnswer } from "@/lib/api/client";
import type { Jsonified } from "@/lib/http/json";
import type { DiscardedSample, DiscardGroupKey } from "@/lib/review/discard-audit";

type Outcome = ({ kind: "done" } & ApiAnswer<"POST /api/review/restore">) | { kind: "failed"; message: string } | null;

/**
 * One discard group's samples (a page of them), with a selection and the restore form: restore the selected
 * samples, or the whole group, back to review with a reason. Says what happened, then shows the page afresh.
 */
export function GroupSamples({
  group,
  datasetId,
  groupCount,
  samples,
  showDataset,
  previousHref,
  nextHref,
}: {
  group: DiscardGroupKey;
  datasetId: number | null;
  groupCount: number;
  samples: Jsonified<DiscardedSample>[];
  showDataset: boolean;
  previousHref: string | null;
  nextHref: string | null;
}) {
  const router = useRouter();
  const reasonId = useId();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  // Only what is on this page can be selected: after a refresh, restored samples drop out of the selection.
  const onPage = new Set(samples.map((s) => s.id));
  const chosen = [...selected].filter((id) => onPage.has(id));
  const allChosen = samples.length > 0 && chosen.length === samples.length;

  function toggle(id: number) {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  async function restore(target: { sampleIds: number[] } | { group: DiscardGroupKey; datasetId?: number }) {
    setBusy(true);
    setOutcome(null);
    try {
      const restored = await api("POST /api/review/restore", { body: { reason, ...target } });
      setOutcome({ kind: "done", ...restored });
      setSelected(new Set());
      setReason("");
      router.refresh();
    } catch (error) {
      setOutcome({ kind: "failed", message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  function restoreSelected(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (chosen.length) void restore({ sampleIds: chosen });
  }

  const canRestore = reason.trim() !== "" && !busy;

  return (
    <div>
      {groupCount > 0 || samples.length > 0 ? (
        <form onSubmit={restoreSelected} aria-label="Restore to review" className="space-y-3 border-b border-stone-200 bg-stone-50/60 px-5 py-4">
          <div className="flex flex-wrap items-end gap-3">
            <div className="min-w-64 flex-1">
              <label htmlFor={reasonId} className="mb-1.5 block text-xs font-medium text-stone-600">
                Reason for restoring (kept in each sample&rsquo;s history)
              </label>
              <input
                id={reasonId}
                className={FIELD}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                placeholder="e.g. the rule misreads optional parameters"
                maxLength={2000}
                disabled={busy}
              />
            </div>
            <Button type="submit" variant="primary" disabled={!canRestore || chosen.length === 0}>
              Restore selected ({formatCount(chosen.length)})
            </Button>
            <Button
              variant="secondary"
              disabled={!canRestore || groupCount === 0}
              onClick={() => restore({ group, ...(datasetId === null ? {} : { datasetId }) })}
            >
              Restore all {formatCount(groupCount)} in this group
            </Button>
          </div>
          <p className="text-xs text-stone-500">
            Restored samples become <span className="font-medium text-amber-800">flagged</span> and wait in the review queue for a
            human decision.
          </p>
        </form>
      ) : null}

      {outcome?.kind === "done" ? (
        <Alert tone={outcome.failed ? "warning" : "success"} title={`${formatCount(outcome.restored)} restored`} className="mx-5 mt-4">
          {outcome.restored ? (
            <>
              They are flagged now and wait in the{" "}
              <Link href={datasetId === null ? "/review" : `/review?dataset=${datasetId}`} className="font-medium underline">
                review queue
              </Link>
              .
            </>
          ) : null}
          {outcome.failed ? (
            <>
              {" "}
              {formatCount(outcome.failed)} could not be restored:
              <ul className="mt-1 list-disc pl-5">
                {outcome.failures.slice(0, 10).map((f) => (
                  <li key={f.sampleId}>
                    #{f.sampleId}: {f.message}
                  </li>
                ))}
                {outcome.failed > 10 ? <li>and {formatCount(outcome.failed - 10)} more</li> : null}
              </ul>
            </>
          ) : null}
        </Alert>
      ) : null}
      {outcome?.kind === "failed" ? (
        <Alert tone="error" title="Nothing was restored" className="mx-5 mt-4">
          {outcome.message}
        </Alert>
      ) : null}

      {samples.length ? (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[52rem] table-fixed text-left text-sm">
            <caption className="sr-only">The group&rsquo;s discarded samples in id order</caption>
            <colgroup>
              <col className="w-12" />
              <col className="w-24" />
              <col />
              <col className="w-[34%]" />
              {showDataset ? <col className="w-36" /> : null}
              <col className="w-36" />
            </colgroup>
            <thead className="border-b border-stone-200 text-xs text-stone-500">
              <tr>
                <th scope="col" className="py-2.5 pr-2 pl-5">
                  <input
                    type="checkbox"
                    aria-label="Select every sample on this page"
                    className="size-4 accent-teal-700"
                    checked={allChosen}
                    onChange={() => setSelected(allChosen ? new Set() : new Set(onPage))}
                  />
                </th>
                <th scope="col" className="px-3 py-2.5 font-medium">
                  Sample
                </th>
                <th scope="col" className="px-3 py-2.5 font-medium">
                  Query
                </th>
                <th scope="col" className="px-3 py-2.5 font-medium">
                  Reason
                </th>
                {showDataset ? (
                  <th scope="col" className="px-3 py-2.5 font-medium">
                    Dataset
                  </th>
                ) : null}
                <th scope="col" className="py-2.5 pr-5 pl-3 font-medium">
                  Discarded (UTC)
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {samples.map((s) => (
                <tr key={s.id} data-sample={s.id} className={selected.has(s.id) ? "bg-accent-50/40 align-top" : "align-top"}>
                  <td className="py-2.5 pr-2 pl-5">
                    <input
                      type="checkbox"
                      aria-label={`Select sample ${s.id}`}
                      className="size-4 accent-teal-700"
                      checked={selected.has(s.id)}
                      onChange={() => toggle(s.id)}
                    />
                  </td>
                  <td className="px-3 py-2.5">
                    <Link href={`/samples/${s.id}`} className="tabular font-medium text-accent-700 hover:text-accent-800 hover:underline">
                      #{s.id}
                    </Link>
                  </td>
                  <td className="px-3 py-2.5 text-stone-800">
                    <p className="line-clamp-2 break-words">{s.query}</p>
                  </td>
                  <td className="px-3 py-2.5 text-stone-600">
                    <p className="line-clamp-3 break-words">{s.reason ?? <span className="text-stone-400 italic">No reason recorded</span>}</p>
                  </td>
                  {showDataset ? <td className="truncate px-3 py-2.5 text-stone-600">{s.dataset}</td> : null}
                  <td className="py-2.5 pr-5 pl-3 text-xs text-stone-500">
                    <time dateTime={s.updatedAt}>{formatShort(new Date(s.updatedAt))}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="px-5 py-8 text-center text-sm text-stone-500">No discarded sample is left in this group.</p>
      )}

      {previousHref || nextHref ? (
        <nav aria-label="Pages of this group" className="flex items-center justify-between gap-3 border-t border-stone-200 px-5 py-3 text-sm">
          {previousHref ? (
            <Link href={previousHref} className="font-medium text-accent-700 hover:underline">
              ← Previous
            </Link>
          ) : (
            <span className="text-stone-300">← Previous</span>
          )}
          {nextHref ? (
            <Link href={nextHref} className="font-medium text-accent-700 hover:underline">
              Next →
            </Link>
          ) : (
            <span className="text-stone-300">Next →</span>
          )}
        </nav>
      ) : null}
    </div>
  );
}
