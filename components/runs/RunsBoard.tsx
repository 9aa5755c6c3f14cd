"use client";

import { STAGE_REGISTRY } from "@/lib/pipeline/stage-registry";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import useSWR from "swr";
import { formatCount, formatDateTime } from "@/components/datasets/format";
import { Alert } from "@/components/ui/Alert";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { cx } from "@/components/ui/cx";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { Table, type TableColumn } from "@/components/ui/Table";
import { UsageTable } from "./UsageTable";
import { StatusBadge } from "@/components/ui/StatusBadge";
import { api, errorMessage, type ApiAnswer } from "@/lib/api/client";
import { invalidate, useApi } from "@/lib/api/use-api";
import type { Jsonified } from "@/lib/http/json";
import type { RunStatus, RunSummary } from "@/lib/runs/list-runs";
import { judgeModeInfo } from "@/lib/pipeline/judge-modes";
import { RUN_MODES } from "@/lib/runs/modes";
import { exportCommand, severalModelsNote, waitingText, type WaitingRequests } from "@/lib/batch/waiting";

export type RunStatusName = RunStatus;

/** A run as the page sends it to the browser (dates as ISO text). */
export type RunRow = Jsonified<RunSummary>;

/** What GET /api/runs/:id answers. */
type RunDetail = ApiAnswer<"GET /api/runs/[id]">;

const RUN_TONE: Record<RunStatusName, BadgeTone> = {
  running: "sky",
  paused: "amber",
  cancelled: "neutral",
  succeeded: "green",
  failed: "rose",
};
const RUN_LABEL: Record<RunStatusName, string> = {
  running: "Running",
  paused: "Paused",
  cancelled: "Cancelled",
  succeeded: "Succeeded",
  failed: "Failed",
};

const OUTCOMES = ["pass", "fail", "skip", "error"] as const;
const STAGE_COLUMNS: TableColumn[] = [{ label: "Stage" }, ...OUTCOMES.map((o) => ({ label: o, numeric: true, className: "capitalize" }))];
const RESULT_ORDER = ["passed", "text", "discarded", "flagged", "pending", "conflict"] as const;

export function RunStatusBadge({ status }: { status: RunStatusName }) {
  return (
    <Badge tone={RUN_TONE[status]} dot>
      <span data-testid="run-status" data-status={status}>
        {RUN_LABEL[status]}
      </span>
    </Badge>
  );
}

function ResultBadges({ results }: { results: Record<string, number> }) {
  const present = RESULT_ORDER.filter((r) => (results[r] ?? 0) > 0);
  if (!present.length) return <span className="text-xs text-stone-400">None yet</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Results">
      {present.map((result) => (
        <li key={result} data-result={result}>
          {result === "conflict" ? (
            <Badge tone="violet" dot title="Edited during the run: the edit was kept">
              Conflict <span className="tabular font-semibold">{formatCount(results[result])}</span>
            </Badge>
          ) : (
            <StatusBadge status={result} count={results[result]} />
          )}
        </li>
      ))}
    </ul>
  );
}

const SHORT = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** Compact and locale-independent (UTC, so server and browser agree); the full date is in the title. */
function formatShort(iso: string): string {
  return SHORT.format(new Date(iso));
}

function tokensText(tokens: { prompt: number; completion: number }): string {
  const total = tokens.prompt + tokens.completion;
  return total ? formatCount(total) : "—";
}

