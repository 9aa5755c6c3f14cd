import { once } from "node:events";
import { getPool } from "@/lib/db/client";
import { EXPORT_FORMATS, type ExportFormat, type ExportSample, type ExportVerdict } from "@/lib/formats";
import { parseToolsJson } from "@/lib/formats/json-line";
import { describeRuleFailures, ruleFailures } from "@/lib/pipeline/rule-check";
import { REFINED_STATUSES, type Answer, type FollowUpMessage, type SampleStatus } from "./types";
import { NotFoundError } from "@/lib/errors";

export type ExportFormatId = keyof typeof EXPORT_FORMATS;

export interface ExportOptions {
  datasetName: string;
  format: ExportFormatId;
  /** Which statuses to write; the refined set when omitted. */
  statuses?: SampleStatus[];
  /** Write the refined set's conversations whose tool results are marked deliberately wrong too (see withholdReason). */
  withErrorToolResponses?: boolean;
  out: NodeJS.WritableStream;
  /** Samples done so far (written or withheld), of `total`. */
  onProgress?: (done: number, total: number) => void;
}

/** A sample the export left out, and why ("fails stage 4 (rule:…): … — edit it to fix"). */
export interface WithheldSample {
  sampleId: number;
  reason: string;
}

/** Withheld samples listed one by one in a summary; beyond this only their number is given. */
export const LISTED_WITHHELD = 20;

/** What an export wrote, and what it left out: never less than asked for without saying so. */
export interface ExportTally {
  written: number;
  bytes: number;
  /** Samples not written (see withholdReason): of the refined set, a rule fails them; or the format cannot hold them. */
  withheld: number;
  /** The first LISTED_WITHHELD of them, in id order. */
  withheldSamples: WithheldSample[];
}

export interface ExportSummary extends ExportTally {
  jobId: number;
  dataset: string;
  format: ExportFormatId;
  statuses: SampleStatus[];
  seconds: number;
}

export class UnknownDatasetError extends NotFoundError {
  constructor(name: string) {
    super(`dataset "${name}" does not exist`);
  }
}

const BATCH = 500;
const YIELD_EVERY = 100;

interface SampleRow {
  id: number;
  dataset_id: number;
  source_id: string | null;
  query: string;
  /** The stored JSON text: import and the pipeline write it compact, so it is what JSON.stringify would give. */
  tools_json: string;
  answer_kind: Answer["kind"] | null;
  answer: unknown;
  cot: string | null;
  follow_up: FollowUpMessage[] | null;
  error_tool_response: boolean;
  source_record: Record<string, unknown> | null;
  status: SampleStatus;
  version: number;
}

const SAMPLE_COLUMNS =
  "s.id, s.dataset_id, s.source_id, s.query, s.tools::text AS tools_json, s.answer_kind, s.answer, s.cot, s.follow_up, s.error_tool_response, s.source_record, s.status, s.version";

