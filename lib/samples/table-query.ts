// The samples table's queries, all in the database: filters become indexed predicates (GIN on tool_names,
// stage_outcomes and the full-text document; btree on status, dataset, decided_by), pages are keyset pages
// (row comparison on the sort key and id — never OFFSET), and the total is counted only when the planner expects
// at most EXACT_COUNT_UP_TO rows (always, at 60k samples); above that it is the planner's estimate, which costs
// nothing at a million. Nothing reads JSON per row except for the page's own rows.
import type pg from "pg";
import { getPool } from "@/lib/db/client";
import { STAGE_IDS } from "@/lib/pipeline/stage-registry";
import type { SampleStatus } from "./types";
import { formatCursor, selectionOnly, type TableCursor, type TableFilter } from "./table-filter";

/** Filters the planner expects to match more rows than this get an estimated total instead of a count. */
export const EXACT_COUNT_UP_TO = 100_000;

/**
 * work_mem for queries with a full-text search. At the default 4 MB the search index's bitmap of a common word in a
 * million rows goes lossy, and every row of a lossy page has its text document recomputed (seconds).
 */
const SEARCH_WORK_MEM = "64MB";

export interface TableRow {
  id: number;
  datasetId: number;
  dataset: string;
  status: SampleStatus;
  /** The first QUERY_PREVIEW characters of the query. */
  query: string;
  toolNames: string[];
  /** The called functions' names, in order; null when the answer is text or missing. */
  /** Each call as `name(arg=value, …)`, every value cut at CALL_VALUE_CHARS (null: not a call answer). */
  calls: string[] | null;
  answerKind: "calls" | "text" | null;
  statusStage: number | null;
  statusCode: string | null;
  statusReason: string | null;
  decidedBy: string | null;
  updatedAt: string;
  version: number;
}

export interface TablePage {
  rows: TableRow[];
  /** Rows matching the filter: counted, or the planner's estimate (see totalKind). */
  total: number;
  /**
   * exact: counted. atLeast: the count stopped at EXACT_COUNT_UP_TO (the planner expected fewer). estimate: the
   * planner expected more than EXACT_COUNT_UP_TO, and that expectation is the total.
   */
  totalKind: "exact" | "atLeast" | "estimate";
  /** Cursor text for the next / previous page, null at either end. */
  next: string | null;
  previous: string | null;
}

const QUERY_PREVIEW = 240;

interface SortSpec {
  /** The sort key's SQL (on alias s). */
  column: string;
  /** How a cursor key is typed in SQL. */
  cast: string;
  /** The sort key of a row, as cursor text. */
  keyOf(row: { updated_at: Date; status: string }): string | null;
}

const SORTS: Record<TableFilter["sort"], SortSpec | null> = {
  id: null,
  updated: { column: "s.updated_at", cast: "timestamptz", keyOf: (row) => row.updated_at.toISOString() },
  status: { column: "s.status", cast: `"SampleStatus"`, keyOf: (row) => row.status },
};

