// The samples table's server query (page + count, as app/samples runs it) at 60k samples, and optionally at 1M
// (BENCH_TABLE_ROWS=1000000). Runs in a child process on a database of its own on the bench server, so the table
// holds exactly the measured set whatever other sections left behind.
//
// `tableBench` (called by bench/run.ts) makes that database and runs this file; run as a script, this file imports
// the generated xLAM set, gives the rows what a pipeline and reviewers would leave (status, per-stage outcomes,
// decided-by, reasons, a CoT, spread update times) in set-based UPDATEs, runs ANALYZE and times each scenario.
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Report } from "./stats";

const DATABASE = "studio_bench_table";

/** `rows`: the table's size (BENCH_TABLE_ROWS, else 60,000); the file's samples are copied up to it. */
export async function tableBench(file: string, report: Report, rows = Number(process.env.BENCH_TABLE_ROWS) || 60_000): Promise<void> {
  const { databaseUrl, getPool } = await import("@/lib/db/client");
  const pool = await getPool();
  await pool.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await pool.query(`CREATE DATABASE ${DATABASE}`);
  const url = Object.assign(new URL(await databaseUrl()), { pathname: `/${DATABASE}` }).toString();
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", fileURLToPath(import.meta.url), file], {
    env: { ...process.env, DATABASE_URL: url, BENCH_TABLE_ROWS: String(rows) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  // The child prints one JSON line per figure.
  for await (const line of createInterface({ input: child.stdout! })) {
    const figure = JSON.parse(line) as { name: string; value: string };
    report(figure.name, figure.value);
  }
  const code = await exited;
  if (code !== 0) throw new Error(`table bench exited with ${code}`);
}

// ---- the child process ----

const ITERATIONS = 40;
const WARMUP = 3;

async function main(file: string) {
  const rows = Number(process.env.BENCH_TABLE_ROWS) || 60_000;
  const { getPool, closeDb } = await import("@/lib/db/client");
  const { importSamples } = await import("@/lib/samples/import");
  const { DEFAULT_FILTER } = await import("@/lib/samples/table-filter");
  const { querySamplesTable, sampleNeighbors } = await import("@/lib/samples/table-query");
  type TableFilter = typeof DEFAULT_FILTER;
  const figure = (name: string, value: string) => process.stdout.write(`${JSON.stringify({ name, value })}\n`);
  const pool = await getPool();

  let started = performance.now();
  const summary = await importSamples({ datasetName: "bench-table", fileName: "bench.json", input: createReadStream(file) });
  if (!summary.ok) throw new Error(`table bench import failed: ${summary.failure}`);
  await giveRowsAReviewHistory(pool);
  if (rows > summary.inserted) await duplicateRows(pool, rows);
  await pool.query("VACUUM ANALYZE samples");
  const { rows: [{ n }] } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM samples");
  figure("table: set", `${n.toLocaleString("en")} samples, prepared in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // Filter values that exist in the set: its most common tool, and an id 90% of the way down (a deep page).
  const { rows: [common] } = await pool.query<{ tool: string; deep: number }>(
    `SELECT (SELECT unnest(most_common_elems::text::text[]) FROM pg_stats WHERE tablename = 'samples' AND attname = 'tool_names' LIMIT 1) AS tool,
       (SELECT id FROM samples ORDER BY id OFFSET (SELECT count(*) * 9 / 10 FROM samples) LIMIT 1) AS deep`,
  );
  const { rows: [late] } = await pool.query<{ key: Date; id: number }>(
    `SELECT updated_at AS key, id FROM samples ORDER BY updated_at DESC, id DESC OFFSET (SELECT count(*) * 9 / 10 FROM samples) LIMIT 1`,
  );
  const scenarios: Array<[string, Partial<TableFilter>]> = [
    ["no filter, first page", {}],
    ["status = flagged", { status: ["flagged"] }],
    ["status = passed, flagged (the review backlog)", { status: ["passed", "flagged"] }],
    ["failing stage 4", { failingStage: 4 }],
    ["turns = 4+ (conversations)", { turns: "4+" }],
    ["failing turn 2 (conversations)", { failingTurn: 2 }],
    ["error at any stage", { outcome: "error" }],
    ["decided by human", { decidedBy: "human" }],
    [`tool = ${common.tool}`, { tool: common.tool }],
    ["full-text search, common word (\"calculate\")", { q: "calculate" }],
    ["full-text search, rare phrase", { q: '"prime factors"' }],
    ["full-text search + status + failing stage", { q: "find", status: ["flagged"], failingStage: 4 }],
    ["deep page via cursor (90% down)", { after: { key: null, id: common.deep } }],
    ["sort by updated_at desc, first page", { sort: "updated", dir: "desc" }],
    ["sort by updated_at desc, deep page", { sort: "updated", dir: "desc", after: { key: late.key.toISOString(), id: late.id } }],
    ["sort by status, first page", { sort: "status" }],
  ];
  for (const [name, partial] of scenarios) {
    const filter = { ...DEFAULT_FILTER, ...partial };
    let page = await querySamplesTable(filter);
    const times = await time(async () => {
      page = await querySamplesTable(filter);
    });
    const total = { exact: "", atLeast: "at least ", estimate: "≈ " }[page.totalKind] + page.total.toLocaleString("en");
    figure(`table: ${name}`, `p50 ${ms(times, 0.5)} / p95 ${ms(times, 0.95)} ms (${page.rows.length} rows of ${total}; target < 50 ms at 60k)`);
  }
  const neighbors = await time(() => sampleNeighbors({ ...DEFAULT_FILTER, status: ["flagged"] }, common.deep));
  figure("table: next/previous of a sample (status = flagged)", `p50 ${ms(neighbors, 0.5)} / p95 ${ms(neighbors, 0.95)} ms`);
  await closeDb();
}

/** Runs `work` WARMUP times untimed, then ITERATIONS times; the durations in ms, sorted. */
async function time(work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

function ms(sorted: number[], quantile: number): string {
  return sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))].toFixed(1);
}

type Pool = Awaited<ReturnType<typeof import("@/lib/db/client").getPool>>;

/**
 * Copies the imported rows, review state included, until the table holds `target` (content hashes made unique per
 * copy), with the secondary indexes dropped during the copy and rebuilt after: the usual bulk load, minutes faster.
 */
async function duplicateRows(pool: Pool, target: number) {
  const { rows: indexes } = await pool.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
     WHERE tablename = 'samples' AND indexname NOT IN ('samples_pkey', 'samples_dataset_id_content_hash_key')`,
  );
  for (const index of indexes) await pool.query(`DROP INDEX "${index.name}"`);
  const { rows: [{ n }] } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM samples");
  for (let copy = 1, have = n; have < target; copy++) {
    const { rowCount } = await pool.query(
      `INSERT INTO samples (dataset_id, source_id, query, tools, answer_kind, answer, cot, status, content_hash, tool_names,
         stage_outcomes, decided_by, status_stage, status_code, status_reason, updated_at)
       SELECT dataset_id, source_id, query || ' (copy ' || $1 || ')', tools, answer_kind, answer, cot, status, content_hash || '-' || $1,
         tool_names, stage_outcomes, decided_by, status_stage, status_code, status_reason, updated_at
       FROM samples WHERE id <= $2 ORDER BY id LIMIT $3`,
      [copy, n, target - have],
    );
    have += rowCount ?? 0;
  }
  for (const index of indexes) await pool.query(index.def);
}

/**
 * What a pipeline run and some reviewing leave on the rows, spread by a hash of the id: 5% pending, 35% passed,
 * 20% flagged by the judge at stage 2–5, 2% with a judge error, 15% discarded by a rule, 5% text, 18% approved; a
 * flagged or discarded conversation fails at one of its later turns.
 */
async function giveRowsAReviewHistory(pool: Pool) {
  await pool.query(`
    WITH h AS (SELECT id, abs(hashint4(id)) % 100 AS b, 2 + abs(hashint4(id + 1)) % 4 AS stage FROM samples)
    UPDATE samples s SET
      status = (CASE WHEN b < 5 THEN 'pending' WHEN b < 40 THEN 'passed' WHEN b < 62 THEN 'flagged'
        WHEN b < 77 THEN 'discarded' WHEN b < 82 THEN 'text' ELSE 'approved' END)::"SampleStatus",
      stage_outcomes = CASE
        WHEN b < 5 THEN '{}'::text[]
        WHEN b < 40 OR b >= 82 THEN ARRAY['1:pass', '2:pass', '3:pass', CASE WHEN b >= 95 THEN '4:fail' ELSE '4:pass' END, '5:pass']
        WHEN b < 60 THEN (SELECT array_agg(g || ':pass') FROM generate_series(1, h.stage - 1) g) || ARRAY[h.stage || ':fail']
        WHEN b < 62 THEN ARRAY['1:pass', '2:pass', '3:error']
        WHEN b < 77 THEN CASE WHEN b < 70 THEN ARRAY['1:pass', '2:fail'] ELSE ARRAY['1:pass', '2:pass', '3:pass', '4:fail'] END
        ELSE ARRAY['1:pass'] END
        -- a flagged or discarded conversation: one of its later turns failed
        || CASE WHEN b BETWEEN 40 AND 76 AND s.turns > 1 THEN ARRAY['turn' || 2 + abs(hashint4(s.id + 3)) % (s.turns - 1) || ':fail'] ELSE '{}' END,
      decided_by = CASE WHEN b < 5 THEN NULL WHEN b >= 82 THEN 'human' WHEN b BETWEEN 62 AND 81 THEN 'rule' ELSE 'llm' END,
      status_stage = CASE WHEN b BETWEEN 40 AND 59 THEN h.stage WHEN b BETWEEN 60 AND 61 THEN 3
        WHEN b BETWEEN 62 AND 69 THEN 2 WHEN b BETWEEN 70 AND 76 THEN 4 WHEN b BETWEEN 77 AND 81 THEN 1 END,
      status_code = CASE WHEN b BETWEEN 40 AND 61 THEN 'llm' WHEN b BETWEEN 62 AND 69 THEN 'rule:unknown-function'
        WHEN b BETWEEN 70 AND 76 THEN 'rule:missing-required' WHEN b >= 82 THEN 'human' END,
      status_reason = CASE WHEN b BETWEEN 40 AND 59 THEN 'The judge found the step unsupported by the query.'
        WHEN b BETWEEN 60 AND 61 THEN 'The judge did not answer.' WHEN b BETWEEN 62 AND 69 THEN 'Calls a function that is not among the tools.'
        WHEN b BETWEEN 70 AND 76 THEN 'A required parameter is missing.' WHEN b >= 82 THEN 'Approved.' END,
      cot = CASE WHEN b >= 5 THEN '<think>The user asks: ' || left(s.query, 160) || ' I look for the tool that answers it, read its parameters, and fill each from the query.</think>' END,
      updated_at = now() - make_interval(mins => abs(hashint4(s.id + 7)) % 43200)
    FROM h WHERE s.id = h.id`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main(process.argv[2]);
}
