"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { FIELD, LABEL, SUB_LABEL } from "@/components/ui/form-classes";
import { NumberField } from "@/components/ui/NumberField";
import { PlayIcon } from "@/components/ui/icons";
import { api, errorMessage, type ApiAnswer } from "@/lib/api/client";
import { useApi } from "@/lib/api/use-api";
import { formatCost } from "@/lib/cost/prices";
import { PANEL_RULE_LABELS } from "@/lib/judges/panel-vote";
import type { PanelView } from "@/lib/judges/panels";
import { HARD_POOL_DEFAULTS, RUN_FLOWS, type RunFlow } from "@/lib/pipeline/hard-pool";
import { DEFAULT_JUDGE_MODE, JUDGE_MODES, type JudgeMode } from "@/lib/pipeline/judge-modes";
import { PANEL_STAGE_IDS, STAGE_NAMES, STAGE_REGISTRY, type StageId } from "@/lib/pipeline/stage-registry";
import { RUN_MODES, RUN_MODE_IDS, DEFAULT_RUN_MODE, type RunMode } from "@/lib/runs/modes";
import type { RunDefaults } from "@/lib/settings/llm-settings";

/** Until the saved panels are read, and when none are saved or the person may not read Settings. */
const NO_PANELS: PanelView[] = [];


/** The stages a run may leave out, each a checkbox (on by default). */
const OPTIONAL_STAGES = STAGE_REGISTRY.filter((s) => s.optional);

type Outcome = { kind: "started"; runId: number; total: number; dataset: string } | { kind: "failed"; message: string } | null;

