"use client";

// The samples table's columns (TanStack Table v9). Module-level and stable: the table re-derives its models only
// when the rows change. Links to a sample carry the table's query string (from SampleLinkContext) so the review
// page can walk the same list.
import { createColumnHelper, columnVisibilityFeature, rowSelectionFeature, rowSortingFeature, tableFeatures } from "@tanstack/react-table";
import Link from "next/link";
import { createContext, useContext } from "react";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { cx } from "@/components/ui/cx";
import { StatusBadge } from "@/components/ui/StatusBadge";
import type { TableColumn } from "@/lib/samples/table-filter";
import type { TableRow } from "@/lib/samples/table-query";
import { COLUMN_LABEL, STAGE_NAMES } from "./labels";

export const features = tableFeatures({ rowSelectionFeature, columnVisibilityFeature, rowSortingFeature });

/** The href of a sample's review page, with the table's state. */
export const SampleLinkContext = createContext<(id: number) => string>((id) => `/samples/${id}`);

const helper = createColumnHelper<typeof features, TableRow>();

/** Column widths in rem (the table is fixed-layout so a long query cannot push the others around). */
export const COLUMN_REM: Record<TableColumn | "select", number> = {
  select: 2.75,
  id: 4.5,
  dataset: 7,
  status: 7,
  query: 0,
  tools: 10,
  calls: 11.5,
  reason: 10.5,
  decidedBy: 5.75,
  updated: 7,
};
/** The query takes what is left, never less than this (the default columns then fit a 1280-pixel screen). */
export const QUERY_MIN_REM = 13;

const DECIDER_TONE: Record<string, BadgeTone> = { rule: "teal", llm: "sky", human: "violet" };
const DECIDER_SHORT: Record<string, string> = { rule: "Rule", llm: "LLM", human: "Human" };

const UPDATED = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
/** "23 Nov 21:14": compact, UTC so server and browser agree; the exact instant is in the title. */
const formatUpdated = (iso: string) => UPDATED.format(new Date(iso)).replace(",", "");

function SampleLink({ id, className, children, title }: { id: number; className?: string; children: React.ReactNode; title?: string }) {
  const href = useContext(SampleLinkContext)(id);
  return (
    <Link href={href} className={className} title={title} prefetch={false}>
      {children}
    </Link>
  );
}

/** A list of names on one line, monospace, with the full list in the tooltip. */
function Names({ names, empty }: { names: string[] | null; empty: string }) {
  if (!names?.length) return <span className="text-stone-400">{empty}</span>;
  return (
    <span className="block truncate font-mono text-xs text-stone-700" title={names.join(", ")}>
      {names.join(", ")}
    </span>
  );
}

/** Each call on its line: the function name, then its arguments in short (the whole line in the tooltip). */
function Calls({ calls, empty }: { calls: string[] | null; empty: string }) {
  if (!calls?.length) return <span className="text-stone-400">{empty}</span>;
  const shown = calls.slice(0, 3);
  return (
    <span className="block font-mono text-xs text-stone-700" title={calls.join("\n")}>
      {shown.map((call, i) => {
        const open = call.indexOf("(");
        return (
          <span key={i} className="block truncate">
            <span className="font-medium text-stone-900">{call.slice(0, open)}</span>
            <span className="text-stone-500">{call.slice(open)}</span>
          </span>
        );
      })}
      {calls.length > shown.length ? <span className="block text-stone-400">+{calls.length - shown.length} more</span> : null}
    </span>
  );
}

export const columns = helper.columns([
  helper.display({ id: "select", header: () => null, cell: () => null, enableHiding: false }),
  helper.accessor("id", {
    header: COLUMN_LABEL.id,
    enableSorting: true,
    cell: (info) => (
      <SampleLink id={info.row.original.id} className="tabular font-medium text-stone-500 hover:text-accent-700 hover:underline">
        #{info.row.original.id}
      </SampleLink>
    ),
  }),
  helper.accessor("dataset", {
    header: COLUMN_LABEL.dataset,
    enableSorting: false,
    cell: (info) => (
      <span className="block truncate text-xs text-stone-600" title={info.getValue()}>
        {info.getValue()}
      </span>
    ),
  }),
  helper.accessor("status", { header: COLUMN_LABEL.status, enableSorting: true, cell: (info) => <StatusBadge status={info.getValue()} /> }),
  helper.accessor("query", {
    header: COLUMN_LABEL.query,
    enableSorting: false,
    cell: (info) => (
      <SampleLink id={info.row.original.id} title={info.getValue()} className="line-clamp-2 break-words text-stone-900 hover:text-accent-700 hover:underline">
        {info.getValue() || <span className="text-stone-400 italic">Empty query</span>}
      </SampleLink>
    ),
  }),
  helper.accessor("toolNames", { id: "tools", header: COLUMN_LABEL.tools, enableSorting: false, cell: (info) => <Names names={info.getValue()} empty="No tools" /> }),
  helper.accessor("calls", {
    id: "calls",
    header: COLUMN_LABEL.calls,
    enableSorting: false,
    cell: (info) =>
      info.row.original.answerKind === "text" ? (
        <Badge tone="sky">Text answer</Badge>
      ) : (
        <Calls calls={info.getValue()} empty={info.row.original.answerKind === "calls" ? "No call" : "No answer"} />
      ),
  }),
  helper.accessor("statusReason", {
    id: "reason",
    header: COLUMN_LABEL.reason,
    enableSorting: false,
    cell: (info) => {
      const { statusStage, statusReason, statusCode } = info.row.original;
      if (statusStage === null && !statusReason) return <span className="text-stone-400">—</span>;
      return (
        <span className="flex min-w-0 items-baseline gap-1.5 text-xs" title={[statusCode, statusReason].filter(Boolean).join(" — ")}>
          {statusStage !== null ? (
            <span className="tabular shrink-0 rounded bg-stone-100 px-1 font-medium text-stone-600" title={STAGE_NAMES[statusStage]}>
              S{statusStage}
            </span>
          ) : null}
          <span className="truncate text-stone-600">{statusReason}</span>
        </span>
      );
    },
  }),
  helper.accessor("decidedBy", {
    header: COLUMN_LABEL.decidedBy,
    enableSorting: false,
    cell: (info) => {
      const by = info.getValue();
      return by ? <Badge tone={DECIDER_TONE[by] ?? "neutral"}>{DECIDER_SHORT[by] ?? by}</Badge> : <span className="text-stone-400">—</span>;
    },
  }),
  helper.accessor("updatedAt", {
    id: "updated",
    header: COLUMN_LABEL.updated,
    enableSorting: true,
    sortDescFirst: true,
    cell: (info) => (
      <time dateTime={info.getValue()} title={`${info.getValue()} (UTC)`} className={cx("tabular text-xs whitespace-nowrap text-stone-500")}>
        {formatUpdated(info.getValue())}
      </time>
    ),
  }),
]);