/** How many samples an export with these options would write (for progress bars and the UI). */
export async function countExport(datasetName: string, statuses: SampleStatus[] = [...REFINED_STATUSES]): Promise<number> {
  const pool = await getPool();
  const result = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM samples s JOIN datasets d ON d.id = s.dataset_id
     WHERE d.name = $1 AND s.status = ANY($2::"SampleStatus"[])`,
    [datasetName, statuses],
  );
  return result.rows[0].n;
}

/**
 * Streams a dataset's samples as JSON Lines in sample-id order. Memory stays flat: samples are read in keyset
 * batches and written with backpressure. Every export is recorded as a job with what it wrote.
 */
export async function exportSamples(options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const statuses = options.statuses?.length ? [...new Set(options.statuses)] : [...REFINED_STATUSES];
  const pool = await getPool();
  const dataset = await pool.query<{ id: number }>("SELECT id FROM datasets WHERE name = $1", [options.datasetName]);
  if (!dataset.rows[0]) throw new UnknownDatasetError(options.datasetName);
  const datasetId = dataset.rows[0].id;
  const job = await pool.query<{ id: number }>(
    `INSERT INTO export_jobs (dataset_id, format, statuses) VALUES ($1, $2, $3::"SampleStatus"[]) RETURNING id`,
    [datasetId, options.format, statuses],
  );
  const jobId = job.rows[0].id;
  const total = options.onProgress ? await countExport(options.datasetName, statuses) : 0;

  const tally = newTally();
  try {
    await writeBatches(datasetBatches(datasetId, statuses), { ...options, total }, () => options.datasetName, tally);
    await pool.query(
      `UPDATE export_jobs SET status = 'succeeded', written = $2, withheld = $3, withheld_samples = $4, finished_at = now() WHERE id = $1`,
      [jobId, tally.written, tally.withheld, JSON.stringify(tally.withheldSamples)],
    );
    const seconds = Math.round(performance.now() - started) / 1000;
    return { jobId, dataset: options.datasetName, format: options.format, statuses, ...tally, seconds };
  } catch (error) {
    await pool.query(
      `UPDATE export_jobs SET status = 'failed', written = $2, failure = $3, finished_at = now() WHERE id = $1`,
      [jobId, tally.written, (error as Error).message],
    );
    throw error;
  }
}

export interface SampleSetExportOptions {
  /** The samples to write, in any order and of any datasets (a selection or a filter of the samples table). */
  sampleIds: readonly number[];
  format: ExportFormatId;
  withErrorToolResponses?: boolean;
  out: NodeJS.WritableStream;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Streams the given samples as JSON Lines in id order, like exportSamples (each line names its own dataset). Not
 * recorded as an export job: a job belongs to one dataset, and a set may span several.
 */
export async function exportSampleSet(options: SampleSetExportOptions): Promise<ExportTally & { format: ExportFormatId; seconds: number }> {
  const started = performance.now();
  const ids = [...new Set(options.sampleIds)].sort((a, b) => a - b);
  const pool = await getPool();
  const names = new Map((await pool.query<{ id: number; name: string }>("SELECT id, name FROM datasets")).rows.map((d) => [d.id, d.name]));
  const tally = newTally();
  await writeBatches(sampleSetBatches(ids), { ...options, total: ids.length }, (row) => names.get(row.dataset_id) ?? "", tally);
  return { format: options.format, ...tally, seconds: Math.round(performance.now() - started) / 1000 };
}

/** A dataset's samples of these statuses, in id order, a batch at a time (after the last id of the previous batch). */
function datasetBatches(datasetId: number, statuses: SampleStatus[]): (afterId: number) => Promise<SampleRow[]> {
  return async (afterId) => {
    const pool = await getPool();
    // The page's ids first, from the index alone, then its rows: a plan that sorts the rest of the dataset to take
    // the first batch would otherwise read (and decompress) every remaining sample's tools for each batch.
    const { rows } = await pool.query<SampleRow>(
      `SELECT ${SAMPLE_COLUMNS} FROM samples s JOIN (
         SELECT id FROM samples WHERE dataset_id = $1 AND status = ANY($2::"SampleStatus"[]) AND id > $3 ORDER BY id LIMIT ${BATCH}
       ) page ON page.id = s.id ORDER BY s.id`,
      [datasetId, statuses, afterId],
    );
    return rows;
  };
}

/** The given samples (ids sorted), a batch at a time: consecutive slices of the ids. */
function sampleSetBatches(ids: readonly number[]): () => Promise<SampleRow[]> {
  let from = 0;
  const fetchNext = async (): Promise<SampleRow[]> => {
    const slice = ids.slice(from, from + BATCH);
    from += BATCH;
    if (slice.length === 0) return [];
    const pool = await getPool();
    const { rows } = await pool.query<SampleRow>(
      `SELECT ${SAMPLE_COLUMNS} FROM samples s WHERE s.id = ANY($1::int[]) ORDER BY s.id`,
      [slice],
    );
    // A sample deleted meanwhile leaves its batch short; an empty batch must not end the export early.
    return rows.length || from >= ids.length ? rows : fetchNext();
  };
  return fetchNext;
}

/** What exporting would write and withhold, found without writing anything: the export dialogs show it first. */
export type ExportCheck = Omit<ExportTally, "bytes">;

/** checkExport's target: a dataset's samples of some statuses (the refined set when omitted), or given samples. */
export type ExportCheckTarget = { datasetName: string; statuses?: SampleStatus[] } | { sampleIds: readonly number[] };

export async function checkExport(target: ExportCheckTarget, format: ExportFormatId, withErrorToolResponses = false): Promise<ExportCheck> {
  const tally = newTally();
  const options = { format, withErrorToolResponses, out: null, total: 0 };
  if ("sampleIds" in target) {
    await writeBatches(sampleSetBatches([...new Set(target.sampleIds)].sort((a, b) => a - b)), options, () => "", tally);
  } else {
    const pool = await getPool();
    const dataset = await pool.query<{ id: number }>("SELECT id FROM datasets WHERE name = $1", [target.datasetName]);
    if (!dataset.rows[0]) throw new UnknownDatasetError(target.datasetName);
    const statuses = target.statuses?.length ? [...new Set(target.statuses)] : [...REFINED_STATUSES];
    await writeBatches(datasetBatches(dataset.rows[0].id, statuses), options, () => target.datasetName, tally);
  }
  const { bytes: _, ...check } = tally;
  return check;
}

/** The warning an export that withheld samples gives (the CLI on stderr), naming the first few; null when none. */
export function withheldWarning({ withheld, withheldSamples }: Pick<ExportTally, "withheld" | "withheldSamples">): string | null {
  if (withheld === 0) return null;
  const shown = withheldSamples.slice(0, 5).map((w) => `#${w.sampleId} ${w.reason}`);
  const more = withheld > shown.length ? `; and ${withheld - shown.length} more (see "withheldSamples" in the summary)` : "";
  const one = withheld === 1;
  return `warning: ${withheld} sample${one ? " was" : "s were"} left out of the export: ${shown.join("; ")}${more}`;
}