/** `defaults`: the run defaults saved on /settings (or built in). */
export function StartRunForm({
  datasets,
  llmConfigured,
  defaults,
}: {
  datasets: Array<{ name: string; pending: number }>;
  llmConfigured: boolean;
  defaults: RunDefaults;
}) {
  const router = useRouter();
  const ids = {
    dataset: useId(),
    stages: useId(),
    concurrency: useId(),
    regen: useId(),
    rate: useId(),
    help: useId(),
    panels: useId(),
    flow: useId(),
    judgeMode: useId(),
    candidates: useId(),
    temperature: useId(),
    mode: useId(),
  };
  const [dataset, setDataset] = useState(datasets[0]?.name ?? "");
  const [stages, setStages] = useState<"rules" | "all">(llmConfigured ? "all" : "rules");
  const [concurrency, setConcurrency] = useState(String(defaults.concurrency));
  const [maxRegenerations, setMaxRegenerations] = useState(String(defaults.maxRegenerations));
  const [requestsPerMinute, setRequestsPerMinute] = useState(defaults.requestsPerMinute === null ? "" : String(defaults.requestsPerMinute));
  const [skipStages, setSkipStages] = useState<StageId[]>([]);
  // How the LLM is asked: live, or batches (the Batch API, or files by hand: one file per model, a panel's members too).
  const [mode, setMode] = useState<RunMode>(DEFAULT_RUN_MODE);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  // The judge panels saved in Settings, and the one picked per stage (none: the stage's single judge).
  const panels = useApi("GET /api/settings/panels").data?.panels ?? NO_PANELS;
  const [judgePanels, setJudgePanels] = useState<Partial<Record<StageId, string>>>({});
  // One judge call per stage (the paper's), or one for stages 2–4; a combined call has no panels.
  const [judgeMode, setJudgeMode] = useState<JudgeMode>(DEFAULT_JUDGE_MODE);
  const chosenPanels = judgeMode === "combined" ? [] : Object.entries(judgePanels).filter(([, name]) => name);
  // What a full run would ask for, and cost, before it starts.
  const { data: estimated } = useApi(stages === "all" && dataset ? "GET /api/runs/estimate" : null, {
    query: { dataset, skipStages: skipStages.join(","), panels: chosenPanels.map(([stage, name]) => `${stage}:${name}`).join(","), judgeMode },
  });
  // What a stage 4/5 fail leads to: v1 regenerates, v3 sends the sample to the hard-data pool.
  const [flow, setFlow] = useState<RunFlow>("v1");
  const [candidates, setCandidates] = useState(String(HARD_POOL_DEFAULTS.candidates));
  const [temperature, setTemperature] = useState(String(HARD_POOL_DEFAULTS.temperature));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setOutcome(null);
    try {
      const run = await api("POST /api/runs", {
        body: {
          dataset,
          stages,
          concurrency: Number(concurrency),
          maxRegenerations: Number(maxRegenerations),
          requestsPerMinute: requestsPerMinute.trim() === "" ? null : Number(requestsPerMinute),
          skipStages,
          ...(stages === "all" ? { mode, judgeMode, judgePanels: Object.fromEntries(chosenPanels) } : {}),
          ...(stages === "all" && flow === "v3" ? { hardPool: { candidates: Number(candidates), temperature: Number(temperature) } } : {}),
        },
      });
      setOutcome({ kind: "started", runId: run.runId, total: run.total, dataset });
      router.refresh();
    } catch (error) {
      setOutcome({ kind: "failed", message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-5 px-5 py-5" aria-label="Start a run">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-6">
        <div className="sm:col-span-2">
          <label htmlFor={ids.dataset} className={LABEL}>
            Dataset
          </label>
          <select id={ids.dataset} className={FIELD} value={dataset} onChange={(e) => setDataset(e.target.value)} disabled={busy} required>
            {datasets.map((d) => (
              <option key={d.name} value={d.name}>
                {d.name} · {d.pending.toLocaleString("en-US")} pending
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={ids.stages} className={LABEL}>
            Stages
          </label>
          <select
            id={ids.stages}
            className={FIELD}
            value={stages}
            onChange={(e) => setStages(e.target.value as "rules" | "all")}
            disabled={busy}
            aria-describedby={ids.help}
          >
            <option value="rules">Rules only</option>
            <option value="all">All (LLM judges)</option>
          </select>
        </div>
        <NumberField id={ids.concurrency} label="Concurrency" min={1} max={1024} value={concurrency} onChange={setConcurrency} disabled={busy} required />
        <NumberField id={ids.regen} label="Max regenerations" min={0} max={20} value={maxRegenerations} onChange={setMaxRegenerations} disabled={busy} required />
        <NumberField
          id={ids.rate}
          label="Rate limit"
          min={1}
          placeholder="Unlimited"
          value={requestsPerMinute}
          onChange={setRequestsPerMinute}
          disabled={busy || stages === "rules"}
          describedBy={ids.help}
        />
      </div>
      {OPTIONAL_STAGES.length ? (
        <fieldset className="flex flex-wrap gap-x-6 gap-y-2">
          <legend className={LABEL}>Optional stages</legend>
          {OPTIONAL_STAGES.map((stage) => (
            <label key={stage.id} className="flex items-center gap-2 text-sm text-stone-700" title={stage.question}>
              <input
                type="checkbox"
                checked={!skipStages.includes(stage.id)}
                onChange={(e) => setSkipStages((ids) => (e.target.checked ? ids.filter((id) => id !== stage.id) : [...ids, stage.id]))}
                disabled={busy}
                className="size-4 rounded border-stone-300 text-accent-600"
              />
              {stage.id} · {stage.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      {stages === "all" ? (
        <div className="max-w-3xl">
          <label htmlFor={ids.mode} className={LABEL}>
            Mode
          </label>
          <select id={ids.mode} className={FIELD} value={mode} onChange={(e) => setMode(e.target.value as RunMode)} disabled={busy}>
            {RUN_MODE_IDS.map((id) => (
              <option key={id} value={id}>
                {RUN_MODES[id].name}: {RUN_MODES[id].description}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {stages === "all" ? (
        <div>
          <label htmlFor={ids.judgeMode} className={LABEL}>
            Judge calls
          </label>
          <select id={ids.judgeMode} className={FIELD} value={judgeMode} onChange={(e) => setJudgeMode(e.target.value as JudgeMode)} disabled={busy}>
            {JUDGE_MODES.map((mode) => (
              <option key={mode.id} value={mode.id}>
                {mode.label}
              </option>
            ))}
          </select>
          {judgeMode === "combined" && panels.length ? <p className="mt-1 text-xs text-stone-500">One combined call has no judge panels: choose per-stage judging for a panel.</p> : null}
        </div>
      ) : null}
      {stages === "all" && judgeMode !== "combined" && panels.length ? (
        <fieldset className="grid gap-4 sm:grid-cols-3">
          <legend className={LABEL}>Judges</legend>
          {PANEL_STAGE_IDS.map((stage) => (
            <div key={stage}>
              <label htmlFor={`${ids.panels}-${stage}`} className={SUB_LABEL}>
                Stage {stage} · {STAGE_NAMES[stage]}
              </label>
              <select
                id={`${ids.panels}-${stage}`}
                className={FIELD}
                value={judgePanels[stage] ?? ""}
                onChange={(e) => setJudgePanels((current) => ({ ...current, [stage]: e.target.value }))}
                disabled={busy}
              >
                <option value="">Single judge</option>
                {panels.map((panel) => (
                  <option key={panel.name} value={panel.name}>
                    Panel {panel.name} ({panel.members.length}, {PANEL_RULE_LABELS[panel.rule]})
                  </option>
                ))}
              </select>
            </div>
          ))}
        </fieldset>
      ) : null}
      {stages === "all" ? (
        <fieldset className="grid gap-4 sm:grid-cols-2 lg:grid-cols-6">
          <legend className={LABEL}>When stage 4 or 5 fails an answer</legend>
          <div className="sm:col-span-2 lg:col-span-4">
            <label htmlFor={ids.flow} className={SUB_LABEL}>
              Flow
            </label>
            <select id={ids.flow} className={FIELD} value={flow} onChange={(e) => setFlow(e.target.value as RunFlow)} disabled={busy}>
              {Object.entries(RUN_FLOWS).map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          {flow === "v3" ? (
            <>
              <NumberField id={ids.candidates} label="Candidates (K)" min={2} max={16} value={candidates} onChange={setCandidates} disabled={busy} required small />
              <NumberField
                id={ids.temperature}
                label="Temperature"
                min={0.1}
                max={2}
                step={0.1}
                value={temperature}
                onChange={setTemperature}
                disabled={busy}
                required
                small
              />
            </>
          ) : null}
        </fieldset>
      ) : null}
      {stages === "all" && estimated ? <RunEstimateNote estimate={estimated.estimate} /> : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p id={ids.help} className="text-xs text-stone-500">
          A run takes the dataset&apos;s pending samples; the rate limit is LLM requests per minute.{" "}
          {llmConfigured
            ? "LLM judges are configured."
            : "No LLM endpoint is configured: use rules only, mode Batch files (a model name is enough), or set one up in Settings."}{" "}
          <Link href="/settings" className="font-medium text-accent-700 hover:underline">
            Change the defaults
          </Link>
        </p>
        <Button type="submit" variant="primary" disabled={busy || !dataset}>
          <PlayIcon width={16} height={16} />
          {busy ? "Starting…" : "Start run"}
        </Button>
      </div>
      {outcome?.kind === "started" ? (
        <Alert tone="success" title={`Run #${outcome.runId} started on ${outcome.dataset}`}>
          {outcome.total === 0
            ? "It had no pending samples, so it finished at once."
            : `${outcome.total.toLocaleString("en-US")} ${outcome.total === 1 ? "sample" : "samples"} queued.`}
        </Alert>
      ) : outcome?.kind === "failed" ? (
        <Alert tone="error" title="The run did not start">
          {outcome.message}
        </Alert>
      ) : null}
    </form>
  );
}

/** The estimate of a full run: calls and tokens per sample, the run's totals and its cost at the saved prices. */
function RunEstimateNote({ estimate }: { estimate: ApiAnswer<"GET /api/runs/estimate">["estimate"] }) {
  if (estimate.samples === 0) return null;
  const per = estimate.perSample;
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  return (
    <div className="rounded-xl border border-stone-200 bg-stone-50/70 px-4 py-3 text-sm text-stone-700" data-testid="run-estimate">
      <p>
        <span className="font-medium text-stone-900">Estimate:</span> {estimate.samples.toLocaleString("en-US")} samples ×{" "}
        {estimate.callsPerSample.toFixed(1)} calls × {fmt((per.prompt + per.completion) / estimate.callsPerSample)} tokens ={" "}
        <span className="tabular">{fmt(estimate.total.prompt + estimate.total.completion)}</span> tokens, of which{" "}
        <span className="tabular">{fmt(estimate.total.cached)}</span> cached prompt tokens ·{" "}
        <span className="font-medium text-stone-900">{estimate.cost === null ? "no cost: a model has no price in Settings" : `about ${formatCost(estimate.cost)}`}</span>
      </p>
      <JudgeModeSaving estimate={estimate} />
      <p className="mt-1 text-xs text-stone-500">
        From {estimate.sampled} random samples, counted as the judge will see them (o200k tokens, prefix caching); per sample{" "}
        {fmt(per.prompt)} prompt tokens, {fmt(per.prompt - per.cached)} of them uncached ({((per.prompt - per.cached) / (estimate.ownTokens || 1)).toFixed(1)}× the
        sample&apos;s own {fmt(estimate.ownTokens)}), and about {fmt(per.completion)} completion tokens.
      </p>
    </div>
  );
}

/** What one combined judge call for stages 2–4 saves against one call per stage (or costs, if it does not save). */
function JudgeModeSaving({ estimate }: { estimate: ApiAnswer<"GET /api/runs/estimate">["estimate"] }) {
  const perStage = estimate.modes["per-stage"];
  const combined = estimate.modes.combined;
  const tokens = (m: typeof combined) => m.total.prompt - m.total.cached + m.total.completion;
  const fewer = perStage.total.calls - combined.total.calls;
  if (fewer <= 0) return null;
  const uncachedSaving = 1 - tokens(combined) / (tokens(perStage) || 1);
  const cost = perStage.cost !== null && combined.cost !== null ? ` and about ${formatCost(perStage.cost - combined.cost)}` : "";
  const chosen = estimate.judgeMode === "combined";
  return (
    <p className="mt-1" data-testid="judge-mode-saving">
      <span className="font-medium text-stone-900">{chosen ? "One judge call for stages 2–4 saves" : "One judge call for stages 2–4 would save"}</span>{" "}
      {fewer.toLocaleString("en-US")} calls ({perStage.callsPerSample.toFixed(1)} → {combined.callsPerSample.toFixed(1)} a sample),{" "}
      {Math.round(uncachedSaving * 100)}% of the uncached prompt and completion tokens{cost}, against one call per stage.
    </p>
  );
}
