import { formatCount, formatDateTime } from "@/components/datasets/format";
import { OutcomeBadge, STAGE_NAMES } from "@/components/samples/SampleParts";
import { STAGE_IDS, stageName, stageShort } from "@/lib/pipeline/stage-registry";
import { cx } from "@/components/ui/cx";
import type { Jsonified } from "@/lib/http/json";
import { stageOutcome, type Outcome } from "@/lib/pipeline/types";
import { verdictGroup } from "@/lib/review/highlights";
import type { SampleVerdict } from "@/lib/samples/queries";

type VerdictRow = Jsonified<SampleVerdict>;

/** A stage's verdicts as rounds (one attempt of one run, task or edit), newest round first. */
function roundsOf(verdicts: VerdictRow[]): VerdictRow[][] {
  const rounds = new Map<string, VerdictRow[]>();
  for (const v of verdicts) {
    const key = verdictGroup(v);
    rounds.set(key, [...(rounds.get(key) ?? []), v]);
  }
  const newest = (round: VerdictRow[]) => Math.max(...round.map((v) => Number(v.id)));
  return [...rounds.values()].sort((a, b) => newest(b) - newest(a));
}

const MARKER: Record<Outcome, string> = {
  pass: "bg-emerald-600 text-white",
  fail: "bg-rose-600 text-white",
  error: "bg-amber-500 text-white",
  skip: "bg-stone-300 text-stone-700",
};

function Meta({ v }: { v: VerdictRow }) {
  const tokens = (v.promptTokens ?? 0) + (v.completionTokens ?? 0);
  const parts = [
    v.runId !== null ? `run #${v.runId}` : "review",
    `attempt ${v.attempt}`,
    tokens ? `${formatCount(tokens)} tokens` : null,
    v.latencyMs !== null ? `${formatCount(v.latencyMs)} ms` : null,
    v.promptVersion,
  ].filter(Boolean);
  return (
    <p className="mt-1 flex flex-wrap gap-x-2 text-[11px] text-stone-400" title={`Recorded ${formatDateTime(new Date(v.createdAt))}`}>
      {parts.map((p, i) => (
        <span key={i} className="tabular">
          {i > 0 ? <span aria-hidden className="mr-2">·</span> : null}
          {p}
        </span>
      ))}
    </p>
  );
}

/** A round's verdicts in order, each judge panel's verdict followed by its members' votes. */
function withVotes(round: VerdictRow[]): VerdictRow[] {
  const panelVotes = (v: VerdictRow) => round.filter((m) => m.memberOf && `panel:${m.memberOf}` === v.decidedBy);
  return round.filter((v) => !v.memberOf).flatMap((v) => [v, ...panelVotes(v)]);
}

function VerdictEntry({ v }: { v: VerdictRow }) {
  const vote = typeof v.evidence.vote === "string" && typeof v.evidence.rule === "string" ? `${v.evidence.vote} · rule: ${v.evidence.rule}` : null;
  return (
    <li data-testid="verdict" data-stage={v.stage} data-outcome={v.outcome} data-member-of={v.memberOf ?? undefined} className={cx("py-2", v.memberOf && "ml-4 border-l-2 border-stone-200 pl-3")}>
      <div className="flex flex-wrap items-center gap-2">
        <OutcomeBadge outcome={v.outcome} />
        <span className="font-mono text-xs break-all text-stone-600">{v.decidedBy}</span>
        {v.memberOf ? <span className="text-[11px] text-stone-400">vote in panel {v.memberOf}</span> : null}
        {vote && v.decidedBy.startsWith("panel:") ? (
          <span data-testid="panel-vote" className="rounded-full bg-stone-100 px-2 py-0.5 text-[11px] font-medium text-stone-700">
            {vote}
          </span>
        ) : null}
      </div>
      <p className="mt-1 text-[13px] leading-5 break-words text-stone-800">{v.reason}</p>
      <Meta v={v} />
    </li>
  );
}