function newTally(): ExportTally {
  return { written: 0, bytes: 0, withheld: 0, withheldSamples: [] };
}

/**
 * Why the export must not write this sample, or null. The audit format writes everything (it is the record,
 * verdicts included). A format that cannot hold the sample says why (an xLAM line holds one exchange, not a
 * conversation): it is withheld whatever its status, never cut down to what fits. The rules are checked again on
 * every sample of the refined set, in every training format: a rule failure that reached `passed` or `approved`
 * through a bug elsewhere is left out rather than trained on. A conversation whose source marks its tool results
 * deliberately wrong (`error_tool_response`) is kept in the studio but left out of the refined set's exports unless
 * asked for (`withErrorToolResponses`). A status outside the refined set is exported as asked, for what it is.
 */
async function withholdReason(sample: ExportSample, format: ExportFormatId, withErrorToolResponses = false): Promise<string | null> {
  if (format === "audit") return null;
  const exportFormat: ExportFormat = EXPORT_FORMATS[format];
  const unwritable = exportFormat.cannotWrite?.(sample) ?? null;
  if (unwritable !== null || !REFINED_STATUSES.includes(sample.status)) return unwritable;
  if (sample.errorToolResponse && !withErrorToolResponses) {
    return "its tool results are marked deliberately wrong (error_tool_response): out of the refined set unless asked for";
  }
  if (sample.answer === null) return "has no answer";
  const failures = await ruleFailures(sample);
  return failures.length ? describeRuleFailures(failures) : null;
}

/**
 * Writes batches until an empty one, serializing each while the next is read, with backpressure, counting into
 * `tally` as it goes (so a caller knows how far a failed export got). `fetchAfter` gets the last id written (0 first).
 * A sample withholdReason refuses is counted and listed in the tally instead of written. Without `out`, nothing is
 * serialized: the tally says what an export would write and withhold.
 */
