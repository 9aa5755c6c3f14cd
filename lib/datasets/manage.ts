// Renaming datasets, setting how many reviewers decide each sample, and deleting them (admins). A delete removes the dataset's samples with everything hanging off them
// (verdicts, revisions, decisions, tasks, claims, skips), its runs and its import and export jobs, in one transaction
// (the foreign keys cascade), and the audit log says what went. Never while a run on it is active: its workers
// would write into a dataset that no longer exists.
import "server-only";
import type pg from "pg";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/log";
import { inTransaction } from "@/lib/db/transaction";
import { ConflictError, InvalidRequestError, NotFoundError } from "@/lib/errors";

/** A dataset's name, as import takes it (lib/samples/import.ts). */
export const DatasetName = z
  .string({ error: "the name must be text" })
  .trim()
  .min(1, "the name is empty")
  .max(100, "the name is longer than 100 characters");

export async function renameDataset(name: string, newName: string, actor: string): Promise<{ id: number; name: string }> {
  const to = DatasetName.parse(newName);
  return inTransaction(async (client) => {
    const dataset = await lockDataset(client, name);
    if (to === dataset.name) return dataset;
    const taken = await client.query(`SELECT 1 FROM datasets WHERE name = $1`, [to]);
    if (taken.rowCount) throw new ConflictError(`a dataset named "${to}" already exists`);
    await client.query(`UPDATE datasets SET name = $2 WHERE id = $1`, [dataset.id, to]);
    await recordAudit(
      { actor, action: "dataset.rename", target: { type: "dataset", id: dataset.id }, summary: `Renamed ${dataset.name} to ${to}`, before: { name: dataset.name }, after: { name: to } },
      client,
    );
    return { id: dataset.id, name: to };
  });
}

/** How many reviewers decide each sample of a dataset: 1 (the first decision is final) up to 5. */
export const ReviewsPerSample = z
  .number({ error: "reviewsPerSample must be a whole number from 1 to 5" })
  .int("reviewsPerSample must be a whole number from 1 to 5")
  .min(1, "reviewsPerSample must be a whole number from 1 to 5")
  .max(5, "reviewsPerSample must be a whole number from 1 to 5");

/**
 * Sets k, the reviews each sample of the dataset needs (lib/review/overlap.ts). Votes already cast keep counting: a
 * sample whose votes reach the new k waits for adjudication, one below it goes back to the queue for more.
 */
export async function setReviewsPerSample(name: string, k: number, actor: string): Promise<{ id: number; name: string; reviewsPerSample: number }> {
  const to = ReviewsPerSample.parse(k);
  return inTransaction(async (client) => {
    const dataset = await lockDataset(client, name);
    const { rows } = await client.query<{ before: number }>(`SELECT reviews_per_sample AS before FROM datasets WHERE id = $1`, [dataset.id]);
    if (rows[0].before !== to) {
      await client.query(`UPDATE datasets SET reviews_per_sample = $2 WHERE id = $1`, [dataset.id, to]);
      await recordAudit(
        {
          actor,
          action: "dataset.reviews",
          target: { type: "dataset", id: dataset.id },
          summary: `${dataset.name}: ${to} ${to === 1 ? "review" : "reviews"} per sample (was ${rows[0].before})`,
          before: { reviewsPerSample: rows[0].before },
          after: { reviewsPerSample: to },
        },
        client,
      );
    }
    return { ...dataset, reviewsPerSample: to };
  });
}

export interface DeletedDataset {
  id: number;
  name: string;
  samples: number;
  runs: number;
}

/** Deletes a dataset and all it holds; `confirm` must repeat its name (the page asks for it, so does the API). */
export async function deleteDataset(name: string, confirm: string, actor: string): Promise<DeletedDataset> {
  if (confirm !== name) throw new InvalidRequestError(`type the dataset's name, "${name}", to delete it`);
  return inTransaction(async (client) => {
    const dataset = await lockDataset(client, name);
    const active = await client.query<{ id: number }>(`SELECT id FROM pipeline_runs WHERE dataset_id = $1 AND status IN ('running', 'paused') ORDER BY id`, [dataset.id]);
    if (active.rowCount) {
      const ids = active.rows.map((r) => `#${r.id}`).join(", ");
      throw new ConflictError(`run ${ids} on ${dataset.name} is still active: cancel it (Runs page) before deleting the dataset`);
    }
    const { rows } = await client.query<{ samples: number; runs: number }>(
      `SELECT (SELECT count(*)::int FROM samples WHERE dataset_id = $1) AS samples, (SELECT count(*)::int FROM pipeline_runs WHERE dataset_id = $1) AS runs`,
      [dataset.id],
    );
    const deleted = { ...dataset, ...rows[0] };
    await client.query(`DELETE FROM datasets WHERE id = $1`, [dataset.id]);
    await recordAudit(
      {
        actor,
        action: "dataset.delete",
        target: { type: "dataset", id: dataset.id },
        summary: `Deleted ${dataset.name}: ${deleted.samples} samples, ${deleted.runs} runs, and their verdicts, revisions, decisions and jobs`,
        before: { name: dataset.name, samples: deleted.samples, runs: deleted.runs },
      },
      client,
    );
    return deleted;
  });
}

/** The dataset, locked for this transaction (a concurrent import or run start waits), or NotFoundError. */
async function lockDataset(client: pg.PoolClient, name: string): Promise<{ id: number; name: string }> {
  const { rows } = await client.query<{ id: number; name: string }>(`SELECT id, name FROM datasets WHERE name = $1 FOR UPDATE`, [name]);
  if (!rows[0]) throw new NotFoundError(`dataset "${name}" does not exist`);
  return rows[0];
}
