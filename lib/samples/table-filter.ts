// The samples table's state — filters, sort, keyset cursor, page size, visible columns — as one value that lives in
// the URL. Pure (no server imports): the page parses it from searchParams, the client table writes it back with
// router.push, the review page and the bulk/export routes read the same query string.
import { z } from "@/lib/browser-zod";
import { stageIdParam } from "@/lib/pipeline/stage-schema";
import { InvalidRequestError } from "@/lib/errors";
import { idText, MAX_TURN } from "@/lib/zod/schemas";
import { SAMPLE_STATUSES, type SampleStatus } from "./types";

export const VERDICT_OUTCOMES = ["pass", "fail", "skip", "error"] as const;
export type VerdictOutcome = (typeof VERDICT_OUTCOMES)[number];

export const DECIDERS = ["rule", "llm", "human"] as const;
export type Decider = (typeof DECIDERS)[number];

export const SORT_KEYS = ["id", "updated", "status"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

export const TABLE_COLUMNS = ["id", "dataset", "status", "query", "tools", "calls", "reason", "decidedBy", "updated"] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];

/** Where a page starts or ends: the last (or first) row's sort key and id. `key` is null when sorting by id. */
export interface TableCursor {
  key: string | null;
  id: number;
}

export interface TableFilter {
  /** Any of these statuses (none = all). */
  status: SampleStatus[];
  datasetId?: number;
  /** The machine's latest outcome at this stage is "fail". */
  failingStage?: number;
  /** Assistant turns: exactly N ("3"), or at least N ("2+"). */
  turns?: string;
  /** A conversation whose turn N a stage fails. */
  failingTurn?: number;
  /** The source marks (true) or does not mark (false) the conversation's tool results as deliberately wrong. */
  errorToolResponse?: boolean;
  /** A verdict outcome, at `outcomeStage` or (without it) at any stage. */
  outcome?: VerdictOutcome;
  outcomeStage?: number;
  decidedBy?: Decider;
  /** Exact tool name offered to the sample. */
  tool?: string;
  /** Full-text search over query, CoT and calls (websearch syntax: "quoted phrases", -exclusions, or). */
  q?: string;
  sort: SortKey;
  dir: "asc" | "desc";
  /** Rows strictly after this cursor (next page) ... */
  after?: TableCursor;
  /** ... or strictly before it (previous page). Never both. */
  before?: TableCursor;
  size: number;
  columns: TableColumn[];
}

/**
 * Shown unless the URL says otherwise: all but the dataset (there is a filter for it) and the tool lists (long,
 * rarely what one scans for), so the query keeps room to be read.
 */
export const DEFAULT_COLUMNS: TableColumn[] = TABLE_COLUMNS.filter((c) => c !== "dataset" && c !== "tools");

export const DEFAULT_FILTER: TableFilter = {
  status: [],
  sort: "id",
  dir: "asc",
  size: DEFAULT_PAGE_SIZE,
  columns: DEFAULT_COLUMNS,
};

// URL parameter names, short because people read and share these URLs.
const PARAM = {
  status: "status",
  datasetId: "dataset",
  failingStage: "failing",
  turns: "turns",
  failingTurn: "fturn",
  errorToolResponse: "wrongtools",
  outcome: "outcome",
  outcomeStage: "at",
  decidedBy: "by",
  tool: "tool",
  q: "q",
  sort: "sort",
  dir: "dir",
  after: "after",
  before: "before",
  size: "size",
  columns: "cols",
} as const satisfies Record<keyof TableFilter, string>;

/** "3" (exactly), "2+" (at least); turns count from 1. */
export const TURNS_FILTER = /^[1-9][0-9]{0,2}\+?$/;

const cursorText = z.string().regex(/^(.+_)?[1-9][0-9]{0,9}$/, "must be a page cursor like 123 or <key>_123");

