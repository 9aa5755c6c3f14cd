// Import against its floor: importSamples into a new dataset, alternating with one plain COPY of the same rows
// (already parsed and hashed) into an unindexed table with the same column types, ROUNDS times; the medians are
// reported (one run on a shared machine is noise).
import { createReadStream } from "node:fs";
import path from "node:path";
import { getPool } from "@/lib/db/client";
import { copyRows, type CopyValue } from "@/lib/db/copy";
import { importSamples } from "@/lib/samples/import";
import { median, spread, type Report } from "./stats";

export interface ImportAgainstCopy {
  file: string;
  /** Samples the file must import (the bench fails otherwise). */
  expected: number;
  /** What is counted, for the rate: "samples", "conversations". */
  unit: string;
  /** The floor's columns of `samples` and its rows. */
  columns: string[];
  rows: CopyValue[][];
  rounds: number;
  /** Each round's dataset is named `<datasetPrefix><time>`; earlier ones are deleted first. */
  datasetPrefix: string;
}

/** Runs the rounds and reports the figures; returns the last round's dataset (kept). */
export async function importAgainstCopy(options: ImportAgainstCopy, report: Report): Promise<string> {
  const pool = await getPool();
  const importTimes: number[] = [];
  const copyTimes: number[] = [];
  let dataset = "";
  for (let round = 0; round < options.rounds; round++) {
    // Earlier datasets would make this round's indexes, and so its import, bigger every time.
    await pool.query("DELETE FROM datasets WHERE name LIKE $1", [`${options.datasetPrefix}%`]);
    await pool.query("VACUUM samples, stage_verdicts");
    dataset = `${options.datasetPrefix}${Date.now()}`;
    let started = performance.now();
    const summary = await importSamples({ datasetName: dataset, fileName: path.basename(options.file), input: createReadStream(options.file) });
    importTimes.push((performance.now() - started) / 1000);
    if (!summary.ok || summary.inserted !== options.expected) throw new Error(`bench import went wrong: ${JSON.stringify(summary).slice(0, 500)}`);

    const client = await pool.connect();
    try {
      await client.query(`DROP TABLE IF EXISTS bench_copy_scratch`);
      await client.query(`CREATE TABLE bench_copy_scratch AS SELECT ${options.columns.join(", ")} FROM samples WITH NO DATA`);
      started = performance.now();
      await copyRows(client, "bench_copy_scratch", options.columns, options.rows);
      copyTimes.push((performance.now() - started) / 1000);
      await client.query(`DROP TABLE bench_copy_scratch`);
    } finally {
      client.release();
    }
  }
  const importSeconds = median(importTimes);
  report(`import: time`, `${importSeconds.toFixed(2)} s (median of ${spread(importTimes)})`);
  report(`import: rate`, `${Math.round(options.expected / importSeconds)} ${options.unit}/s`);
  report(`plain COPY of the same rows: time`, `${median(copyTimes).toFixed(2)} s (median of ${spread(copyTimes)}; columns ${options.columns.join(", ")})`);
  const ratios = importTimes.map((time, i) => time / copyTimes[i]);
  report(`import ÷ plain COPY`, `${median(ratios).toFixed(2)}× (median of ${ratios.map((r) => r.toFixed(2)).join(", ")}; target ≤ 3×)`);
  return dataset;
}
