import type { PoolClient } from "pg";
import { copyRows, pgTextArray, type CopyValue } from "@/lib/db/copy";
import { recordAudit } from "@/lib/audit/log";
import { getPool } from "@/lib/db/client";
import { FileFormatError, readRecords } from "@/lib/formats/records";
import { IMPORT_FORMATS, describeImportFormats, detectFormat, type ImportFormat } from "@/lib/formats";
import { readGroundTruth } from "@/lib/formats/bfcl";
import { contentHash, identityJson } from "./hash";
import { MAX_REPORTED_ERRORS } from "./limits";
import { assistantTurns } from "@/lib/formats/conversation";
import { toolNames } from "./tool-names";
import type { RecordError, SampleInput } from "./types";

export type ImportFormatId = "auto" | keyof typeof IMPORT_FORMATS;
export type ByteSource = AsyncIterable<Buffer | string> | NodeJS.ReadableStream;

export interface ImportProgress {
  records: number;
  bytes: number;
}

export interface ImportOptions {
  datasetName: string;
  fileName: string;
  input: ByteSource;
  format?: ImportFormatId;
  /** BFCL only: the matching possible_answer file. */
  answers?: ByteSource;
  /** Import nothing if any record is rejected. */
  strict?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Who imports, for the audit log (human:<email>, cli:<user>); "system" when not said. */
  actor?: string;
}

export interface ImportSummary {
  ok: boolean;
  jobId: number;
  dataset: string;
  format: string;
  /** Records read from the file, valid or not. */
  total: number;
  inserted: number;
  /** Valid records already in the dataset (or repeated in the file): same content hash. */
  duplicates: number;
  rejected: number;
  /** Records imported as their first exchange, the whole record kept in the sample's source_record (multi-turn). */
  furtherTurns: number;
  /** The first MAX_REPORTED_ERRORS rejected records, in file order. */
  errors: RecordError[];
  /** Why nothing was imported, when ok is false. */
  failure?: string;
  seconds: number;
}

/** The columns an import writes for each sample (after the dataset id or staging seq), in sampleRow's order. */
export const SAMPLE_COLUMNS = [
  "source_id", "query", "tools", "answer_kind", "answer", "cot", "content_hash", "tool_names", "follow_up", "turns", "error_tool_response",
  "source_record",
];
/** Into a new dataset: its id first; into the staging table: the record's place in the file. */
const copyColumns = (newDatasetId: number | null) => [newDatasetId === null ? "seq" : "dataset_id", ...SAMPLE_COLUMNS];
// Often enough that a browser upload on a slow link shows records coming in (about every 1.5 MB of xLAM).
const PROGRESS_EVERY = 500;

/**
 * Imports one file into a dataset (created on first use), in one transaction: either every valid record is added
 * (rejected ones are reported with line and field) or, on a file-level error or a strict-mode rejection, nothing
 * is. Records stream through a single COPY into a staging table, then one set-based INSERT skips duplicates.
 */