async function writeBatches(
  fetchAfter: (afterId: number) => Promise<SampleRow[]>,
  options: {
    format: ExportFormatId;
    withErrorToolResponses?: boolean;
    out: NodeJS.WritableStream | null;
    onProgress?: (done: number, total: number) => void;
    total: number;
  },
  datasetNameOf: (row: SampleRow) => string,
  tally: ExportTally,
): Promise<void> {
  const serialize = EXPORT_FORMATS[options.format].serialize;
  let next = fetchAfter(0);
  let draining: Promise<unknown> | null = null;
  for (;;) {
    const batch = await next;
    if (batch.length === 0) break;
    // The next batch is read while this one is serialized and written.
    next = fetchAfter(batch[batch.length - 1].id);
    next.catch(() => undefined);
    const verdicts = options.format === "audit" && options.out ? await verdictsOf(batch.map((r) => r.id)) : undefined;
    // Each line encoded on its own: encoding one string of the whole batch costs several times more.
    const lines: Buffer[] = [];
    for (const [i, row] of batch.entries()) {
      // A turn of the event loop now and then lets the next batch's rows arrive meanwhile: otherwise the database
      // waits on a full socket until this batch is done, and reading and writing take turns instead of overlapping.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
      const sample = toExportSample(row, datasetNameOf(row), verdicts?.get(row.id) ?? []);
      const withheld = await withholdReason(sample, options.format, options.withErrorToolResponses);
      if (withheld !== null) {
        if (tally.withheld++ < LISTED_WITHHELD) tally.withheldSamples.push({ sampleId: row.id, reason: withheld });
        continue;
      }
      tally.written++;
      if (options.out) lines.push(Buffer.from(serialize(sample) + "\n"));
    }
    if (options.out) {
      const chunk = Buffer.concat(lines);
      tally.bytes += chunk.length;
      await draining;
      // Written while the next batch is worked on; awaited before the next write, so one chunk at most is in flight.
      draining = options.out.write(chunk) ? null : once(options.out as NodeJS.EventEmitter, "drain");
      draining?.catch(() => undefined);
    }
    options.onProgress?.(tally.written + tally.withheld, options.total);
  }
  await draining;
}

async function verdictsOf(sampleIds: number[]): Promise<Map<number, ExportVerdict[]>> {
  const pool = await getPool();
  const result = await pool.query<{
    sample_id: number;
    stage: number;
    outcome: ExportVerdict["outcome"];
    reason: string;
    evidence: unknown;
    decided_by: string;
    member_of: string | null;
    attempt: number;
    prompt_version: string | null;
    created_at: Date;
  }>(
    `SELECT sample_id, stage, outcome, reason, evidence, decided_by, member_of, attempt, prompt_version, created_at
     FROM stage_verdicts WHERE sample_id = ANY($1::int[]) ORDER BY sample_id, id`,
    [sampleIds],
  );
  const bySample = new Map<number, ExportVerdict[]>();
  for (const v of result.rows) {
    const list = bySample.get(v.sample_id) ?? [];
    list.push({
      stage: v.stage,
      outcome: v.outcome,
      reason: v.reason,
      evidence: v.evidence,
      decidedBy: v.decided_by,
      ...(v.member_of ? { memberOf: v.member_of } : {}),
      attempt: v.attempt,
      promptVersion: v.prompt_version,
      createdAt: v.created_at.toISOString(),
    });
    bySample.set(v.sample_id, list);
  }
  return bySample;
}

function toExportSample(row: SampleRow, datasetName: string, verdicts: ExportVerdict[]): ExportSample {
  let tools: ExportSample["tools"] | undefined;
  return {
    id: row.id,
    datasetId: row.dataset_id,
    datasetName,
    sourceId: row.source_id,
    query: row.query,
    // Parsed when asked for (the rule check, OpenAI's JSON Schema); the formats splice toolsJson into their lines.
    get tools() {
      return (tools ??= parseToolsJson(row.tools_json));
    },
    toolsJson: row.tools_json,
    answer: toAnswer(row.answer_kind, row.answer),
    cot: row.cot,
    ...(row.follow_up ? { followUp: row.follow_up } : {}),
    ...(row.error_tool_response ? { errorToolResponse: true } : {}),
    ...(row.source_record ? { sourceRecord: row.source_record } : {}),
    status: row.status,
    version: row.version,
    verdicts,
  };
}

/** The inverse of how import stores an answer: calls as a JSON array, text as a JSON string. */
export function toAnswer(kind: Answer["kind"] | null, stored: unknown): Answer | null {
  if (kind === "calls") return { kind, calls: stored as Extract<Answer, { kind: "calls" }>["calls"] };
  if (kind === "text") return { kind, text: stored as string };
  return null;
}
