// What the dataset-wide stages of a run need (Stage.prepare): each reads every sample of the dataset once per run and
// worker process, in keyset batches, so memory holds a batch plus what the stage keeps (e.g. one hash per sample).
import "server-only";
import { getPool } from "@/lib/db/client";
import { toAnswer } from "@/lib/samples/export";
import type { StageId } from "./stage-registry";
import type { AnyStage } from "./stages";
import type { DatasetSample } from "./types";

const BATCH = 2_000;

/**
 * The dataset's samples in id order, as stored. Discarded ones are left out: they are not training data, so a
 * sample that repeats one of them is not a duplicate of anything kept.
 */
export async function* datasetSamples(datasetId: number): AsyncGenerator<DatasetSample> {
  const pool = await getPool();
  for (let after = 0; ; ) {
    const { rows } = await pool.query(
      `SELECT id, query, tools, answer_kind, answer FROM samples
       WHERE dataset_id = $1 AND id > $2 AND status <> 'discarded' ORDER BY id LIMIT $3`,
      [datasetId, after, BATCH],
    );
    for (const row of rows) yield { id: row.id, query: row.query, tools: row.tools, answer: toAnswer(row.answer_kind, row.answer) };
    if (rows.length < BATCH) return;
    after = rows.at(-1).id;
  }
}

/** Runs `prepare` of each of `stages` that has one, over the dataset: what refineSample's `prepared` holds. */
export async function prepareStages(stages: readonly AnyStage[], datasetId: number): Promise<Map<StageId, unknown>> {
  const prepared = new Map<StageId, unknown>();
  for (const stage of stages) if (stage.prepare) prepared.set(stage.id, await stage.prepare(datasetSamples(datasetId)));
  return prepared;
}