export async function importSamples(options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const datasetName = options.datasetName.trim();
  const counts = { total: 0, staged: 0, rejected: 0, inserted: 0, furtherTurns: 0 };
  const errors: RecordError[] = [];
  const reject = (error: RecordError) => {
    counts.rejected++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(error);
  };
  let format: string = options.format ?? "auto";
  let datasetId: number | null = null;
  let failure: string | undefined;

  const pool = await getPool();
  const client = await pool.connect();
  try {
    const answers = options.answers ? await readAnswers(options.answers, reject) : undefined;
    await client.query("BEGIN");
    // A new dataset: rows go straight into samples while the file is read, so PostgreSQL indexes them (on its own
    // core) while this process parses; the file's own repeats are skipped here. An existing dataset: rows go to a
    // staging table first, then one INSERT skips those it already has.
    const newDatasetId = await createDatasetIfNew(client, datasetName);
    const seen = newDatasetId === null ? null : new Set<string>();
    if (newDatasetId === null) {
      await client.query(
        `CREATE TEMP TABLE import_staging (seq int, source_id text, query text, tools json, answer_kind "AnswerKind",
           answer json, cot text, content_hash text, tool_names text[], follow_up json, turns smallint,
           error_tool_response boolean, source_record json) ON COMMIT DROP`,
      );
    }

    const bytes = { read: 0 };
    async function* stagingRows(): AsyncGenerator<CopyValue[]> {
      let mapper: ImportFormat | null = options.format && options.format !== "auto" ? IMPORT_FORMATS[options.format] : null;
      for await (const record of readRecords(countBytes(options.input, bytes))) {
        counts.total++;
        if (counts.total % PROGRESS_EVERY === 0) options.onProgress?.({ records: counts.total, bytes: bytes.read });
        if (!record.ok) {
          reject(record.error);
          continue;
        }
        const position = { index: record.index, line: record.line };
        if (!mapper) {
          const detected = detectFormat(record.value);
          if (!detected) {
            throw new FileFormatError(
              `cannot tell the file's format from its first record (${describeKeys(record.value)}); ` +
                `expected ${describeImportFormats()}: pass --format`,
              record.line,
            );
          }
          format = detected;
          mapper = IMPORT_FORMATS[detected];
        }
        const parsed = mapper.fromRecord(record.value, position, { answers });
        if ("message" in parsed) {
          reject(parsed);
          continue;
        }
        const toolsJson = JSON.stringify(parsed.tools);
        const identity = identityJson(parsed, toolsJson);
        const suspicious = MAYBE_UNSTORABLE.test(identity) || MAYBE_UNSTORABLE.test(JSON.stringify([parsed.sourceId, parsed.cot]));
        const unstorable = suspicious ? findUnstorableText(parsed) : null;
        if (unstorable) {
          reject({ ...position, field: unstorable.field, message: unstorable.message });
          continue;
        }
        counts.staged++;
        if (parsed.followUp?.length) counts.furtherTurns++;
        const hash = contentHash(parsed, identity);
        if (seen) {
          if (seen.has(hash)) continue;
          seen.add(hash);
        }
        yield sampleRow(newDatasetId ?? counts.staged, parsed, toolsJson, hash);
      }
      options.onProgress?.({ records: counts.total, bytes: bytes.read });
    }

    const copied = await copyRows(client, newDatasetId === null ? "import_staging" : "samples", copyColumns(newDatasetId), stagingRows());
    if (counts.total === 0) throw new FileFormatError("the file holds no records");
    if (options.strict && counts.rejected > 0) {
      throw new StrictImportError(`strict mode: ${counts.rejected} of ${counts.total} records were rejected, nothing was imported`);
    }
    if (newDatasetId !== null) {
      datasetId = newDatasetId;
      counts.inserted = copied;
    } else {
      // Only once the whole file is staged: the dataset's row stays locked until COMMIT, and a browser upload can
      // take minutes (starting a run on the dataset, or another import into it, would wait that long).
      datasetId = await findOrCreateDataset(client, datasetName);
      const inserted = await client.query(
        `INSERT INTO samples (dataset_id, ${SAMPLE_COLUMNS.join(", ")})
         SELECT $1, ${SAMPLE_COLUMNS.join(", ")} FROM import_staging ORDER BY seq
         ON CONFLICT (dataset_id, content_hash) DO NOTHING`,
        [datasetId],
      );
      counts.inserted = inserted.rowCount ?? 0;
    }
    const jobId = await recordJob(client, { ...summaryFields(), datasetId, ok: true });
    await client.query("COMMIT");
    return { ok: true, jobId, ...summaryFields() };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    if (!(error instanceof FileFormatError || error instanceof StrictImportError)) throw error;
    failure = error.line ? `line ${error.line}: ${error.message}` : error.message;
    counts.inserted = 0;
    const existing = await client.query<{ id: number }>("SELECT id FROM datasets WHERE name = $1", [datasetName]);
    datasetId = existing.rows[0]?.id ?? null;
    const jobId = await recordJob(client, { ...summaryFields(), datasetId, ok: false });
    return { ok: false, jobId, ...summaryFields() };
  } finally {
    client.release();
  }

  function summaryFields() {
    return {
      dataset: datasetName,
      format,
      total: counts.total,
      inserted: counts.inserted,
      duplicates: failure ? 0 : counts.staged - counts.inserted,
      rejected: counts.rejected,
      furtherTurns: failure ? 0 : counts.furtherTurns,
      errors,
      failure,
      seconds: round((performance.now() - started) / 1000),
    };
  }

  async function recordJob(
    db: PoolClient,
    job: ReturnType<typeof summaryFields> & { datasetId: number | null; ok: boolean },
  ): Promise<number> {
    const result = await db.query<{ id: number }>(
      `INSERT INTO import_jobs (dataset_id, dataset_name, file_name, format, strict, status, total, inserted,
         duplicates, rejected, further_turns, errors, failure, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now()) RETURNING id`,
      [
        job.datasetId, job.dataset, options.fileName, job.format, options.strict ?? false,
        job.ok ? "succeeded" : "failed", job.total, job.inserted, job.duplicates, job.rejected, job.furtherTurns,
        JSON.stringify(job.errors), job.failure ?? null,
      ],
    );
    await recordAudit(
      {
        actor: options.actor ?? "system",
        action: "import",
        target: job.datasetId === null ? undefined : { type: "dataset", id: job.datasetId },
        summary: job.ok
          ? `Imported ${options.fileName} into ${job.dataset}: ${job.inserted} added, ${job.duplicates} duplicates, ${job.rejected} rejected` +
            (job.furtherTurns ? `, ${job.furtherTurns} of them conversations of more than one exchange` : "")
          : `Import of ${options.fileName} into ${job.dataset} failed: ${job.failure}`,
        after: {
          jobId: result.rows[0].id, format: job.format, total: job.total, inserted: job.inserted, duplicates: job.duplicates,
          rejected: job.rejected, furtherTurns: job.furtherTurns,
        },
      },
      db,
    );
    return result.rows[0].id;
  }
}