/** Bound parameters and the WHERE conditions that use them. */
class Sql {
  readonly params: unknown[] = [];
  readonly conditions: string[] = [];
  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(" AND ")}` : "";
  }
}

/** The filter's row predicates on `samples s`. */
function filterConditions(filter: TableFilter, sql: Sql): void {
  const c = sql.conditions;
  if (filter.status.length) c.push(`s.status = ANY(${sql.bind(filter.status)}::"SampleStatus"[])`);
  if (filter.datasetId !== undefined) c.push(`s.dataset_id = ${sql.bind(filter.datasetId)}`);
  if (filter.failingStage !== undefined) c.push(`s.stage_outcomes @> ARRAY[${sql.bind(`${filter.failingStage}:fail`)}::text]`);
  if (filter.turns) c.push(`s.turns ${filter.turns.endsWith("+") ? ">=" : "="} ${sql.bind(parseInt(filter.turns, 10))}`);
  if (filter.failingTurn !== undefined) c.push(`s.stage_outcomes @> ARRAY[${sql.bind(`turn${filter.failingTurn}:fail`)}::text]`);
  if (filter.errorToolResponse !== undefined) c.push(`s.error_tool_response = ${sql.bind(filter.errorToolResponse)}`);
  if (filter.outcome) {
    if (filter.outcomeStage !== undefined) {
      c.push(`s.stage_outcomes @> ARRAY[${sql.bind(`${filter.outcomeStage}:${filter.outcome}`)}::text]`);
    } else {
      const atAnyStage = STAGE_IDS.map((stage) => `${stage}:${filter.outcome}`);
      c.push(`s.stage_outcomes && ${sql.bind(atAnyStage)}::text[]`);
    }
  }
  if (filter.decidedBy) c.push(`s.decided_by = ${sql.bind(filter.decidedBy)}`);
  if (filter.tool) c.push(`s.tool_names @> ARRAY[${sql.bind(filter.tool)}::text]`);
  // Exactly the indexed expression (samples_search_idx), or the index is not used.
  if (filter.q) c.push(`studio_sample_search(s.query, s.cot, s.answer) @@ websearch_to_tsquery('english', ${sql.bind(filter.q)})`);
}

/** `(key, id) > cursor` in the sort's direction (`forward` false: the rows before it). */
function cursorCondition(filter: TableFilter, cursor: TableCursor, forward: boolean, sql: Sql): void {
  const ascending = (filter.dir === "asc") === forward;
  const op = ascending ? ">" : "<";
  const sort = SORTS[filter.sort];
  if (!sort) sql.conditions.push(`s.id ${op} ${sql.bind(cursor.id)}`);
  else sql.conditions.push(`(${sort.column}, s.id) ${op} (${sql.bind(cursor.key)}::${sort.cast}, ${sql.bind(cursor.id)})`);
}

function orderBy(filter: TableFilter, forward: boolean): string {
  const dir = (filter.dir === "asc") === forward ? "ASC" : "DESC";
  const sort = SORTS[filter.sort];
  return sort ? `ORDER BY ${sort.column} ${dir}, s.id ${dir}` : `ORDER BY s.id ${dir}`;
}

function cursorOf(filter: TableFilter, row: { id: number; updated_at: Date; status: string }): string {
  return formatCursor({ key: SORTS[filter.sort]?.keyOf(row) ?? null, id: row.id });
}

interface PageRow {
  id: number;
  dataset_id: number;
  dataset: string;
  status: SampleStatus;
  query: string;
  tool_names: string[] | null;
  calls: string[] | null;
  answer_kind: "calls" | "text" | null;
  status_stage: number | null;
  status_code: string | null;
  status_reason: string | null;
  decided_by: string | null;
  updated_at: Date;
  version: number;
}

/**
 * `SELECT s.id` of the first `limit` rows past `cursor` in the filter's order. With a full-text search the matches
 * are gathered first (through the search index) and ordered after: otherwise the planner may walk the id index and
 * compute every row's text document until it has `limit` matches — ~60 µs a row, seconds for a rare word.
 */
function selectIds(filter: TableFilter, cursor: TableCursor | undefined, forward: boolean, limit: number, sql: Sql): string {
  filterConditions(filter, sql);
  if (cursor) cursorCondition(filter, cursor, forward, sql);
  const order = `${orderBy(filter, forward)} LIMIT ${sql.bind(limit)}`;
  if (!filter.q) return `SELECT s.id FROM samples s ${sql.where()} ${order}`;
  return `WITH matches AS MATERIALIZED (SELECT s.id, s.updated_at, s.status FROM samples s ${sql.where()})
    SELECT s.id FROM matches s ${order}`;
}

/** How much of each argument value the Calls column shows (its JSON text). */
const CALL_VALUE_CHARS = 24;

// The page is chosen first (ids only), then only its rows are read in full: the display columns (a JSON walk for
// the call names, the dataset name) cost per shown row, never per matching row.
function pageQuery(filter: TableFilter, cursor: TableCursor | undefined, forward: boolean, limit: number) {
  const sql = new Sql();
  const text = `
    WITH page AS (${selectIds(filter, cursor, forward, limit, sql)})
    SELECT s.id, s.dataset_id, d.name AS dataset, s.status, left(s.query, ${QUERY_PREVIEW}) AS query, s.tool_names,
      CASE WHEN s.answer_kind = 'calls' AND json_typeof(s.answer) = 'array'
        THEN ARRAY(
          SELECT (c.value ->> 'name') || '(' || coalesce((
            SELECT string_agg(a.key || '=' || CASE WHEN length(a.value::text) > ${CALL_VALUE_CHARS} THEN left(a.value::text, ${CALL_VALUE_CHARS} - 1) || '…' ELSE a.value::text END, ', ')
            FROM json_each(CASE WHEN json_typeof(c.value -> 'arguments') = 'object' THEN c.value -> 'arguments' ELSE '{}'::json END) AS a), '') || ')'
          FROM json_array_elements(s.answer) AS c(value)) END AS calls,
      s.answer_kind, s.status_stage, s.status_code, s.status_reason, s.decided_by, s.updated_at, s.version
    FROM page JOIN samples s ON s.id = page.id JOIN datasets d ON d.id = s.dataset_id
    ${orderBy(filter, forward)}`;
  return { text, values: sql.params };
}

/** The filter's total: counted up to EXACT_COUNT_UP_TO rows when the planner expects no more, else its estimate. */
async function countRows(db: Queryable, filter: TableFilter, exactUpTo: number): Promise<Pick<TablePage, "total" | "totalKind">> {
  const sql = new Sql();
  filterConditions(filter, sql);
  const plan = await db.query<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM samples s ${sql.where()}`,
    sql.params,
  );
  const estimate = Math.round(plan.rows[0]["QUERY PLAN"][0].Plan["Plan Rows"]);
  if (estimate > exactUpTo) return { total: estimate, totalKind: "estimate" };
  const limit = sql.bind(exactUpTo + 1);
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM samples s ${sql.where()} LIMIT ${limit}) AS capped`, sql.params);
  const n = rows[0].n;
  return n > exactUpTo ? { total: exactUpTo, totalKind: "atLeast" } : { total: n, totalKind: "exact" };
}

type Queryable = Pick<pg.Pool, "query">;

/** Runs `work` on its own connection with SEARCH_WORK_MEM when the filter has a full-text search. */
async function withSearchMemory<T>(filter: TableFilter, work: (db: Queryable) => Promise<T>): Promise<T> {
  const pool = await getPool();
  if (!filter.q) return work(pool);
  const client = await pool.connect();
  try {
    await client.query(`BEGIN READ ONLY; SET LOCAL work_mem = '${SEARCH_WORK_MEM}'`);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function toRow(row: PageRow): TableRow {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    dataset: row.dataset,
    status: row.status,
    query: row.query,
    toolNames: row.tool_names ?? [],
    calls: row.calls,
    answerKind: row.answer_kind,
    statusStage: row.status_stage,
    statusCode: row.status_code,
    statusReason: row.status_reason,
    decidedBy: row.decided_by,
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** One page of the table under `filter` (its cursor picks the page) and the filter's total. */
export async function querySamplesTable(filter: TableFilter, { exactCountUpTo = EXACT_COUNT_UP_TO } = {}): Promise<TablePage> {
  const size = filter.size;
  const backward = Boolean(filter.before);
  const cursor = filter.after ?? filter.before;
  // One extra row tells whether there is a page beyond this one.
  const [page, count] = await Promise.all([
    withSearchMemory(filter, async (db) => {
      const { rows } = await db.query<PageRow>(pageQuery(filter, cursor, !backward, size + 1));
      // A short page going back means we reached the start: show a full first page instead.
      if (backward && rows.length <= size) return { rows: (await db.query<PageRow>(pageQuery(filter, undefined, true, size + 1))).rows, restarted: true };
      return { rows, restarted: false };
    }),
    withSearchMemory(filter, (db) => countRows(db, filter, exactCountUpTo)),
  ]);
  const more = page.rows.length > size;
  const rows = page.rows.slice(0, size);
  let hasNext: boolean;
  let hasPrevious: boolean;
  if (page.restarted) {
    hasNext = more;
    hasPrevious = false;
  } else if (backward) {
    rows.reverse();
    hasNext = true;
    hasPrevious = more;
  } else {
    hasNext = more;
    hasPrevious = Boolean(cursor);
  }
  return {
    rows: rows.map(toRow),
    ...count,
    next: hasNext && rows.length ? cursorOf(filter, rows[rows.length - 1]) : null,
    previous: hasPrevious && rows.length ? cursorOf(filter, rows[0]) : null,
  };
}

/**
 * The samples just before and after `sampleId` in the table's order under `filter` (its page cursor ignored): what
 * the review page's previous/next walk. The sample itself need not match the filter any more (once approved it
 * may have left a status=flagged list): its sort key still places it, so "next" is the one that followed it.
 */
export async function sampleNeighbors(filter: TableFilter, sampleId: number): Promise<{ previous: number | null; next: number | null }> {
  const none = { previous: null, next: null };
  if (!Number.isSafeInteger(sampleId) || sampleId < 1 || sampleId > 2_147_483_647) return none;
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number; updated_at: Date; status: string }>(
    `SELECT id, updated_at, status FROM samples WHERE id = $1`,
    [sampleId],
  );
  if (!rows[0]) return none;
  const key = SORTS[filter.sort]?.keyOf(rows[0]) ?? null;
  const cursor = { key, id: sampleId };
  const neighbor = (forward: boolean) =>
    withSearchMemory(filter, async (db) => {
      const sql = new Sql();
      const result = await db.query<{ id: number }>(selectIds(filter, cursor, forward, 1, sql), sql.params);
      return result.rows[0]?.id ?? null;
    });
  const [previous, next] = await Promise.all([neighbor(false), neighbor(true)]);
  return { previous, next };
}

/** Every sample id the filter matches (its sort, page and columns ignored), ascending: a bulk action's targets. */
export async function filteredSampleIds(filter: TableFilter): Promise<number[]> {
  const sql = new Sql();
  filterConditions(selectionOnly(filter), sql);
  const { rows } = await withSearchMemory(filter, (db) =>
    db.query<[number]>({ text: `SELECT s.id FROM samples s ${sql.where()} ORDER BY s.id`, values: sql.params, rowMode: "array" }),
  );
  return rows.map(([id]) => id);
}

/** Rows the filter matches, exactly (no cap): what a whole-filter action's confirmation shows. */
export async function countFiltered(filter: TableFilter): Promise<number> {
  const sql = new Sql();
  filterConditions(selectionOnly(filter), sql);
  const { rows } = await withSearchMemory(filter, (db) => db.query<{ n: number }>(`SELECT count(*)::int AS n FROM samples s ${sql.where()}`, sql.params));
  return rows[0].n;
}

/** How many samples' tool lists the tool-name picker reads. */
const TOOL_SCAN = 20_000;

/**
 * Tool names for the filter's picker, starting with `prefix` (case-insensitive), from a bounded scan: the tool
 * lists of the first TOOL_SCAN samples (in the dataset, when given). Cheap at any size; a name outside the scan
 * can still be typed in full, the filter itself is exact and indexed.
 */
export async function toolNameSuggestions(prefix: string, datasetId?: number, limit = 30): Promise<string[]> {
  const pool = await getPool();
  const pattern = `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const { rows } = await pool.query<{ name: string }>(
    `SELECT DISTINCT t.name
     FROM (SELECT tool_names FROM samples WHERE $1::int IS NULL OR dataset_id = $1 ORDER BY id LIMIT $2) AS s,
       unnest(s.tool_names) AS t(name)
     WHERE t.name ILIKE $3
     ORDER BY t.name LIMIT $4`,
    [datasetId ?? null, TOOL_SCAN, pattern, limit],
  );
  return rows.map((r) => r.name);
}

/** Every dataset's id and name, by name: the table's dataset filter (cheap: no sample is read). */
export async function datasetOptions(): Promise<{ id: number; name: string }[]> {
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number; name: string }>(`SELECT id, name FROM datasets ORDER BY name`);
  return rows;
}