/** `canControl`: pause/resume/cancel buttons (admins; the server checks the role again). */
export function RunsBoard({ runs, canControl }: { runs: RunRow[]; canControl: boolean }) {
  const router = useRouter();
  const [selected, setSelected] = useState<number | null>(runs[0]?.id ?? null);
  const [busy, setBusy] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const wasRunning = useRef(new Set<number>());

  // New server data (after starting or controlling a run) may no longer hold the selected run.
  const shown = selected !== null && runs.some((r) => r.id === selected) ? selected : (runs[0]?.id ?? null);

  // The selected run's details, every second while it runs.
  const { data: detail } = useApi(shown === null ? null : "GET /api/runs/[id]", { params: { id: shown ?? 0 } }, {
    refreshInterval: (latest) => (latest?.run.status === "running" ? 1000 : 0),
  });
  // Every running run's progress, every second (one request per run: the list's aggregates are not cheap at 60k).
  const runningIds = runs.filter((r) => r.status === "running").map((r) => r.id);
  const { data: running } = useSWR(runningIds.length ? ["GET /api/runs/[id]", runningIds] : null, ([, ids]) => Promise.all(ids.map((id) => api("GET /api/runs/[id]", { params: { id } }).catch(() => null))), {
    refreshInterval: 1000,
  });

  const latest = new Map<number, RunDetail["run"]>();
  for (const found of [...(running ?? []), detail]) if (found) latest.set(found.run.id, found.run);
  const rows = runs.map((row) => {
    const run = latest.get(row.id);
    return run ? { ...row, status: run.status, total: run.total, finished: run.finished, results: run.results, tokens: run.tokens, finishedAt: run.finishedAt } : row;
  });

  // A run ended: the page's own counts (e.g. "1 running") and the datasets' pending counts change.
  useEffect(() => {
    let ended = false;
    for (const row of rows) {
      if (row.status === "running") wasRunning.current.add(row.id);
      else if (wasRunning.current.delete(row.id)) ended = true;
    }
    if (ended) router.refresh();
  });

  async function control(id: number, action: "pause" | "resume" | "cancel") {
    setBusy(id);
    setProblem(null);
    try {
      await api("POST /api/runs/[id]", { params: { id }, body: { action } }).catch((error: unknown) => setProblem(errorMessage(error)));
      await invalidate("GET /api/runs/[id]");
      router.refresh();
    } finally {
      setBusy(null);
    }
  }

  const current = detail && detail.run.id === shown ? detail : null;

  return (
    <div className="space-y-8">
      {problem ? (
        <Alert tone="error" title="The run did not change">
          {problem}
        </Alert>
      ) : null}
      <div className="overflow-x-auto">
        {/* The controls sit with the status they change, near the left: a laptop's window (1280 px, less the side bar)
            shows them without a sideways scroll, and a phone's scrolls only to the figures. */}
        <table className="w-full min-w-[52rem] table-fixed text-left text-sm">
          <caption className="sr-only">Pipeline runs, newest first, with status and controls, progress and results</caption>
          <colgroup>
            <col className="w-[18%]" />
            <col className="w-40" />
            <col className="w-[15%]" />
            <col />
            <col className="w-24" />
            <col className="w-44" />
          </colgroup>
          <thead className="border-b border-stone-200 bg-stone-50/70 text-xs text-stone-500">
            <tr>
              <th scope="col" className="py-2.5 pr-4 pl-5 font-medium">
                Run
              </th>
              <th scope="col" className="px-4 py-2.5 font-medium">
                Status
              </th>
              <th scope="col" className="px-4 py-2.5 font-medium">
                Progress
              </th>
              <th scope="col" className="px-4 py-2.5 font-medium">
                Results
              </th>
              <th scope="col" className="px-4 py-2.5 text-right font-medium">
                Tokens
              </th>
              <th scope="col" className="py-2.5 pr-5 pl-4 font-medium">
                Time (UTC)
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {rows.map((run) => {
              const isSelected = run.id === shown;
              return (
                <tr key={run.id} data-run={run.id} data-dataset={run.dataset} className={cx("align-top", isSelected && "bg-accent-50/40")}>
                  <th scope="row" className="py-4 pr-4 pl-5 font-normal">
                    <button
                      type="button"
                      onClick={() => setSelected(run.id)}
                      aria-pressed={isSelected}
                      className="text-left font-medium text-stone-900 hover:text-accent-700 hover:underline"
                    >
                      Run #{run.id}
                    </button>
                    <div className="mt-0.5 text-xs wrap-anywhere text-stone-600">
                      {run.dataset}
                    </div>
                    <div className="mt-1 text-xs text-stone-400">
                      {run.stages === "rules" ? "Rules only" : "All stages"} · {run.mode === "live" ? `×${run.concurrency}` : RUN_MODES[run.mode].name}
                    </div>
                  </th>
                  <td className="px-4 py-4">
                    <RunStatusBadge status={run.status} />
                    {canControl && (run.status === "running" || run.status === "paused") ? (
                      <div className="mt-2 flex flex-wrap gap-1.5">
                        <Button size="sm" onClick={() => control(run.id, run.status === "running" ? "pause" : "resume")} disabled={busy === run.id}>
                          {run.status === "running" ? "Pause" : "Resume"}
                        </Button>
                        <Button size="sm" variant="ghost" onClick={() => control(run.id, "cancel")} disabled={busy === run.id}>
                          Cancel
                        </Button>
                      </div>
                    ) : null}
                  </td>
                  <td className="px-4 py-4">
                    <ProgressBar
                      label="Finished"
                      value={run.finished}
                      max={run.total || 1}
                      detail={`${formatCount(run.finished)} / ${formatCount(run.total)}`}
                      tone={run.status === "running" ? "accent" : "stone"}
                    />
                  </td>
                  <td className="px-4 py-4">
                    <ResultBadges results={run.results} />
                  </td>
                  <td className="tabular px-4 py-4 text-right text-stone-700">{tokensText(run.tokens)}</td>
                  <td className="py-4 pr-5 pl-4 text-xs text-stone-500">
                    <div>
                      Started <time dateTime={run.createdAt} title={formatDateTime(new Date(run.createdAt))}>
                        {formatShort(run.createdAt)}
                      </time>
                    </div>
                    {run.finishedAt ? (
                      <div className="mt-0.5">
                        Ended <time dateTime={run.finishedAt} title={formatDateTime(new Date(run.finishedAt))}>
                          {formatShort(run.finishedAt)}
                        </time>
                      </div>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {shown !== null ? <RunDetailPanel id={shown} detail={current} /> : null}
    </div>
  );
}

function RunDetailPanel({ id, detail }: { id: number; detail: RunDetail | null }) {
  return (
    <div className="border-t border-stone-200" data-testid="run-detail">
      <CardHeader
        title={`Run #${id}${detail ? ` · ${detail.run.dataset}` : ""}`}
        description={
          detail
            ? `${formatCount(detail.run.finished)} of ${formatCount(detail.run.total)} samples finished · ${formatCount(detail.run.regenerated)} regenerated · ${formatCount(detail.run.tokens.prompt)} prompt + ${formatCount(detail.run.tokens.completion)} completion tokens${detail.run.stages === "all" ? ` · judges: ${judgeModeInfo(detail.run.judgeMode).short}` : ""}`
            : "Loading…"
        }
        actions={detail ? <RunStatusBadge status={detail.run.status} /> : null}
      />
      {detail?.run.pool ? <PoolLine pool={detail.run.pool} /> : null}
      {detail?.batch ? <BatchLine runId={id} batch={detail.batch} cancelled={detail.run.status === "cancelled"} /> : null}
      {detail ? (
        <div className="grid gap-6 px-5 py-5 lg:grid-cols-[3fr_2fr]">
          <StageTable stages={detail.run.stages_} skipped={detail.run.skippedStages} />
          <Attention items={detail.attention} />
          {detail.usage.total.calls ? (
            <div className="lg:col-span-2">
              <UsageTable usage={detail.usage} judgeMode={detail.run.judgeMode} />
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** A v3 run's hard-data pool: how many samples a stage 4/5 fail sent there, and how they left it. */
function PoolLine({ pool }: { pool: NonNullable<RunDetail["run"]["pool"]> }) {
  return (
    <p className="px-5 pt-4 text-sm text-stone-600" data-testid="run-pool">
      <span className="font-medium text-stone-900">Hard-data pool</span> (v3 flow, {pool.candidates} candidates at temperature {pool.temperature}):{" "}
      <span className="tabular">{formatCount(pool.entered)}</span> entered · <span className="tabular">{formatCount(pool.rescued)}</span> rescued ·{" "}
      <span className="tabular">{formatCount(pool.dropped)}</span> dropped · <span className="tabular">{formatCount(pool.flagged)}</span> flagged
    </p>
  );
}

/** A batch's status as the Batch API names it (and sending before the server has it, exported / imported for a file by hand), in words. */
const BATCH_STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  sending: { label: "Being sent", tone: "sky" },
  validating: { label: "Validating", tone: "sky" },
  in_progress: { label: "In progress", tone: "sky" },
  finalizing: { label: "Finalizing", tone: "sky" },
  completed: { label: "Completed", tone: "green" },
  expired: { label: "Expired", tone: "amber" },
  failed: { label: "Failed", tone: "rose" },
  cancelling: { label: "Cancelling", tone: "neutral" },
  cancelled: { label: "Cancelled", tone: "neutral" },
  exported: { label: "Exported, waiting for its output", tone: "sky" },
  imported: { label: "Imported", tone: "green" },
};

const batchStatus = (status: string) => BATCH_STATUS[status] ?? { label: status, tone: "neutral" as const };

/** " · <model>" a batch asks, and " at <endpoint>" when the run's batches went to several. */
function BatchPlace({ batch, severalEndpoints }: { batch: { model: string | null; endpoint: string }; severalEndpoints: boolean }) {
  return (
    <>
      {batch.model ? (
        <>
          {" "}
          · <code className="rounded bg-stone-100 px-1 text-xs text-stone-800">{batch.model}</code>
        </>
      ) : null}
      {severalEndpoints ? ` at ${endpointName(batch.endpoint)}` : null}
    </>
  );
}

/** Where a batch went, in words: the judge's endpoint, or the host of a panel member's base URL. */
function endpointName(endpoint: string): string {
  if (endpoint === "") return "the judge's endpoint";
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/**
 * A batch run's latest batch: its id, pass, model (and endpoint, when the run has several), status and request counts;
 * once the run is cancelled, what it still has at the server.
 */
function BatchLine({ runId, batch, cancelled }: { runId: number; batch: NonNullable<RunDetail["batch"]>; cancelled: boolean }) {
  const latest = batch.latest;
  const status = latest ? batchStatus(latest.status) : null;
  return (
    <div className="mx-5 mt-4 rounded-xl border border-stone-200 bg-stone-50/70 px-4 py-3 text-sm text-stone-700" data-testid="run-batch" data-status={latest?.status ?? "none"}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-medium text-stone-900">{RUN_MODES[batch.mode].name}</span>
        {latest && status ? (
          <>
            <span>
              {batch.mode === "offline" ? "File" : "Batch"} <code className="rounded bg-stone-100 px-1 text-xs text-stone-800">{latest.batchId}</code> · pass{" "}
              <span className="tabular">{latest.pass}</span>
              <BatchPlace batch={latest} severalEndpoints={batch.severalEndpoints} />
            </span>
            <Badge tone={status.tone} dot>
              {status.label}
            </Badge>
          </>
        ) : (
          <span className="text-stone-500">{batch.mode === "offline" ? `No file exported yet: studio batch export --run ${runId} --stage <stage> --out <file>` : "No batch sent yet"}</span>
        )}
      </div>
      {latest ? (
        <div className="mt-2 max-w-xl">
          <ProgressBar
            label="Requests"
            value={latest.completed + latest.failed}
            max={latest.total}
            detail={`${formatCount(latest.completed)} completed · ${formatCount(latest.failed)} failed · ${formatCount(latest.total)} in all`}
          />
        </div>
      ) : null}
      {latest?.problem && !batch.inFlight.some((b) => b.batchId === latest.batchId && b.endpoint === latest.endpoint) ? (
        // An ended batch with a problem: one given up on after the cancel, which says why.
        <p className="mt-2 text-xs text-rose-700" data-testid="run-batch-problem">
          {latest.problem}
        </p>
      ) : null}
      {cancelled && (batch.inFlight.length > 0 || batch.filesToDelete > 0) ? (
        <LeftAtServer batch={batch} />
      ) : batch.inFlight.length > 1 ? (
        <ul className="mt-2 space-y-0.5 text-xs text-stone-600" data-testid="run-batches-in-flight">
          <li className="font-medium text-stone-700">{batch.inFlight.length} batches at the server now (a batch per model):</li>
          {batch.inFlight.map((b) => (
            <li key={`${b.endpoint} ${b.batchId}`}>
              Pass <span className="tabular">{b.pass}</span>
              <BatchPlace batch={b} severalEndpoints={batch.severalEndpoints} /> · {batchStatus(b.status).label} ·{" "}
              <span className="tabular">
                {formatCount(b.completed + b.failed)} of {formatCount(b.total)}
              </span>{" "}
              done
            </li>
          ))}
        </ul>
      ) : null}
      {batch.mode === "offline" && latest?.status === "exported" ? (
        <p className="mt-2 text-xs text-stone-500">
          Run the file elsewhere (e.g. <code>vllm run-batch</code>), then <code>studio batch import --run {runId} &lt;output file&gt;</code>.
        </p>
      ) : null}
      {batch.waitingFor?.length ? <OfflineWaiting runId={runId} waiting={batch.waitingFor} /> : null}
    </div>
  );
}

/**
 * What a cancelled batch run still has at the server: batches to cancel, or cancelling (and why the server could not
 * be asked, if it could not), and files of ended batches to delete. A worker looks at them again at each poll.
 */
function LeftAtServer({ batch }: { batch: NonNullable<RunDetail["batch"]> }) {
  return (
    <div className="mt-3 text-xs text-stone-600" data-testid="run-batch-left">
      <p className="font-medium text-stone-800">Left at the server after the cancel (looked at again at each poll until done)</p>
      <ul className="mt-1 space-y-1">
        {batch.inFlight.map((b) => (
          <li key={`${b.endpoint} ${b.batchId}`}>
            Batch <code>{b.batchId}</code> · pass <span className="tabular">{b.pass}</span>
            <BatchPlace batch={b} severalEndpoints={batch.severalEndpoints} />:{" "}
            {b.problem ? (
              <span className="text-rose-700">{b.problem}</span>
            ) : b.status === "cancelling" ? (
              "cancelling; its files are deleted once it has ended"
            ) : (
              "to cancel"
            )}
          </li>
        ))}
        {batch.filesToDelete > 0 ? (
          <li>
            <span className="tabular">{formatCount(batch.filesToDelete)}</span> {batch.filesToDelete === 1 ? "file" : "files"} of ended batches to delete
          </li>
        ) : null}
      </ul>
    </div>
  );
}

/**
 * What an offline run's samples wait for, as its last export or import found it: per stage and model, the files out
 * (import their output) and the requests to export next, one file per model (a judge panel's members each their own).
 */
function OfflineWaiting({ runId, waiting }: { runId: number; waiting: WaitingRequests[] }) {
  const note = severalModelsNote(waiting);
  return (
    <div className="mt-3 text-xs text-stone-600" data-testid="run-offline-waiting">
      <p className="font-medium text-stone-800">Waiting, as the last export or import found it</p>
      <ul className="mt-1 space-y-1">
        {waiting.map((w) => {
          const command = exportCommand(runId, w);
          return (
            <li key={`${w.stage}-${w.model}-${w.file}`} data-file={w.file ?? "none"}>
              <span className="tabular">{waitingText(w)}</span>:{" "}
              {w.file ? (
                <>
                  in file <code>{w.file}</code>, import its output
                </>
              ) : command ? (
                <>
                  export next: <code className="rounded bg-stone-100 px-1 text-stone-800">{command}</code>
                </>
              ) : (
                "not exported yet"
              )}
            </li>
          );
        })}
      </ul>
      {note ? <p className="mt-1">{note}</p> : null}
    </div>
  );
}

function StageTable({ stages, skipped }: { stages: Record<string, Record<string, number>>; skipped: number[] }) {
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold text-stone-900">Samples per stage, by outcome</h3>
      <Card className="overflow-hidden">
        <Table layout="in-card" columns={STAGE_COLUMNS} aria-label="Samples per stage and outcome">
          {STAGE_REGISTRY.map(({ id: stage, name }) => (
            <tr key={stage} data-stage={stage}>
              <th scope="row" className="py-2 pr-3 pl-4 font-normal text-stone-700">
                <span className="tabular mr-2 text-stone-400">{stage}</span>
                {name}
                {skipped.includes(stage) ? <span className="ml-2 text-xs text-stone-400">left out by this run</span> : null}
              </th>
              {OUTCOMES.map((o) => {
                const n = stages[stage]?.[o] ?? 0;
                return (
                  <td
                    key={o}
                    data-outcome={o}
                    className={cx(
                      "tabular px-3 py-2 text-right",
                      n === 0 ? "text-stone-300" : o === "fail" ? "text-rose-700" : o === "error" ? "text-amber-700" : "text-stone-800",
                    )}
                  >
                    {formatCount(n)}
                  </td>
                );
              })}
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}

function Attention({ items }: { items: RunDetail["attention"] }) {
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold text-stone-900">Discarded or flagged</h3>
      {items.length ? (
        <ul className="divide-y divide-stone-100 rounded-xl border border-stone-200" aria-label="Samples that need attention">
          {items.map((item) => (
            <li key={item.id} className="flex items-start gap-3 px-4 py-2.5 text-sm" data-sample={item.id}>
              <StatusBadge status={item.result} />
              <div className="min-w-0 flex-1">
                <Link href={`/samples/${item.id}`} className="block truncate text-stone-700 hover:text-accent-700 hover:underline">
                  <span className="tabular mr-1.5 text-stone-400">#{item.id}</span>
                  {item.query}
                </Link>
                {item.reason ? (
                  <p className="mt-0.5 line-clamp-2 text-xs break-words text-stone-500" data-testid="attention-reason" title={item.reason}>
                    {item.reason}
                  </p>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="rounded-xl border border-dashed border-stone-200 px-4 py-6 text-center text-sm text-stone-500">
          No sample of this run was discarded or flagged.
        </p>
      )}
    </div>
  );
}
