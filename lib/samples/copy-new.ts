// Writes an import's samples straight into `samples` with COPY, batch by batch, skipping any whose content hash the
// dataset already holds (or that came earlier in the same import). No staging table, no INSERT … SELECT: the rows
// are written once. While one batch is being copied, the next one is read and parsed.
import type { PoolClient } from "pg";
import { copyRows, type CopyValue } from "@/lib/db/copy";

/** One sample ready for COPY: its values in the caller's column order, and its content hash. */
export interface NewSampleRow {
  contentHash: string;
  values: CopyValue[];
}

const BATCH = 2000;

/**
 * Copies the rows whose content hash is new to the dataset; returns how many were written. Must run inside the
 * caller's transaction: it takes a per-dataset lock until commit, so two imports into one dataset run one after
 * the other and the second sees what the first added (the unique (dataset_id, content_hash) index stays the
 * guarantee; the lock only means it is never hit).
 */
export async function copyNewSamples(
  client: PoolClient,
  datasetId: number,
  columns: readonly string[],
  rows: AsyncIterable<NewSampleRow>,
): Promise<number> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('studio.import'), $1)`, [datasetId]);
  const source = rows[Symbol.asyncIterator]();
  const readBatch = async (): Promise<NewSampleRow[]> => {
    const batch: NewSampleRow[] = [];
    while (batch.length < BATCH) {
      const next = await source.next();
      if (next.done) break;
      batch.push(next.value);
    }
    return batch;
  };

  let inserted = 0;
  let reading = readBatch();
  for (;;) {
    const batch = await reading;
    if (batch.length === 0) break;
    const fresh = await withoutKnown(client, datasetId, batch);
    // Read the next batch while this one is copied (the database works while JavaScript parses).
    reading = readBatch();
    reading.catch(() => undefined); // awaited on the next turn; a file error surfaces there
    if (fresh.length) inserted += await copyRows(client, "samples", columns, fresh.map((row) => row.values));
  }
  return inserted;
}

/** The rows of `batch` whose hash is neither in the dataset nor earlier in the batch. */
async function withoutKnown(client: PoolClient, datasetId: number, batch: NewSampleRow[]): Promise<NewSampleRow[]> {
  const { rows } = await client.query<{ content_hash: string }>(
    `SELECT content_hash FROM samples WHERE dataset_id = $1 AND content_hash = ANY($2::text[])`,
    [datasetId, batch.map((row) => row.contentHash)],
  );
  const seen = new Set(rows.map((row) => row.content_hash));
  return batch.filter((row) => !seen.has(row.contentHash) && seen.add(row.contentHash));
}
