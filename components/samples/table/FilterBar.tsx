"use client";

// The samples table's filters. Each change hands a new filter to `onChange` (which puts it in the URL); the search
// box waits for a pause in typing first, the tool box for Enter or a suggestion.
import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from "react";
import { Button } from "@/components/ui/Button";
import { cx } from "@/components/ui/cx";
import { Kbd } from "@/components/ui/Kbd";
import { STATUS_LABEL, STATUS_TONE } from "@/components/ui/StatusBadge";
import { TONE_FILL } from "@/components/ui/Badge";
import { useApi } from "@/lib/api/use-api";
import { DECIDERS, VERDICT_OUTCOMES, isFiltered, withoutFilters, type Decider, type TableFilter, type VerdictOutcome } from "@/lib/samples/table-filter";
import { SAMPLE_STATUSES } from "@/lib/samples/types";
import { STAGE_IDS, STAGE_NAMES } from "@/lib/pipeline/stage-registry";
import { DECIDER_LABEL, OUTCOME_LABEL } from "./labels";

const SEARCH_DELAY_MS = 300;
const CONTROL = "h-8 rounded-md border border-stone-300 bg-white px-2 text-xs text-stone-700 shadow-xs";

export function FilterBar({
  filter,
  datasets,
  searchRef,
  onChange,
}: {
  filter: TableFilter;
  datasets: { id: number; name: string }[];
  searchRef: RefObject<HTMLInputElement | null>;
  onChange: (next: TableFilter) => void;
}) {
  const set = (patch: Partial<TableFilter>) => onChange({ ...filter, ...patch });
  const id = useId();

  function toggleStatus(status: (typeof SAMPLE_STATUSES)[number]) {
    set({ status: filter.status.includes(status) ? filter.status.filter((s) => s !== status) : [...filter.status, status] });
  }

  return (
    <div className="space-y-3 border-b border-stone-200 px-5 py-4">
      <div className="flex flex-wrap items-center gap-2">
        <SearchBox value={filter.q ?? ""} inputRef={searchRef} onSearch={(q) => set({ q: q || undefined })} />
        <ToolBox value={filter.tool ?? ""} datasetId={filter.datasetId} onPick={(tool) => set({ tool: tool || undefined })} />
        {isFiltered(filter) ? (
          <Button size="sm" variant="ghost" onClick={() => onChange(withoutFilters(filter))}>
            Clear filters
          </Button>
        ) : null}
      </div>

      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div role="group" aria-label="Status" className="flex flex-wrap items-center gap-1">
          {SAMPLE_STATUSES.map((status) => {
            const on = filter.status.includes(status);
            return (
              <button
                key={status}
                type="button"
                aria-pressed={on}
                onClick={() => toggleStatus(status)}
                className={cx(
                  "inline-flex h-7 items-center gap-1.5 rounded-full px-2.5 text-xs font-medium ring-1 ring-inset transition-colors",
                  on ? "bg-stone-800 text-white ring-stone-800" : "bg-white text-stone-600 ring-stone-300 hover:bg-stone-50",
                )}
              >
                <span aria-hidden className={cx("size-1.5 rounded-full", TONE_FILL[STATUS_TONE[status]])} />
                {STATUS_LABEL[status]}
              </button>
            );
          })}
        </div>

        <Select label="Dataset" id={`${id}-dataset`} value={filter.datasetId ?? ""} onChange={(v) => set({ datasetId: v ? Number(v) : undefined })}>
          <option value="">All datasets</option>
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </Select>

        <Select label="Failing stage" id={`${id}-failing`} value={filter.failingStage ?? ""} onChange={(v) => set({ failingStage: v ? Number(v) : undefined })}>
          <option value="">Any</option>
          {STAGE_IDS.map((s) => (
            <option key={s} value={s}>
              {s} · {STAGE_NAMES[s]}
            </option>
          ))}
        </Select>

        <Select label="Turns" id={`${id}-turns`} value={filter.turns ?? ""} onChange={(v) => set({ turns: v || undefined })}>
          <option value="">Any</option>
          <option value="1">1 · single exchange</option>
          {TURN_CHOICES.map((turns) => (
            <option key={turns} value={turns}>
              {turns.replace("+", " or more")}
            </option>
          ))}
          {filter.turns && filter.turns !== "1" && !TURN_CHOICES.includes(filter.turns) ? <option value={filter.turns}>{filter.turns}</option> : null}
        </Select>

        <Select label="Failing turn" id={`${id}-fturn`} value={filter.failingTurn ?? ""} onChange={(v) => set({ failingTurn: v ? Number(v) : undefined })}>
          <option value="">Any</option>
          {Array.from({ length: Math.max(8, filter.failingTurn ?? 0) }, (_, i) => i + 1).map((turn) => (
            <option key={turn} value={turn}>
              turn {turn}
            </option>
          ))}
        </Select>

        <Select
          label="Tool results"
          id={`${id}-wrongtools`}
          value={filter.errorToolResponse === undefined ? "" : String(filter.errorToolResponse)}
          onChange={(v) => set({ errorToolResponse: v === "" ? undefined : v === "true" })}
        >
          <option value="">Any</option>
          <option value="true">Marked wrong (error_tool_response)</option>
          <option value="false">Not marked wrong</option>
        </Select>

        <div className="flex items-center gap-1.5">
          <Select label="Verdict" id={`${id}-outcome`} value={filter.outcome ?? ""} onChange={(v) => set({ outcome: (v || undefined) as VerdictOutcome | undefined })}>
            <option value="">Any</option>
            {VERDICT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABEL[o]}
              </option>
            ))}
          </Select>
          <Select label="at" ariaLabel="Verdict at stage" id={`${id}-at`} value={filter.outcomeStage ?? ""} disabled={!filter.outcome} onChange={(v) => set({ outcomeStage: v ? Number(v) : undefined })}>
            <option value="">any stage</option>
            {STAGE_IDS.map((s) => (
              <option key={s} value={s}>
                stage {s}
              </option>
            ))}
          </Select>
        </div>

        <Select label="Decided by" id={`${id}-by`} value={filter.decidedBy ?? ""} onChange={(v) => set({ decidedBy: (v || undefined) as Decider | undefined })}>
          <option value="">Anyone</option>
          {DECIDERS.map((d) => (
            <option key={d} value={d}>
              {DECIDER_LABEL[d]}
            </option>
          ))}
        </Select>
      </div>
    </div>
  );
}

