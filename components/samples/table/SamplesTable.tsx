"use client";

// The samples table (TanStack Table v9 over one server page). The URL is the state: every filter, sort, page and
// column change navigates to a new query string, the server component runs the query and hands back the rows, and
// the old rows stay on screen (dimmed) until the new ones arrive. Selection is local: the ids with the version each
// row had on screen, kept across pages and dropped when the filter changes.
import { useShortcuts } from "@/components/ui/useShortcuts";
import { can } from "@/lib/auth/permissions";
import type { Role } from "@/lib/auth/roles";
import { useTable, type RowSelectionState, type SortingState, type ColumnVisibilityState, type Updater } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useOptimistic, useRef, useState, useTransition } from "react";
import { formatCount } from "@/components/datasets/format";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/EmptyState";
import { ListIcon } from "@/components/ui/icons";
import { Kbd } from "@/components/ui/Kbd";
import {
  PAGE_SIZES,
  TABLE_COLUMNS,
  firstPage,
  isFiltered,
  parseCursor,
  selectionOnly,
  tableFilterToParams,
  withoutFilters,
  type SortKey,
  type TableColumn,
  type TableFilter,
} from "@/lib/samples/table-filter";
import type { TablePage, TableRow } from "@/lib/samples/table-query";
import type { FormatOption } from "@/lib/formats";
import { describeBulkTally } from "@/lib/review/bulk-job-view";
import { BulkActions, type BulkOutcome, type BulkTargetChoice } from "./BulkActions";
import { ColumnMenu } from "./ColumnMenu";
import { COLUMN_REM, QUERY_MIN_REM, SampleLinkContext, columns, features } from "./columns";
import { FilterBar } from "./FilterBar";
import { COLUMN_LABEL } from "./labels";

const getRowId = (row: TableRow) => String(row.id);

/** Shift-click on a row's checkbox selects the range from the last one clicked (React passes the click along). */
const isRangeClick = (event: unknown) => Boolean((event as { nativeEvent?: MouseEvent }).nativeEvent?.shiftKey);

function queryString(filter: TableFilter): string {
  const qs = tableFilterToParams(filter).toString();
  return qs ? `?${qs}` : "";
}