// What the URL holds, before the cursor is read against the sort (a cursor's key depends on it).
const rawSchema = z.object({
  status: z.array(z.enum(SAMPLE_STATUSES, { error: `must be one of ${SAMPLE_STATUSES.join(", ")}` })).default([]),
  datasetId: idText("the dataset id").optional(),
  failingStage: stageIdParam.optional(),
  turns: z.string().regex(TURNS_FILTER, 'must be a number of turns, or one followed by + for "at least" (2+)').optional(),
  failingTurn: z.coerce.number({ error: "must be a turn number" }).int("must be a turn number").min(1, "must be 1 or more").max(MAX_TURN, `must be at most ${MAX_TURN}`).optional(),
  errorToolResponse: z.stringbool({ error: "must be true or false" }).optional(),
  outcome: z.enum(VERDICT_OUTCOMES, { error: `must be one of ${VERDICT_OUTCOMES.join(", ")}` }).optional(),
  outcomeStage: stageIdParam.optional(),
  decidedBy: z.enum(DECIDERS, { error: `must be one of ${DECIDERS.join(", ")}` }).optional(),
  tool: z.string().trim().min(1).max(200, "must be at most 200 characters").optional(),
  q: z.string().trim().min(1).max(500, "must be at most 500 characters").optional(),
  sort: z.enum(SORT_KEYS, { error: `must be one of ${SORT_KEYS.join(", ")}` }).default("id"),
  dir: z.enum(["asc", "desc"], { error: "must be asc or desc" }).default("asc"),
  after: cursorText.optional(),
  before: cursorText.optional(),
  size: z.coerce
    .number()
    .refine((n): n is (typeof PAGE_SIZES)[number] => (PAGE_SIZES as readonly number[]).includes(n), `must be one of ${PAGE_SIZES.join(", ")}`)
    .default(DEFAULT_PAGE_SIZE),
  columns: z
    .array(z.enum(TABLE_COLUMNS, { error: `must be columns among ${TABLE_COLUMNS.join(", ")}` }))
    .min(1, "must name at least one column")
    .optional(),
});

export interface FilterIssue {
  /** The URL parameter at fault. */
  field: string;
  message: string;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function values(params: Params, name: string): string[] {
  const raw = params instanceof URLSearchParams ? params.getAll(name) : [params[name] ?? []].flat();
  return raw.filter((v) => v !== "");
}

/** Multi-value parameters may repeat (`status=a&status=b`) or list with commas (`status=a,b`). */
function list(params: Params, name: string): string[] | undefined {
  const all = values(params, name).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  return all.length ? all : undefined;
}

function single(params: Params, name: string): string | undefined {
  return values(params, name)[0];
}

/** The table state an API request asks for; a bad parameter is a 400 naming it (readTableFilter's issues). */
export function requireTableFilter(params: Params): TableFilter {
  const { filter, issues } = readTableFilter(params);
  if (issues.length) throw new InvalidRequestError(issues.map((i) => i.message).join("; "));
  return filter;
}

/**
 * Reads the table state from a query string. Never throws: a bad value is dropped (its default applies) and
 * reported as an issue naming its parameter, so the page can say what it ignored and an API can answer 400.
 */
export function readTableFilter(params: Params): { filter: TableFilter; issues: FilterIssue[] } {
  const raw: Record<string, unknown> = {
    status: list(params, PARAM.status),
    columns: list(params, PARAM.columns),
  };
  for (const key of ["datasetId", "failingStage", "turns", "failingTurn", "errorToolResponse", "outcome", "outcomeStage", "decidedBy", "tool", "q", "sort", "dir", "after", "before", "size"] as const) {
    raw[key] = single(params, PARAM[key]);
  }
  const issues: FilterIssue[] = [];
  const report = (key: keyof TableFilter, message: string) => {
    issues.push({ field: PARAM[key], message: `${PARAM[key]}: ${message}` });
    delete raw[key];
  };
  // Every field stands alone, so dropping each bad one and parsing again ends in at most one pass per field.
  let parsed = rawSchema.safeParse(raw);
  while (!parsed.success) {
    const issue = parsed.error.issues[0];
    report(issue.path[0] as keyof TableFilter, issue.message);
    parsed = rawSchema.safeParse(raw);
  }
  const data = parsed.data;
  const filter: TableFilter = {
    status: [...new Set(data.status)],
    datasetId: data.datasetId,
    failingStage: data.failingStage,
    turns: data.turns,
    failingTurn: data.failingTurn,
    errorToolResponse: data.errorToolResponse,
    outcome: data.outcome,
    outcomeStage: data.outcome ? data.outcomeStage : undefined,
    decidedBy: data.decidedBy,
    tool: data.tool,
    q: data.q,
    sort: data.sort,
    dir: data.dir,
    size: data.size,
    columns: data.columns ? TABLE_COLUMNS.filter((c) => data.columns!.includes(c)) : [...DEFAULT_COLUMNS],
  };
  if (data.outcomeStage !== undefined && !data.outcome) issues.push({ field: PARAM.outcomeStage, message: `${PARAM.outcomeStage}: needs an outcome` });
  if (data.after && data.before) {
    issues.push({ field: PARAM.before, message: `${PARAM.before}: cannot be combined with ${PARAM.after}` });
  } else {
    for (const side of ["after", "before"] as const) {
      const text = data[side];
      if (!text) continue;
      const cursor = parseCursor(text, filter.sort);
      if (cursor) filter[side] = cursor;
      else issues.push({ field: PARAM[side], message: `${PARAM[side]}: is not a page cursor for sort=${filter.sort}` });
    }
  }
  return { filter: withoutUndefined(filter), issues };
}

/** The table state of a query string; bad values fall back to their defaults (see readTableFilter for the issues). */
export function parseTableFilter(params: Params): TableFilter {
  return readTableFilter(params).filter;
}

/** The query string of a table state, with defaults left out (so the plain table is plain `/samples`). */
export function tableFilterToParams(filter: TableFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.status.length) params.set(PARAM.status, filter.status.join(","));
  if (filter.datasetId !== undefined) params.set(PARAM.datasetId, String(filter.datasetId));
  if (filter.failingStage !== undefined) params.set(PARAM.failingStage, String(filter.failingStage));
  if (filter.turns) params.set(PARAM.turns, filter.turns);
  if (filter.failingTurn !== undefined) params.set(PARAM.failingTurn, String(filter.failingTurn));
  if (filter.errorToolResponse !== undefined) params.set(PARAM.errorToolResponse, String(filter.errorToolResponse));
  if (filter.outcome) {
    params.set(PARAM.outcome, filter.outcome);
    if (filter.outcomeStage !== undefined) params.set(PARAM.outcomeStage, String(filter.outcomeStage));
  }
  if (filter.decidedBy) params.set(PARAM.decidedBy, filter.decidedBy);
  if (filter.tool) params.set(PARAM.tool, filter.tool);
  if (filter.q) params.set(PARAM.q, filter.q);
  if (filter.sort !== DEFAULT_FILTER.sort) params.set(PARAM.sort, filter.sort);
  if (filter.dir !== DEFAULT_FILTER.dir) params.set(PARAM.dir, filter.dir);
  if (filter.after) params.set(PARAM.after, formatCursor(filter.after));
  else if (filter.before) params.set(PARAM.before, formatCursor(filter.before));
  if (filter.size !== DEFAULT_FILTER.size) params.set(PARAM.size, String(filter.size));
  if (filter.columns.join(",") !== DEFAULT_COLUMNS.join(",")) params.set(PARAM.columns, filter.columns.join(","));
  return params;
}