class StrictImportError extends Error {
  line?: number;
}

/**
 * Creates the dataset when no dataset has this name, returning its id (visible to others at COMMIT); null when it
 * exists. (When another import creates the same name meanwhile, this waits for it, then finds it existing.)
 */
async function createDatasetIfNew(client: PoolClient, name: string): Promise<number | null> {
  if (!name) throw new FileFormatError("the dataset name is empty");
  const created = await client.query<{ id: number }>(
    `INSERT INTO datasets (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id`,
    [name],
  );
  return created.rows[0]?.id ?? null;
}

async function findOrCreateDataset(client: PoolClient, name: string): Promise<number> {
  // DO UPDATE (not DO NOTHING) so that, when another import is creating the same dataset, this one waits for it
  // and then gets its id, instead of seeing no row.
  const result = await client.query<{ id: number }>(
    `INSERT INTO datasets (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [name],
  );
  return result.rows[0].id;
}

async function readAnswers(input: ByteSource, reject: (error: RecordError) => void) {
  const { answers, errors } = await readGroundTruth(input);
  for (const error of errors) reject({ ...error, message: `possible_answer file: ${error.message}` });
  return answers;
}

/** A sample's COPY row: `first` (its dataset id, or its place in the file for the staging table), then SAMPLE_COLUMNS. */
export function sampleRow(first: number, sample: SampleInput, toolsJson: string, hash: string): CopyValue[] {
  return [
    first,
    sample.sourceId,
    sample.query,
    toolsJson,
    sample.answer?.kind ?? null,
    sample.answer ? (sample.answer.kind === "calls" ? sample.answer.calls : JSON.stringify(sample.answer.text)) : null,
    sample.cot,
    hash,
    pgTextArray(toolNames(sample.tools)),
    sample.followUp?.length ? JSON.stringify(sample.followUp) : null,
    assistantTurns(sample),
    sample.errorToolResponse ? "t" : "f",
    sample.sourceRecord ?? null,
  ];
}

// PostgreSQL stores neither NUL characters nor unpaired UTF-16 surrogates; catch them per record, with the field,
// instead of letting one such record fail the whole COPY.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// JSON.stringify writes NUL and lone surrogates as escapes: when the sample's JSON has none, walking it is skipped.
const MAYBE_UNSTORABLE = /\\u(0000|d[89a-f])/i;

export function findUnstorableText(sample: SampleInput): { field: string; message: string } | null {
  const visit = (value: unknown, path: string): { field: string; message: string } | null => {
    if (typeof value === "string") {
      if (value.includes("\u0000")) return { field: path, message: "contains a NUL character (\\u0000), which cannot be stored" };
      if (LONE_SURROGATE.test(value)) return { field: path, message: "contains an unpaired UTF-16 surrogate, which is not valid Unicode" };
      return null;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const found = visit(value[i], `${path}[${i}]`);
        if (found) return found;
      }
      return null;
    }
    if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const found = visit(key, `${path}.${key}`) ?? visit(child, `${path}.${key}`);
        if (found) return found;
      }
    }
    return null;
  };
  return (
    visit(sample.sourceId, "id") ??
    visit(sample.query, "query") ??
    visit(sample.tools, "tools") ??
    visit(sample.answer, "answer") ??
    visit(sample.cot, "cot")
  );
}

async function* countBytes(input: ByteSource, bytes: { read: number }): AsyncGenerator<Buffer | string> {
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    bytes.read += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    yield chunk;
  }
}

function describeKeys(value: unknown): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return `a ${Array.isArray(value) ? "list" : typeof value}`;
  const keys = Object.keys(value).slice(0, 6);
  return keys.length ? `fields ${keys.join(", ")}` : "an empty object";
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
