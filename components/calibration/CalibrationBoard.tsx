"use client";

// The Calibration page: start a calibration (a dataset, a judged stage, a model), follow it, read its figures and
// the samples where the judge and the people disagree, and compare two on the same slice.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type FormEvent } from "react";
import { formatCount, formatDateTime } from "@/components/datasets/format";
import { Alert } from "@/components/ui/Alert";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/EmptyState";
import { FIELD, LABEL } from "@/components/ui/form-classes";
import { api, errorMessage, type ApiAnswer } from "@/lib/api/client";
import { invalidate, useApi } from "@/lib/api/use-api";
import { STAGE_NAMES, STAGE_REGISTRY } from "@/lib/pipeline/stage-registry";

type Calibration = ApiAnswer<"GET /api/calibrations">["calibrations"][number];
type Metrics = Calibration["metrics"];

const POLL_MS = 1000;
const STATUS_TONE: Record<Calibration["status"], BadgeTone> = { running: "sky", succeeded: "green", failed: "rose" };

function percent(value: number | null): string {
  return value === null ? "—" : `${(value * 100).toFixed(1)}%`;
}

function kappaText(value: number | null): string {
  return value === null ? "—" : value.toFixed(2);
}

export function CalibrationBoard({
  initial,
  datasets,
  stages,
  promptVersions,
  canStart,
  llmConfigured,
  selected: selectedAtFirst,
}: {
  initial: Calibration[];
  datasets: string[];
  stages: number[];
  /** Per judged stage, the versions of its judge prompt (oldest first; the last is the current one). */
  promptVersions: Record<number, number[]>;
  canStart: boolean;
  llmConfigured: boolean;
  selected: number | null;
}) {
  const [selected, setSelected] = useState<number | null>(selectedAtFirst ?? initial[0]?.id ?? null);
  const [compared, setCompared] = useState<number[]>([]);
  const { data } = useApi("GET /api/calibrations", undefined, {
    fallbackData: { calibrations: initial },
    refreshInterval: (latest) => (latest?.calibrations.some((c) => c.status === "running") ? POLL_MS : 0),
  });
  const calibrations = data?.calibrations ?? initial;

  function toggleCompared(id: number) {
    setCompared((current) => (current.includes(id) ? current.filter((c) => c !== id) : [...current.slice(-1), id]));
  }

  return (
    <div className="space-y-8">
      {canStart ? (
        <Card aria-labelledby="calibrate-title">
          <CardHeader
            titleId="calibrate-title"
            title="Calibrate a judge"
            description="The judge is asked about every sample of the dataset that a person approved, or discarded blaming this stage, on the version they decided. Bulk decisions count only when you say so: nobody read those samples."
          />
          <StartCalibrationForm datasets={datasets} stages={stages} promptVersions={promptVersions} llmConfigured={llmConfigured} onStarted={setSelected} />
        </Card>
      ) : null}

      <Card aria-labelledby="calibrations-title">
        <CardHeader
          titleId="calibrations-title"
          title="Calibrations"
          description="Each judge configuration's track record, newest first. Tick two of the same dataset and stage to compare them."
        />
        {calibrations.length ? (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[60rem] text-left text-sm" aria-label="Calibrations">
              <thead className="border-b border-stone-200 bg-stone-50/70 text-xs text-stone-500">
                <tr>
                  <th scope="col" className="py-2.5 pr-2 pl-5 font-medium">
                    <span className="sr-only">Compare</span>
                  </th>
                  <th scope="col" className="px-3 py-2.5 font-medium">Calibration</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">Judge</th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">Samples</th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">Agreement</th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">Precision</th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">Recall</th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">κ</th>
                  <th scope="col" className="px-3 py-2.5 pr-5 font-medium">Status</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {calibrations.map((c) => (
                  <tr key={c.id} data-calibration={c.id} className={cx(c.id === selected && "bg-accent-50/60")}>
                    <td className="py-2.5 pr-2 pl-5">
                      <input
                        type="checkbox"
                        className="size-4 rounded border-stone-300 text-accent-600"
                        aria-label={`Compare calibration #${c.id}`}
                        checked={compared.includes(c.id)}
                        onChange={() => toggleCompared(c.id)}
                      />
                    </td>
                    <td className="px-3 py-2.5">
                      <button type="button" className="text-left font-medium text-stone-900 hover:text-accent-800 hover:underline" onClick={() => setSelected(c.id)} aria-pressed={c.id === selected}>
                        #{c.id} · {c.dataset} · stage {c.stage}
                      </button>
                      <div className="text-xs text-stone-500">
                        {STAGE_NAMES[c.stage]}
                        {c.includeBulk ? " · with bulk decisions" : ""}
                      </div>
                    </td>
                    <td className="px-3 py-2.5">
                      <div className="font-mono text-xs text-stone-800">{c.model}</div>
                      <div className="text-xs text-stone-500">{c.promptVersion ?? "each member's own prompt"}</div>
                    </td>
                    <td className="tabular px-3 py-2.5 text-right">
                      {formatCount(c.done)} / {formatCount(c.total)}
                    </td>
                    <td className="tabular px-3 py-2.5 text-right" data-column="agreement">{percent(c.metrics.agreement)}</td>
                    <td className="tabular px-3 py-2.5 text-right">{percent(c.metrics.precision)}</td>
                    <td className="tabular px-3 py-2.5 text-right">{percent(c.metrics.recall)}</td>
                    <td className="tabular px-3 py-2.5 text-right" data-column="kappa">{kappaText(c.metrics.kappa)}</td>
                    <td className="px-3 py-2.5 pr-5">
                      <Badge tone={STATUS_TONE[c.status]} dot>
                        <span data-testid="calibration-status">{c.status}</span>
                      </Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <EmptyState title="No calibration yet">Calibrate a judge on the samples people have decided, before it decides a large run.</EmptyState>
        )}
      </Card>

      {compared.length === 2 ? <Comparison a={compared[0]} b={compared[1]} /> : null}
      {selected !== null ? <CalibrationDetail id={selected} /> : null}
    </div>
  );
}

function StartCalibrationForm({
  datasets,
  stages,
  promptVersions,
  llmConfigured,
  onStarted,
}: {
  datasets: string[];
  stages: number[];
  promptVersions: Record<number, number[]>;
  llmConfigured: boolean;
  onStarted: (id: number) => void;
}) {
  const router = useRouter();
  const ids = { dataset: useId(), stage: useId(), judge: useId(), model: useId(), prompt: useId(), bulk: useId() };
  // The judge panels saved in Settings (none when the person may not read Settings): a choice instead of one model.
  const panels = useApi("GET /api/settings/panels").data?.panels ?? [];
  const [panel, setPanel] = useState("");
  const [dataset, setDataset] = useState(datasets[0] ?? "");
  const [stage, setStage] = useState(stages.includes(4) ? 4 : stages[0]);
  const [model, setModel] = useState("");
  // "" is the stage's current prompt.
  const [promptVersion, setPromptVersion] = useState("");
  const versions = promptVersions[stage] ?? [];
  const [includeBulk, setIncludeBulk] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const judge = panel ? { panel } : { model: model.trim() || undefined, ...(promptVersion ? { promptVersion: Number(promptVersion) } : {}) };
      const started = await api("POST /api/calibrations", { body: { dataset, stage, ...judge, includeBulk } });
      await invalidate("GET /api/calibrations");
      onStarted(started.id);
      router.replace(`/calibration?id=${started.id}`, { scroll: false });
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4 px-5 py-5" aria-label="Calibrate a judge">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-6">
        <div>
          <label htmlFor={ids.dataset} className={LABEL}>
            Dataset
          </label>
          <select id={ids.dataset} className={FIELD} value={dataset} onChange={(e) => setDataset(e.target.value)} disabled={busy} required>
            {datasets.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={ids.stage} className={LABEL}>
            Stage
          </label>
          <select id={ids.stage} className={FIELD} value={stage} onChange={(e) => {
              setStage(Number(e.target.value));
              setPromptVersion("");
            }} disabled={busy}>
            {stages.map((id) => (
              <option key={id} value={id}>
                {id} · {STAGE_REGISTRY.find((stage) => stage.id === id)?.short}
              </option>
            ))}
          </select>
        </div>
        {panels.length ? (
          <div>
            <label htmlFor={ids.judge} className={LABEL}>
              Judge
            </label>
            <select id={ids.judge} className={FIELD} value={panel} onChange={(e) => setPanel(e.target.value)} disabled={busy}>
              <option value="">One model</option>
              {panels.map((p) => (
                <option key={p.name} value={p.name}>
                  Panel {p.name} ({p.members.length} judges, {p.rule})
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div>
          <label htmlFor={ids.model} className={LABEL}>
            Judge model
          </label>
          <input id={ids.model} className={FIELD} value={panel ? "" : model} onChange={(e) => setModel(e.target.value)} placeholder={panel ? "The panel's members" : "The stage's model from Settings"} disabled={busy || Boolean(panel)} maxLength={200} />
        </div>
        <div>
          <label htmlFor={ids.prompt} className={LABEL}>
            Prompt
          </label>
          <select id={ids.prompt} className={FIELD} value={panel ? "" : promptVersion} onChange={(e) => setPromptVersion(e.target.value)} disabled={busy || Boolean(panel)}>
            <option value="">{panel ? "The members' own" : `Current (v${versions.at(-1) ?? 1})`}</option>
            {panel
              ? null
              : versions.map((v) => (
                  <option key={v} value={v}>
                    Version {v}
                  </option>
                ))}
          </select>
        </div>
        <label htmlFor={ids.bulk} className="flex items-center gap-2 self-end pb-2 text-sm text-stone-700">
          <input id={ids.bulk} type="checkbox" className="size-4 rounded border-stone-300 text-accent-600" checked={includeBulk} onChange={(e) => setIncludeBulk(e.target.checked)} disabled={busy} />
          Count bulk decisions
        </label>
      </div>
      {problem ? (
        <Alert tone="error" title="The calibration did not start">
          {problem}
        </Alert>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-xs text-stone-500">
          {llmConfigured ? (
            "The judge answers on the endpoint saved in Settings; the samples stay as they are."
          ) : (
            <>
              No LLM endpoint is configured:{" "}
              <Link href="/settings" className="font-medium text-accent-700 hover:underline">
                set one in Settings
              </Link>{" "}
              first.
            </>
          )}
        </p>
        <Button type="submit" variant="primary" disabled={busy || !dataset}>
          {busy ? "Starting…" : "Calibrate"}
        </Button>
      </div>
    </form>
  );
}

function MetricsLine({ metrics }: { metrics: Metrics }) {
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-5">
      {[
        ["Agreement", percent(metrics.agreement)],
        ["Precision of fail", percent(metrics.precision)],
        ["Recall of fail", percent(metrics.recall)],
        ["Cohen's κ", kappaText(metrics.kappa)],
        ["No usable answer", formatCount(metrics.errors)],
      ].map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs text-stone-500">{label}</dt>
          <dd className="tabular text-lg font-semibold text-stone-900" data-metric={label}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function CalibrationDetail({ id }: { id: number }) {
  const { data, error } = useApi("GET /api/calibrations/[id]", { params: { id } }, { refreshInterval: (latest) => (latest?.calibration.status === "running" ? POLL_MS : 0) });
  // The list says what the detail says: it follows the moment this calibration ends.
  const status = data?.calibration.status;
  useEffect(() => {
    if (status && status !== "running") void invalidate("GET /api/calibrations");
  }, [status]);
  if (error) return <Alert tone="error" title={`Calibration #${id}`}>{error.message}</Alert>;
  if (!data) return null;
  const { calibration, disagreements } = data;
  const { confusion } = calibration.metrics;
  return (
    <Card aria-labelledby="calibration-detail-title" data-testid="calibration-detail">
      <CardHeader
        titleId="calibration-detail-title"
        title={`Calibration #${calibration.id} · ${calibration.dataset} · stage ${calibration.stage} · ${calibration.model}`}
        description={`${formatCount(calibration.done)} of ${formatCount(calibration.total)} samples judged · started by ${calibration.createdBy.replace(/^human:/, "")}, ${formatDateTime(new Date(calibration.createdAt))}${calibration.failure ? ` · failed: ${calibration.failure}` : ""}`}
      />
      <div className="space-y-6 px-5 py-5">
        <MetricsLine metrics={calibration.metrics} />
        <table className="w-full max-w-md text-sm" aria-label="Confusion matrix">
          <thead className="text-xs text-stone-500">
            <tr>
              <th scope="col" className="pb-2 text-left font-medium">People ↓ · judge →</th>
              <th scope="col" className="pb-2 text-right font-medium">Fail</th>
              <th scope="col" className="pb-2 text-right font-medium">Pass</th>
            </tr>
          </thead>
          <tbody className="tabular">
            <tr>
              <th scope="row" className="py-1 text-left font-medium text-stone-700">Discarded (fail)</th>
              <td className="py-1 text-right" data-cell="both-fail">{formatCount(confusion.bothFail)}</td>
              <td className={cx("py-1 text-right", confusion.humanFailJudgePass > 0 && "text-rose-700")} data-cell="missed">{formatCount(confusion.humanFailJudgePass)}</td>
            </tr>
            <tr>
              <th scope="row" className="py-1 text-left font-medium text-stone-700">Approved (pass)</th>
              <td className={cx("py-1 text-right", confusion.humanPassJudgeFail > 0 && "text-rose-700")} data-cell="false-alarm">{formatCount(confusion.humanPassJudgeFail)}</td>
              <td className="py-1 text-right" data-cell="both-pass">{formatCount(confusion.bothPass)}</td>
            </tr>
          </tbody>
        </table>
        <section aria-labelledby="disagreements-title">
          <h3 id="disagreements-title" className="mb-2 text-sm font-semibold text-stone-800">
            Where the judge and the people disagree · {formatCount(disagreements.length)}
          </h3>
          {disagreements.length ? (
            <ul className="divide-y divide-stone-100 rounded-lg ring-1 ring-stone-200" aria-label="Disagreements">
              {disagreements.map((d) => (
                <li key={d.sampleId} className="px-4 py-2.5 text-sm" data-sample={d.sampleId}>
                  <Link href={`/samples/${d.sampleId}`} className="font-medium text-accent-800 hover:underline">
                    #{d.sampleId}
                  </Link>{" "}
                  <span className="text-stone-600">
                    people: {d.human === "fail" ? "discarded" : "approved"} · judge: {d.judge}
                  </span>
                  <p className="mt-0.5 truncate text-stone-800">{d.query}</p>
                  {d.reason ? <p className="mt-0.5 text-xs text-stone-500">{d.reason}</p> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-stone-500">{calibration.status === "running" ? "None so far." : "None: the judge agreed with every decision it gave a verdict on."}</p>
          )}
        </section>
      </div>
    </Card>
  );
}

/**
 * What the comparison says: a verdict only once both calibrations are done (figures of a calibration still judging are
 * of the samples judged so far), and none on no common sample.
 */
function ComparisonVerdict({ comparison: c }: { comparison: ApiAnswer<"GET /api/calibrations/compare"> }) {
  const judging = [c.a, c.b].filter((calibration) => calibration.status === "running");
  const decided = !judging.length && c.pairs > 0 && c.beyondNoise;
  const p = c.pValue.toPrecision(2);
  return (
    <p data-testid="comparison-verdict" className={decided ? "font-medium text-stone-900" : "text-stone-700"}>
      {judging.length
        ? `${judging.map((j) => `#${j.id} is still judging (${formatCount(j.done)} of ${formatCount(j.total)} samples)`).join("; ")}: these figures are of the samples judged so far, and the verdict waits until both are done.`
        : c.pairs === 0
          ? "These two have no judged sample in common: there is nothing to compare."
          : c.beyondNoise
            ? `The difference is beyond noise (p = ${p}): #${(c.agreementA ?? 0) >= (c.agreementB ?? 0) ? c.a.id : c.b.id} agrees with the people more.`
            : `The difference is within noise (p = ${p}): these samples do not tell the two apart.`}
    </p>
  );
}

function Comparison({ a, b }: { a: number; b: number }) {
  // Followed while either is still judging: its figures so far are no verdict, and a comparison read once would keep them.
  const { data, error } = useApi(
    "GET /api/calibrations/compare",
    { query: { a: String(a), b: String(b) } },
    { refreshInterval: (latest) => (latest && (latest.a.status === "running" || latest.b.status === "running") ? POLL_MS : 0) },
  );
  return (
    <Card aria-labelledby="comparison-title" data-testid="calibration-comparison">
      <CardHeader titleId="comparison-title" title={`#${a} against #${b}`} description="On the samples both judged: where only one of them agreed with the people decides it (McNemar's exact test)." />
      <div className="px-5 py-5 text-sm">
        {error ? (
          <Alert tone="warning" title="These two cannot be compared">
            {error.message}
          </Alert>
        ) : data ? (
          <div className="space-y-3">
            <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-4">
              {[
                [`#${a} · ${data.a.model}`, percent(data.agreementA)],
                [`#${b} · ${data.b.model}`, percent(data.agreementB)],
                ["Samples compared", formatCount(data.pairs)],
                ["Only one right", `${formatCount(data.onlyA)} vs ${formatCount(data.onlyB)}`],
              ].map(([label, value]) => (
                <div key={label}>
                  <dt className="text-xs text-stone-500">{label}</dt>
                  <dd className="tabular text-lg font-semibold text-stone-900">{value}</dd>
                </div>
              ))}
            </dl>
            <ComparisonVerdict comparison={data} />
          </div>
        ) : (
          <p className="text-stone-500">Comparing…</p>
        )}
      </div>
    </Card>
  );
}