export function SamplesTable({
  filter,
  page,
  datasets,
  issues,
  llmConfigured,
  role,
  exportFormats,
}: {
  filter: TableFilter;
  page: TablePage;
  datasets: { id: number; name: string }[];
  issues: string[];
  llmConfigured: boolean;
  role: Role;
  /** The export formats (lib/formats EXPORT_FORMATS) the bulk export offers. */
  exportFormats: FormatOption[];
}) {
  const router = useRouter();
  const [navigating, startTransition] = useTransition();
  // The filter last asked for, ahead of the server's answer: a second change made while the first is still loading
  // builds on it (not on the rows on screen), so quick clicks never undo each other.
  const [latest, setLatest] = useOptimistic(filter);
  const go = useCallback(
    (next: TableFilter, { replace = false } = {}) => {
      const href = `/samples${queryString(next)}`;
      startTransition(() => {
        setLatest(next);
        if (replace) router.replace(href, { scroll: false });
        else router.push(href, { scroll: false });
      });
    },
    [router, setLatest],
  );
  const here = queryString(filter);
  const hrefFor = useCallback((id: number) => `/samples/${id}${here}`, [here]);
  const searchRef = useRef<HTMLInputElement>(null);

  // ---- selection: id → the version the row had when it was selected ----
  const selectionKey = tableFilterToParams(selectionOnly(filter)).toString();
  const [selected, setSelected] = useState<Map<number, number>>(() => new Map());
  const [allMatching, setAllMatching] = useState(false);
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const [seenKey, setSeenKey] = useState(selectionKey);
  if (seenKey !== selectionKey) {
    setSeenKey(selectionKey);
    setSelected(new Map());
    setAllMatching(false);
    setOutcome(null);
  }
  const rowSelection = useMemo<RowSelectionState>(() => Object.fromEntries([...selected.keys()].map((id) => [String(id), true])), [selected]);

  // ---- row cursor (j/k), carried to the next/previous page when moving past an edge ----
  const [cursor, setCursor] = useState(-1);
  const [seenPage, setSeenPage] = useState(page);
  const [carry, setCarry] = useState<"first" | "last" | null>(null);
  if (seenPage !== page) {
    setSeenPage(page);
    setCursor(carry === "first" ? 0 : carry === "last" ? page.rows.length - 1 : -1);
    setCarry(null);
  }

  const sorting = useMemo<SortingState>(() => [{ id: latest.sort, desc: latest.dir === "desc" }], [latest.sort, latest.dir]);
  const columnVisibility = useMemo<ColumnVisibilityState>(
    () => Object.fromEntries(TABLE_COLUMNS.map((c) => [c, latest.columns.includes(c)])),
    [latest.columns],
  );

  const table = useTable({
    features,
    columns,
    data: page.rows,
    getRowId,
    state: { sorting, columnVisibility, rowSelection },
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    isRowRangeSelectionEvent: isRangeClick,
    onSortingChange: (updater: Updater<SortingState>) => {
      const [next] = typeof updater === "function" ? updater(sorting) : updater;
      if (next) go(firstPage({ ...latest, sort: next.id as SortKey, dir: next.desc ? "desc" : "asc" }));
    },
    onColumnVisibilityChange: (updater: Updater<ColumnVisibilityState>) => {
      const next = typeof updater === "function" ? updater(columnVisibility) : updater;
      const shown = TABLE_COLUMNS.filter((c) => next[c] !== false);
      if (shown.length) go({ ...latest, columns: shown }, { replace: true });
    },
    onRowSelectionChange: (updater: Updater<RowSelectionState>) => {
      const next = typeof updater === "function" ? updater(rowSelection) : updater;
      const versions = new Map(page.rows.map((r) => [r.id, r.version]));
      setSelected((current) => {
        const result = new Map<number, number>();
        for (const [key, on] of Object.entries(next)) {
          const id = Number(key);
          const version = current.get(id) ?? versions.get(id);
          if (on && version !== undefined) result.set(id, version);
        }
        return result;
      });
      setAllMatching(false);
    },
  });

  const rows = table.getRowModel().rows;

  const moveCursor = useCallback(
    (delta: 1 | -1) => {
      // The first j or k picks a row on this page, top or bottom.
      if (cursor < 0) return setCursor(delta === 1 ? 0 : rows.length - 1);
      const next = cursor + delta;
      if (next >= 0 && next < rows.length) return setCursor(next);
      // Past the last row: the next page, cursor on its first row (and back the same way).
      if (next >= rows.length && page.next) {
        setCarry("first");
        go({ ...filter, before: undefined, after: parseCursor(page.next, filter.sort)! });
      } else if (next < 0 && page.previous) {
        setCarry("last");
        go({ ...filter, after: undefined, before: parseCursor(page.previous, filter.sort)! });
      }
    },
    [cursor, rows.length, page.next, page.previous, filter, go],
  );

  // Keyboard: j/k move, x selects, Enter opens, / searches, Escape clears the selection.
  useShortcuts("table", (action) => {
    const row = cursor >= 0 ? rows[cursor] : undefined;
    switch (action) {
      case "cursorDown":
        return moveCursor(1);
      case "cursorUp":
        return moveCursor(-1);
      case "select":
        if (!row) return false;
        return row.toggleSelected();
      case "open":
        if (!row) return false;
        return router.push(hrefFor(row.original.id));
      case "search":
        searchRef.current?.focus();
        return searchRef.current?.select();
      case "clearSelection":
        if (!selected.size && !allMatching) return false;
        setSelected(new Map());
        return setAllMatching(false);
    }
  });

  useEffect(() => {
    if (cursor >= 0) document.querySelector(`[data-row-index="${cursor}"]`)?.scrollIntoView({ block: "nearest" });
  }, [cursor]);

  const onOutcome = useCallback(
    (result: BulkOutcome) => {
      setOutcome(result);
      if (result.ok) {
        setSelected(new Map());
        setAllMatching(false);
        startTransition(() => router.refresh());
      }
    },
    [router],
  );

  const target: BulkTargetChoice | null = allMatching
    ? { kind: "filter", query: selectionKey, total: page.total, totalExact: page.totalKind === "exact" }
    : selected.size
      ? { kind: "selection", samples: [...selected].map(([id, version]) => ({ id, version })) }
      : null;
  const totalText = { exact: "", atLeast: "", estimate: "≈ " }[page.totalKind] + formatCount(page.total) + (page.totalKind === "atLeast" ? "+" : "");
  const visibleColumns = table.getVisibleLeafColumns();
  const filtered = isFiltered(filter);
  const pageAllSelected = allMatching || (rows.length > 0 && table.getIsAllRowsSelected());

  return (
    <SampleLinkContext value={hrefFor}>
      <div className="space-y-4">
        {issues.length ? (
          <Alert tone="warning" title="Some values in the link were ignored">
            {issues.join("; ")}.
          </Alert>
        ) : null}
        {outcome ? <OutcomeAlert outcome={outcome} hrefFor={hrefFor} onDismiss={() => setOutcome(null)} /> : null}

        <Card className="overflow-hidden">
          <FilterBar filter={latest} datasets={datasets} searchRef={searchRef} onChange={(next) => go(firstPage(next))} />

          <div className="flex min-h-12 flex-wrap items-center justify-between gap-x-4 gap-y-2 border-b border-stone-200 bg-stone-50/70 px-5 py-2">
            {target ? (
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 text-sm" data-testid="selection-bar">
                <span className="font-medium text-stone-900">
                  {allMatching ? `All ${totalText} matching selected` : `${formatCount(selected.size)} selected`}
                </span>
                {!allMatching && page.total > selected.size ? (
                  <button type="button" onClick={() => setAllMatching(true)} className="font-medium text-accent-700 hover:underline">
                    Select all {totalText} matching
                  </button>
                ) : null}
                <button
                  type="button"
                  onClick={() => {
                    setSelected(new Map());
                    setAllMatching(false);
                  }}
                  className="text-stone-500 hover:text-stone-800 hover:underline"
                >
                  Clear
                </button>
                {can(role, "samples.decide") ? <BulkActions target={target} llmConfigured={llmConfigured} role={role} exportFormats={exportFormats} onOutcome={onOutcome} /> : null}
              </div>
            ) : (
              <p className="text-sm text-stone-600" aria-live="polite">
                <span className="tabular font-semibold text-stone-900" data-testid="total">
                  {totalText}
                </span>{" "}
                {page.total === 1 && page.totalKind === "exact" ? "sample" : "samples"}
                {filtered ? " match" : ""}
                {page.totalKind === "estimate" ? <span className="text-stone-400"> · estimated; counted exactly before any action on all of them</span> : null}
                {page.totalKind === "atLeast" ? <span className="text-stone-400"> · counting stops at {formatCount(page.total)}</span> : null}
              </p>
            )}
            <div className="flex items-center gap-3">
              {navigating ? (
                <span className="flex items-center gap-1.5 text-xs text-stone-500" role="status">
                  <span aria-hidden className="size-2 animate-pulse rounded-full bg-accent-600" />
                  Loading…
                </span>
              ) : null}
              <ColumnMenu
                visible={latest.columns}
                onToggle={(column: TableColumn, show) => table.getColumn(column)?.toggleVisibility(show)}
              />
            </div>
          </div>

          {rows.length ? (
            <div className={cx("overflow-x-auto transition-opacity", navigating && "opacity-60")}>
              <table
                className="w-full table-fixed text-left text-sm"
                style={{ minWidth: `${visibleColumns.reduce((sum, c) => sum + COLUMN_REM[c.id as TableColumn | "select"], 0) + QUERY_MIN_REM}rem` }}
              >
                <caption className="sr-only">Samples, {totalText} matching; use j and k to move, x to select, Enter to open</caption>
                <colgroup>
                  {visibleColumns.map((column) => (
                    <col key={column.id} style={COLUMN_REM[column.id as TableColumn | "select"] ? { width: `${COLUMN_REM[column.id as TableColumn | "select"]}rem` } : undefined} />
                  ))}
                </colgroup>
                <thead className="border-b border-stone-200 text-xs text-stone-500">
                  {table.getHeaderGroups().map((group) => (
                    <tr key={group.id}>
                      {group.headers.map((header) => {
                        const column = header.column;
                        if (column.id === "select") {
                          return (
                            <th key={header.id} scope="col" className="py-2 pl-5">
                              <input
                                type="checkbox"
                                aria-label="Select every row on this page"
                                checked={pageAllSelected}
                                disabled={allMatching}
                                ref={(el) => {
                                  if (el) el.indeterminate = !pageAllSelected && table.getIsSomeRowsSelected();
                                }}
                                onChange={table.getToggleAllPageRowsSelectedHandler()}
                                className="size-4 accent-teal-700"
                              />
                            </th>
                          );
                        }
                        const sorted = column.getIsSorted();
                        return (
                          <th
                            key={header.id}
                            scope="col"
                            aria-sort={sorted ? (sorted === "desc" ? "descending" : "ascending") : undefined}
                            className="px-3 py-2 font-medium whitespace-nowrap"
                          >
                            {column.getCanSort() ? (
                              <button
                                type="button"
                                onClick={column.getToggleSortingHandler()}
                                className={cx("inline-flex items-center gap-1 hover:text-stone-900", sorted && "text-stone-900")}
                                title={`Sort by ${COLUMN_LABEL[column.id as TableColumn].toLowerCase()}`}
                              >
                                <table.FlexRender header={header} />
                                <span aria-hidden className="text-[10px]">
                                  {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                                </span>
                              </button>
                            ) : (
                              <table.FlexRender header={header} />
                            )}
                          </th>
                        );
                      })}
                    </tr>
                  ))}
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {rows.map((row, index) => {
                    const isCursor = index === cursor;
                    const isSelected = row.getIsSelected() || allMatching;
                    return (
                      <tr
                        key={row.id}
                        data-row-index={index}
                        data-sample={row.original.id}
                        data-selected={isSelected || undefined}
                        onClick={(event) => {
                          if (!(event.target as HTMLElement).closest("a, button, input")) setCursor(index);
                        }}
                        className={cx(
                          "h-10",
                          isSelected ? "bg-accent-50/70" : "hover:bg-stone-50",
                          isCursor && "outline-2 -outline-offset-2 outline-accent-600/70",
                        )}
                      >
                        {row.getVisibleCells().map((cell) =>
                          cell.column.id === "select" ? (
                            <td key={cell.id} className="py-1.5 pl-5">
                              <input
                                type="checkbox"
                                aria-label={`Select sample ${row.original.id}`}
                                checked={isSelected}
                                disabled={allMatching}
                                onChange={row.getToggleSelectedHandler()}
                                className="size-4 accent-teal-700"
                              />
                            </td>
                          ) : (
                            <td key={cell.id} className="overflow-hidden px-3 py-1.5" data-column={cell.column.id}>
                              <table.FlexRender cell={cell} />
                            </td>
                          ),
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : (
            <EmptyTable filter={filter} page={page} onClear={() => go(withoutFilters(latest))} />
          )}

          <footer className="flex flex-wrap items-center justify-between gap-3 border-t border-stone-200 px-5 py-3 text-xs text-stone-500">
            <p className="hidden items-center gap-1 lg:flex">
              <Kbd>j</Kbd>
              <Kbd>k</Kbd> move · <Kbd>x</Kbd> select · <Kbd>Enter</Kbd> open · <Kbd>/</Kbd> search · <Kbd>Esc</Kbd> clear · shift-click: range
            </p>
            <div className="flex items-center gap-2">
              <label htmlFor="samples-page-size">Rows per page</label>
              <select
                id="samples-page-size"
                value={latest.size}
                onChange={(e) => go(firstPage({ ...latest, size: Number(e.target.value) }))}
                className="h-8 rounded-md border border-stone-300 bg-white px-2 text-xs text-stone-700 shadow-xs"
              >
                {PAGE_SIZES.map((size) => (
                  <option key={size} value={size}>
                    {size}
                  </option>
                ))}
              </select>
              <nav aria-label="Pages" className="ml-2 flex items-center gap-1.5">
                <Button size="sm" variant="ghost" disabled={!page.previous} onClick={() => go(firstPage(filter))}>
                  First
                </Button>
                <Button
                  size="sm"
                  disabled={!page.previous}
                  onClick={() => go({ ...filter, after: undefined, before: parseCursor(page.previous!, filter.sort)! })}
                >
                  ← Previous
                </Button>
                <Button size="sm" disabled={!page.next} onClick={() => go({ ...filter, before: undefined, after: parseCursor(page.next!, filter.sort)! })}>
                  Next →
                </Button>
              </nav>
            </div>
          </footer>
        </Card>
      </div>
    </SampleLinkContext>
  );
}

function EmptyTable({ filter, page, onClear }: { filter: TableFilter; page: TablePage; onClear: () => void }) {
  if (page.total > 0) {
    // A page past the end (rows deleted, or an old link).
    return (
      <EmptyState
        icon={<ListIcon />}
        title="Nothing on this page"
        actions={
          <Link href={`/samples${queryString(firstPage(filter))}`} className="text-sm font-medium text-accent-700 hover:underline">
            Back to the first page
          </Link>
        }
      >
        The samples that were here have changed since the link was made.
      </EmptyState>
    );
  }
  if (isFiltered(filter)) {
    return (
      <EmptyState icon={<ListIcon />} title="No sample matches these filters" actions={<Button onClick={onClear}>Clear filters</Button>}>
        Loosen a filter, or search for other words.
      </EmptyState>
    );
  }
  return (
    <EmptyState icon={<ListIcon />} title="No samples yet">
      Import a file on the Datasets page; its samples appear here.
    </EmptyState>
  );
}

function OutcomeAlert({ outcome, hrefFor, onDismiss }: { outcome: BulkOutcome; hrefFor: (id: number) => string; onDismiss: () => void }) {
  if (!outcome.ok) {
    return (
      <Alert tone="error" title="The action was not done">
        {outcome.error}
      </Alert>
    );
  }
  const { result } = outcome;
  return (
    <div data-testid="bulk-outcome">
      <Alert tone={result.failed ? "warning" : "success"} title={`${describeBulkTally(result)}${result.failed ? ":" : "."}`}>
        {result.failed ? (
          <ul className="mt-1 space-y-0.5">
            {result.failures.map((f) => (
              <li key={f.sampleId}>
                <Link href={hrefFor(f.sampleId)} className="tabular font-medium underline">
                  #{f.sampleId}
                </Link>{" "}
                {f.message}
              </li>
            ))}
            {result.failed > result.failures.length ? <li>…and {formatCount(result.failed - result.failures.length)} more.</li> : null}
          </ul>
        ) : null}
        <p>
          Recorded as bulk action #{result.jobId} (see Recent bulk actions, below the table).
        </p>
        {result.runs.length ? (
          <p>
            <Link href="/runs" className="font-medium underline">
              Follow the run{result.runs.length > 1 ? "s" : ""} on the Runs page
            </Link>
          </p>
        ) : null}
        <button type="button" onClick={onDismiss} className="mt-1 text-xs font-medium underline opacity-80">
          Dismiss
        </button>
      </Alert>
    </div>
  );
}