/** The same table at its first page: what any change of filter or sort leads to. */
export function firstPage(filter: TableFilter): TableFilter {
  const { after: _after, before: _before, ...rest } = filter;
  return rest;
}

/** The same table with no row filter (sort, page size and columns kept), at its first page. */
export function withoutFilters(filter: TableFilter): TableFilter {
  return { ...DEFAULT_FILTER, sort: filter.sort, dir: filter.dir, size: filter.size, columns: filter.columns };
}

/** Only what selects rows (no sort, page or columns): what a bulk action or an export applies to. */
export function selectionOnly(filter: TableFilter): TableFilter {
  return { ...DEFAULT_FILTER, ...pick(filter, ["status", "datasetId", "failingStage", "turns", "failingTurn", "errorToolResponse", "outcome", "outcomeStage", "decidedBy", "tool", "q"]) };
}

/** True when the filter narrows the rows at all. */
export function isFiltered(filter: TableFilter): boolean {
  return tableFilterToParams(selectionOnly(filter)).size > 0;
}

export function formatCursor(cursor: TableCursor): string {
  return cursor.key === null ? String(cursor.id) : `${cursor.key}_${cursor.id}`;
}

/** A cursor for `sort`, or null when the text is not one (an id-sort cursor under sort=updated, a bad date...). */
export function parseCursor(text: string, sort: SortKey): TableCursor | null {
  const cut = text.lastIndexOf("_");
  const key = cut < 0 ? null : text.slice(0, cut);
  const id = Number(text.slice(cut + 1));
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
  if (sort === "id") return key === null ? { key, id } : null;
  if (key === null) return null;
  if (sort === "status") return (SAMPLE_STATUSES as readonly string[]).includes(key) ? { key, id } : null;
  // sort === "updated": an ISO instant exactly as the server wrote it (millisecond precision, like the column), in
  // years 0000–9999: JavaScript's extended years (+275760-…) are not dates the database reads.
  const date = new Date(key);
  return /^\d{4}-/.test(key) && !Number.isNaN(date.getTime()) && date.toISOString() === key ? { key, id } : null;
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) as Pick<T, K>;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
