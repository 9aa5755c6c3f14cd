"use client";

// The Rounds page: start a self-refinement round (a source dataset, the policy model), follow it, and read each
// round's figures — agreement with the reference, each stage's pass rate, the refined set, what changed since the
// previous round — the curves over rounds, and the refined answers that disagree with the reference.
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
import { NumberField } from "@/components/ui/NumberField";
import { api, errorMessage, type ApiAnswer } from "@/lib/api/client";
import { invalidate, useApi } from "@/lib/api/use-api";
import { STAGE_REGISTRY } from "@/lib/pipeline/stage-registry";
import { RoundsChart } from "./RoundsChart";

type Round = ApiAnswer<"GET /api/rounds">["rounds"][number];

const POLL_MS = 1000;
const STATUS_TONE: Record<Round["status"], BadgeTone> = { generating: "sky", refining: "sky", paused: "amber", succeeded: "green", failed: "rose", cancelled: "neutral" };
/** The stages a round's run goes through (the optional ones are left out: see lib/rounds/rounds.ts). */
const STAGES = STAGE_REGISTRY.filter((stage) => !stage.optional);

const active = (round: Round) => round.status === "generating" || round.status === "refining";

function percent(value: number | null): string {
  return value === null ? "—" : `${(value * 100).toFixed(1)}%`;
}

/** A stage's pass rate in the round's run: passes among the samples it decided (null before any). */
export function passRate(outcomes: Record<string, number> | undefined): number | null {
  if (!outcomes) return null;
  const decided = Object.values(outcomes).reduce((a, b) => a + b, 0);
  return decided ? (outcomes.pass ?? 0) / decided : null;
}