/** The turns filter's "at least" choices (a link may hold any other count: it is offered as it is). */
const TURN_CHOICES = ["2+", "3+", "4+", "6+", "8+"];

function Select({
  label,
  ariaLabel,
  id,
  value,
  onChange,
  disabled,
  children,
}: {
  label: string;
  /** When the visible label is too short to stand alone. */
  ariaLabel?: string;
  id: string;
  value: string | number;
  onChange: (value: string) => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="flex items-center gap-1.5">
      <label htmlFor={id} className="text-xs font-medium text-stone-500">
        {label}
      </label>
      <select id={id} aria-label={ariaLabel} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} className={cx(CONTROL, "max-w-56 disabled:opacity-50")}>
        {children}
      </select>
    </div>
  );
}

/** Full-text search over query, CoT and calls; applied after a pause in typing, or at once on Enter. */
function SearchBox({ value, inputRef, onSearch }: { value: string; inputRef: RefObject<HTMLInputElement | null>; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const [applied, setApplied] = useState(value);
  const [sent, setSent] = useState(value);
  // The URL changed: to what we sent (keep what was typed since), or under us (back button, "Clear filters").
  if (value !== applied) {
    setApplied(value);
    if (value !== sent) setText(value);
  }
  const search = (q: string) => {
    setSent(q);
    onSearch(q);
  };
  const latest = useRef(search);
  useEffect(() => {
    latest.current = search;
  });
  useEffect(() => {
    if (text.trim() === applied.trim()) return;
    const timer = setTimeout(() => latest.current(text.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, applied]);

  return (
    <div className="relative min-w-64 flex-1">
      <label htmlFor="samples-search" className="sr-only">
        Search query, reasoning and calls
      </label>
      <input
        id="samples-search"
        ref={inputRef}
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && text.trim() !== applied.trim()) search(text.trim());
          if (e.key === "Escape") e.currentTarget.blur();
        }}
        placeholder='Search query, CoT and calls: "a phrase", -word, this or that'
        className="h-9 w-full rounded-lg border border-stone-300 bg-white pr-10 pl-3 text-sm text-stone-800 shadow-xs placeholder:text-stone-400"
      />
      {text ? null : (
        <span className="pointer-events-none absolute top-2 right-2.5" aria-hidden>
          <Kbd>/</Kbd>
        </span>
      )}
    </div>
  );
}

/** An exact tool name, with suggestions from the server as you type. */
function ToolBox({ value, datasetId, onPick }: { value: string; datasetId?: number; onPick: (tool: string) => void }) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  const [sent, setSent] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (value !== sent) setText(value);
  }
  // Asked for once typing pauses; the last suggestions stay until the next ones arrive.
  const [prefix, setPrefix] = useState(text.trim());
  useEffect(() => {
    const timer = setTimeout(() => setPrefix(text.trim()), 150);
    return () => clearTimeout(timer);
  }, [text]);
  const { data } = useApi("GET /api/samples/tools", { query: { prefix, dataset: datasetId ? String(datasetId) : undefined } }, { keepPreviousData: true });
  const names = data?.names ?? [];
  const listId = useId();

  function apply(next: string) {
    if (next.trim() === value) return;
    setSent(next.trim());
    onPick(next.trim());
  }

  return (
    <div className="w-64">
      <label htmlFor={`${listId}-input`} className="sr-only">
        Tool name
      </label>
      <input
        id={`${listId}-input`}
        list={listId}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          // Picking a suggestion (not typing) applies it at once.
          if ((e.nativeEvent as InputEvent).inputType === "insertReplacementText" || !(e.nativeEvent instanceof InputEvent)) apply(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") apply(text);
          if (e.key === "Escape") e.currentTarget.blur();
        }}
        onBlur={() => apply(text)}
        placeholder="Tool name (exact)"
        spellCheck={false}
        className="h-9 w-full rounded-lg border border-stone-300 bg-white px-3 font-mono text-xs text-stone-800 shadow-xs placeholder:font-sans placeholder:text-sm placeholder:text-stone-400"
      />
      <datalist id={listId}>
        {names.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </div>
  );
}
