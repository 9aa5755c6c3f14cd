// `npm run bench`: figures, not tests. Runs on its own embedded database unless DATABASE_URL is set.
import { spawnSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import type { CopyValue } from "@/lib/db/copy";

if (!process.env.DATABASE_URL) {
  process.env.STUDIO_PG_PORT ??= "54359";
  process.env.STUDIO_PG_DATA ??= path.resolve(".data/bench-postgres");
  // Each bench starts from an empty database: what earlier benches left (hundreds of thousands of samples, their
  // indexes and autovacuums) would otherwise land in this one's figures. BENCH_KEEP_DB=1 keeps it.
  if (process.env.BENCH_KEEP_DB !== "1") {
    const { dropEmbeddedDatabase } = await import("@/lib/db/embedded");
    await dropEmbeddedDatabase();
  }
}

const { closeDb, getPool } = await import("@/lib/db/client");
const { stopBoss } = await import("@/lib/jobs/boss");
const { readRecords } = await import("@/lib/formats/records");
const { IMPORT_FORMATS } = await import("@/lib/formats");
const { contentHash } = await import("@/lib/samples/hash");
const { loadBfclEntries, writeXlamSet } = await import("./generate-xlam");
const { datasetStagesBench, pipelineBench, ruleStagesBench } = await import("./pipeline");
const { tableBench } = await import("./table");
const { tokensBench } = await import("./tokens");
const { nextSampleBench } = await import("./next-sample");
const { dashboardBench } = await import("./dashboard");
const { uploadBench } = await import("./upload");
const { importAgainstCopy } = await import("./import");
const { conversationsBench } = await import("./conversations");
const { roundBench } = await import("./rounds");
const { hardPoolBench } = await import("./hard-pool");
const { batchBench } = await import("./batch");
const { writesBench } = await import("./writes");
const { median, secondsSince: s, spread } = await import("./stats");
const SECTIONS = (process.env.BENCH_SECTIONS ?? "import,export,tokens,pipeline,writes,batch,pool,round,stages,table,review,dashboard,conversations,upload").split(",");

const SAMPLES = Number(process.env.BENCH_SAMPLES) || 60_000;
/** Timed figures that decide a target are measured this many times; the median is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 3;
const OUT = path.resolve("bench/out");
const figures: Record<string, string | number> = {};

function report(name: string, value: string | number) {
  figures[name] = value;
  process.stdout.write(`${name.padEnd(44)} ${value}\n`);
}

await mkdir(OUT, { recursive: true });
const file = path.join(OUT, `xlam-${SAMPLES}.json`);
let t = performance.now();
await writeXlamSet(await loadBfclEntries(path.resolve("fixtures/bfcl")), SAMPLES, file);
report("generated xLAM set (from BFCL fixtures)", `${SAMPLES} samples, ${((await stat(file)).size / 1e6).toFixed(1)} MB, ${s(t)} s`);

/** The dataset the import section made (the review section works through it). */
let importedDataset: string | null = null;
if (SECTIONS.includes("import")) {
  const pool = await getPool();
  // The same rows, already parsed and hashed, for the floor: one plain COPY into a table without indexes.
  const rows: CopyValue[][] = [];
  for await (const record of readRecords(createReadStream(file))) {
    if (!record.ok) continue;
    const sample = IMPORT_FORMATS.xlam.fromRecord(record.value, record, {});
    if ("message" in sample) continue;
    rows.push([1, sample.sourceId, sample.query, sample.tools, "calls", sample.answer?.kind === "calls" ? sample.answer.calls : null, sample.cot, contentHash(sample)]);
  }
  const dataset = await importAgainstCopy(
    {
      file, expected: SAMPLES, unit: "samples", rounds: ROUNDS, datasetPrefix: "bench-", rows,
      // The columns this floor has always copied, so that its figures compare with earlier ones.
      columns: ["dataset_id", "source_id", "query", "tools", "answer_kind", "answer", "cot", "content_hash"],
    },
    report,
  );
  importedDataset = dataset;

  // Export needs a refined set with verdicts: mark everything passed, with a CoT as the pipeline would have generated
  // (the export re-checks the rules, and a call sample without one fails stages 3 and 5), and five verdicts each.
  await pool.query(
    `UPDATE samples SET status = 'passed', cot = 'The user asks for this; the tool takes these values.'
     WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1)`,
    [dataset],
  );
  await pool.query(
    `INSERT INTO stage_verdicts (sample_id, stage, outcome, reason, evidence, decided_by)
     SELECT s.id, g.stage, 'pass', 'bench verdict', '{"bench": true}', 'rule:bench'
     FROM samples s JOIN datasets d ON d.id = s.dataset_id CROSS JOIN generate_series(1, 5) AS g(stage) WHERE d.name = $1`,
    [dataset],
  );

  rows.length = 0;
  // As autovacuum would after a pipeline run: the UPDATE above left 60k dead row versions behind.
  await pool.query("VACUUM ANALYZE samples, stage_verdicts");
  for (const format of ["funreason", "xlam", "openai", "audit"]) {
    const runs: { seconds: number; peakRssMb: number; written: number; withheld: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Each export runs in its own process, as the CLI does, so its peak RSS is its own.
      const out = path.join(OUT, `export.${format}.jsonl`);
      const child = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/main.ts", "export", "--dataset", dataset, "--format", format, "--out", out], {
        encoding: "utf8",
        env: process.env,
      });
      if (child.status !== 0) throw new Error(`export ${format} failed: ${child.stderr}`);
      runs.push(JSON.parse(child.stdout.trim().split("\n").at(-1)!));
    }
    const seconds = runs.map((r) => r.seconds);
    report(
      `export ${format}: time / peak RSS`,
      `${median(seconds).toFixed(2)} s (median of ${spread(seconds)}) / ${Math.max(...runs.map((r) => r.peakRssMb))} MB (${runs[0].written} samples, ${runs[0].withheld} withheld; targets < 5 s, < 300 MB)`,
    );
  }
}

if (SECTIONS.includes("tokens")) await tokensBench(file, report);

if (SECTIONS.includes("pipeline")) {
  await ruleStagesBench(file, report);
  await pipelineBench(file, report, ROUNDS);
}
if (SECTIONS.includes("writes")) await writesBench(file, report);
if (SECTIONS.includes("batch")) await batchBench(file, report);
if (SECTIONS.includes("pool")) await hardPoolBench(file, report);
if (SECTIONS.includes("round")) await roundBench(file, report);
if (SECTIONS.includes("stages")) {
  if (!importedDataset) throw new Error("the stages section works on the import section's dataset: BENCH_SECTIONS must include import");
  await datasetStagesBench(importedDataset, report);
}
if (SECTIONS.includes("table")) await tableBench(file, report);
if (SECTIONS.includes("review")) {
  if (!importedDataset) throw new Error("the review section works on the import section's dataset: BENCH_SECTIONS must include import");
  const { rows } = await (await getPool()).query<{ id: number }>("SELECT id FROM datasets WHERE name = $1", [importedDataset]);
  await nextSampleBench(rows[0].id, report);
}
if (SECTIONS.includes("dashboard")) await dashboardBench(SAMPLES, report);
if (SECTIONS.includes("conversations")) await conversationsBench({ rounds: ROUNDS, out: OUT }, report);
// Last: it adds two more copies of the set (a CLI import and the upload) that the sections above would count.
if (SECTIONS.includes("upload")) await uploadBench(file, SAMPLES, report, OUT);
// The queue's timers would keep the process alive after the figures (a section that creates a run starts it).
await stopBoss();
await closeDb();

process.stdout.write(`\n${JSON.stringify(figures)}\n`);