export function RoundsBoard({ initial, sources, canStart, selected: selectedAtFirst }: { initial: Round[]; sources: string[]; canStart: boolean; selected: number | null }) {
  const [selected, setSelected] = useState<number | null>(selectedAtFirst ?? initial[0]?.id ?? null);
  const { data } = useApi("GET /api/rounds", undefined, {
    fallbackData: { rounds: initial },
    refreshInterval: (latest) => (latest?.rounds.some(active) ? POLL_MS : 0),
  });
  const rounds = data?.rounds ?? initial;
  const current = rounds.find((r) => r.id === selected) ?? null;
  const sameSource = current ? rounds.filter((r) => r.source === current.source).sort((a, b) => a.number - b.number) : [];

  return (
    <div className="space-y-8">
      {canStart ? (
        <Card aria-labelledby="round-start-title">
          <CardHeader
            titleId="round-start-title"
            title="Start a round"
            description="The policy model answers every query of the source from the query and the tools alone (never the reference answer), in the FunReason format; each answer is compared with the reference, then goes through the stages. What passes is the round's refined set: train on it, then start the next round with the new model."
          />
          <StartRoundForm sources={sources} onStarted={setSelected} />
        </Card>
      ) : null}

      <Card aria-labelledby="rounds-title">
        <CardHeader titleId="rounds-title" title="Rounds" description="Newest first. S1–S5: each stage's pass rate. + / −: queries rescued and lost, this round's refined set against the previous round's, query by query." />
        {rounds.length ? (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[50rem] text-left text-sm" aria-label="Rounds">
              <thead className="border-b border-stone-200 bg-stone-50/70 text-xs text-stone-500">
                <tr>
                  <th scope="col" className="py-2.5 pr-3 pl-5 font-medium">Round</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">Model</th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">Agreement</th>
                  {STAGES.map((stage) => (
                    <th key={stage.id} scope="col" className="px-1.5 py-2.5 text-right font-medium" title={`Stage ${stage.id}: ${stage.short}, pass rate`}>
                      S{stage.id}
                    </th>
                  ))}
                  <th scope="col" className="px-3 py-2.5 text-right font-medium">Refined</th>
                  <th scope="col" className="px-3 py-2.5 text-right font-medium whitespace-nowrap">+ / −</th>
                  <th scope="col" className="px-3 py-2.5 pr-5 font-medium">Status</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {rounds.map((r) => (
                  <tr key={r.id} data-round={r.id} data-dataset={r.dataset} className={cx(r.id === selected && "bg-accent-50/60")}>
                    <td className="py-2.5 pr-3 pl-5">
                      <button
                        type="button"
                        className="text-left font-medium whitespace-nowrap text-stone-900 hover:text-accent-800 hover:underline"
                        onClick={() => setSelected(r.id)}
                        aria-pressed={r.id === selected}
                        aria-label={r.dataset}
                      >
                        Round {r.number}
                      </button>
                      <div className="max-w-40 truncate text-xs text-stone-500" title={r.dataset}>
                        {formatCount(r.answers)} answers{r.samplesPerQuery > 1 ? ` (${r.samplesPerQuery} a query)` : ""} · T {r.temperature}
                      </div>
                    </td>
                    <td className="px-3 py-2.5 font-mono text-xs whitespace-nowrap text-stone-800">{r.model}</td>
                    <td className="tabular px-3 py-2.5 text-right font-medium" data-column="agreement">
                      {percent(r.agreement)}
                    </td>
                    {STAGES.map((stage) => (
                      <td key={stage.id} className="tabular px-1.5 py-2.5 text-right text-stone-700" data-column={`stage-${stage.id}`}>
                        {percent(passRate(r.stages[stage.id]))}
                      </td>
                    ))}
                    <td className="tabular px-3 py-2.5 text-right font-medium" data-column="refined">
                      {formatCount(r.refined)}
                    </td>
                    <td className="tabular px-3 py-2.5 text-right whitespace-nowrap" data-column="change">
                      {r.rescued === null ? "—" : (
                        <>
                          <span className="text-emerald-700">+{formatCount(r.rescued)}</span> / <span className="text-rose-700">−{formatCount(r.lost ?? 0)}</span>
                        </>
                      )}
                    </td>
                    <td className="px-3 py-2.5 pr-5">
                      <Badge tone={STATUS_TONE[r.status]} dot>
                        <span data-testid="round-status">{r.status}</span>
                      </Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <EmptyState title="No round yet">Start one: the policy model answers a dataset&apos;s queries, and the pipeline keeps what holds up.</EmptyState>
        )}
      </Card>

      {current && sameSource.length > 0 ? (
        <Card aria-labelledby="rounds-chart-title">
          <CardHeader titleId="rounds-chart-title" title={`Over the rounds of ${current.source}`} description="Agreement with the reference answers, and the refined set as a share of the answers, round by round." />
          <div className="px-5 py-5">
            <RoundsChart
              title={`Agreement and refined set over the rounds of ${current.source}`}
              points={sameSource.map((r) => ({ number: r.number, agreement: r.agreement, refinedShare: r.refinedFinished ? r.refined / r.answers : null }))}
            />
          </div>
        </Card>
      ) : null}

      {selected !== null ? <RoundDetail id={selected} /> : null}
    </div>
  );
}

function StartRoundForm({ sources, onStarted }: { sources: string[]; onStarted: (id: number) => void }) {
  const router = useRouter();
  const ids = { source: useId(), model: useId(), samples: useId(), temperature: useId(), regenerations: useId() };
  const policy = useApi("GET /api/settings/policy").data?.policy;
  const [source, setSource] = useState(sources[0] ?? "");
  const [model, setModel] = useState("");
  const [samplesPerQuery, setSamplesPerQuery] = useState("1");
  const [temperature, setTemperature] = useState("0");
  const [maxRegenerations, setMaxRegenerations] = useState("0");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const body = { source, model: model.trim() || undefined, samplesPerQuery: Number(samplesPerQuery), temperature: Number(temperature), maxRegenerations: Number(maxRegenerations) };
      const started = await api("POST /api/rounds", { body });
      await invalidate("GET /api/rounds");
      onStarted(started.id);
      router.replace(`/rounds?id=${started.id}`, { scroll: false });
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4 px-5 py-5" aria-label="Start a round">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <div>
          <label htmlFor={ids.source} className={LABEL}>
            Source dataset
          </label>
          <select id={ids.source} className={FIELD} value={source} onChange={(e) => setSource(e.target.value)} disabled={busy} required>
            {sources.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={ids.model} className={LABEL}>
            Policy model
          </label>
          <input id={ids.model} className={FIELD} value={model} onChange={(e) => setModel(e.target.value)} placeholder={policy?.model ?? "e.g. funreason-r1"} disabled={busy} maxLength={200} />
        </div>
        <NumberField id={ids.samples} label="Answers per query" value={samplesPerQuery} onChange={setSamplesPerQuery} min={1} max={16} disabled={busy} />
        <NumberField id={ids.temperature} label="Temperature" value={temperature} onChange={setTemperature} min={0} max={2} step={0.1} disabled={busy} />
        <NumberField id={ids.regenerations} label="Regeneration attempts" value={maxRegenerations} onChange={setMaxRegenerations} min={0} max={20} disabled={busy} />
      </div>
      {problem ? (
        <Alert tone="error" title="The round did not start">
          {problem}
        </Alert>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-xs text-stone-500">
          The policy model is asked at{" "}
          <Link href="/settings" className="font-medium text-accent-700 hover:underline">
            the endpoint in Settings
          </Link>{" "}
          ({policy?.baseURL ?? "the judge's"}). With 0 regeneration attempts only the model&apos;s own answers can pass.
        </p>
        <Button type="submit" variant="primary" disabled={busy || !source}>
          {busy ? "Starting…" : "Start round"}
        </Button>
      </div>
    </form>
  );
}

function RoundDetail({ id }: { id: number }) {
  const { data, error } = useApi("GET /api/rounds/[id]", { params: { id } }, { refreshInterval: (latest) => (latest && active(latest.round) ? POLL_MS : 0) });
  const status = data?.round.status;
  useEffect(() => {
    if (status && status !== "generating" && status !== "refining") void invalidate("GET /api/rounds");
  }, [status]);
  if (error) return <Alert tone="error" title={`Round #${id}`}>{error.message}</Alert>;
  if (!data) return null;
  const { round, disagreeing } = data;
  const figures: [string, string][] = [
    ["Agreement with the reference", `${percent(round.agreement)} (${formatCount(round.agreeing)} of ${formatCount(round.compared)})`],
    ["Refined set", `${formatCount(round.refined)} of ${formatCount(round.answers)}`],
    ["Rescued since the previous round", round.rescued === null ? "—" : formatCount(round.rescued)],
    ["Lost since the previous round", round.lost === null ? "—" : formatCount(round.lost)],
    ["No usable answer", formatCount(round.generationFailed)],
  ];
  return (
    <Card aria-labelledby="round-detail-title" data-testid="round-detail">
      <CardHeader
        titleId="round-detail-title"
        title={`${round.dataset} · ${round.model}`}
        description={`Started by ${round.createdBy.replace(/^human:/, "")}, ${formatDateTime(new Date(round.createdAt))}${round.generatedAt ? ` · answers in ${seconds(round.createdAt, round.generatedAt)}` : ""}${round.finishedAt && round.generatedAt ? ` · refined in ${seconds(round.generatedAt, round.finishedAt)}` : ""}${round.failure ? ` · failed: ${round.failure}` : ""}`}
        actions={
          <Link href={`/samples?dataset=${round.datasetId}`} className="text-sm font-medium text-accent-700 hover:underline">
            All its samples
          </Link>
        }
      />
      <div className="space-y-6 px-5 py-5">
        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-5">
          {figures.map(([label, value]) => (
            <div key={label}>
              <dt className="text-xs text-stone-500">{label}</dt>
              <dd className="tabular text-lg font-semibold text-stone-900" data-figure={label}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
        <section aria-labelledby="disagreeing-title">
          <h3 id="disagreeing-title" className="text-sm font-semibold text-stone-900">
            Passed, but not the reference&apos;s answer ({formatCount(round.disagreeingRefined)})
          </h3>
          <p className="mt-0.5 text-sm text-stone-500">The pipeline kept these although the model&apos;s calls differ from the reference: either the reference is wrong, or a stage let a mistake through. Worth a person&apos;s look.</p>
          {disagreeing.length ? (
            <ul className="mt-3 divide-y divide-stone-100 rounded-lg border border-stone-200" aria-label="Refined answers that disagree with the reference">
              {disagreeing.map((item) => (
                <li key={item.sampleId} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-2.5 text-sm">
                  <Link href={`/samples/${item.sampleId}`} className="font-medium text-accent-700 hover:underline">
                    #{item.sampleId}
                  </Link>
                  <span className="min-w-0 flex-1 truncate text-stone-800">{item.query}</span>
                  <span className="text-xs text-stone-500">{item.reason}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-3 text-sm text-stone-500">None{active(round) ? " yet" : ""}.</p>
          )}
        </section>
      </div>
    </Card>
  );
}

function seconds(from: string | Date, to: string | Date): string {
  return `${((new Date(to).getTime() - new Date(from).getTime()) / 1000).toFixed(1)} s`;
}