/**
 * The stages in run order, each with its latest round of verdicts (the rule's, then the judge's when it was
 * asked) and its outcome; earlier rounds (older runs, attempts before a regeneration) folded away.
 */
export function VerdictTimeline({ verdicts }: { verdicts: VerdictRow[] }) {
  return (
    <ol className="px-5 py-3" aria-label="Stage verdicts">
      {STAGE_IDS.map((stage, index) => {
        const rounds = roundsOf(verdicts.filter((v) => v.stage === stage));
        const [latest, ...older] = rounds;
        const outcome = latest ? stageOutcome(latest) : null;
        return (
          <li key={stage} id={`stage-${stage}`} className="relative flex scroll-mt-40 gap-3 pb-3 last:pb-0" data-timeline-stage={stage} data-stage-outcome={outcome ?? "none"}>
            {index < STAGE_IDS.length - 1 ? <span aria-hidden className="absolute top-7 bottom-0 left-[11px] w-px bg-stone-200" /> : null}
            <span
              aria-hidden
              className={cx("relative z-10 mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full text-[11px] font-semibold", outcome ? MARKER[outcome] : "bg-white text-stone-400 ring-1 ring-stone-300")}
            >
              {stage}
            </span>
            <div className="min-w-0 flex-1">
              <h3 className="flex flex-wrap items-baseline gap-x-2 text-sm font-medium text-stone-900">
                {STAGE_NAMES[stage]}
                <span className="text-xs font-normal text-stone-400">{outcome ? `latest: ${outcome}` : "not run"}</span>
              </h3>
              {latest ? (
                <ul className="divide-y divide-stone-100">
                  {withVotes(latest).map((v) => (
                    <VerdictEntry key={v.id} v={v} />
                  ))}
                </ul>
              ) : null}
              {older.length ? (
                <details className="group mt-1">
                  <summary className="cursor-pointer text-xs font-medium text-stone-500 select-none hover:text-stone-800">
                    {older.length} earlier {older.length === 1 ? "round" : "rounds"}
                  </summary>
                  <ul className="mt-1 divide-y divide-stone-100 border-l-2 border-stone-100 pl-3 opacity-80">
                    {older.flatMap(withVotes).map((v) => (
                      <VerdictEntry key={v.id} v={v} />
                    ))}
                  </ul>
                </details>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

const CHIP: Record<Outcome, string> = {
  pass: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  fail: "bg-rose-50 text-rose-800 ring-rose-600/25",
  error: "bg-amber-50 text-amber-800 ring-amber-600/25",
  skip: "bg-stone-100 text-stone-600 ring-stone-300",
};
const MARK: Record<Outcome, string> = { pass: "✓", fail: "✗", error: "!", skip: "–" };

/**
 * Each stage's latest outcome in one line, for the page's header: the verdicts in view without scrolling. A chip
 * links to its stage in the timeline, where the reasons are.
 */
export function VerdictStrip({ verdicts }: { verdicts: VerdictRow[] }) {
  return (
    <ol className="flex flex-wrap gap-1.5" aria-label="Stage outcomes" data-testid="verdict-strip">
      {STAGE_IDS.map((stage) => {
        const [latest] = roundsOf(verdicts.filter((v) => v.stage === stage));
        const outcome = latest ? stageOutcome(latest) : null;
        const said = outcome ?? "not run";
        return (
          <li key={stage} data-strip-stage={stage} data-stage-outcome={outcome ?? "none"}>
            <a
              href={`#stage-${stage}`}
              title={`${stageName(stage)}: ${said}${latest ? ` — ${latest.at(-1)!.reason}` : ""}`}
              className={cx("inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", outcome ? CHIP[outcome] : "bg-white text-stone-400 ring-stone-200")}
            >
              <span className="tabular">{stage}</span>
              {stageShort(stage)}
              <span aria-hidden>{outcome ? MARK[outcome] : "·"}</span>
              <span className="sr-only">{said}</span>
            </a>
          </li>
        );
      })}
    </ol>
  );
}
