// Reading a dataset's guidelines: the version in force (the review page shows it), any earlier one, and the list of
// versions (the Datasets page's editor).
import "server-only";
import { getPool } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";

export interface Guidelines {
  datasetId: number;
  version: number;
  /** Markdown, shown through components/ui/Markdown.tsx (text with basic formatting, never HTML). */
  body: string;
  /** human:<email> */
  author: string;
  createdAt: Date;
}

export interface GuidelinesVersion {
  version: number;
  author: string;
  createdAt: Date;
}

const COLUMNS = `dataset_id AS "datasetId", version, body, author, created_at AS "createdAt"`;

/** The dataset's latest guidelines, or null when it has none. */
export async function latestGuidelines(datasetId: number): Promise<Guidelines | null> {
  const pool = await getPool();
  const { rows } = await pool.query<Guidelines>(`SELECT ${COLUMNS} FROM dataset_guidelines WHERE dataset_id = $1 ORDER BY version DESC LIMIT 1`, [datasetId]);
  return rows[0] ?? null;
}

/** The latest guidelines of the sample's dataset (the review page reads them beside the sample), or null. */
export async function sampleGuidelines(sampleId: number): Promise<Guidelines | null> {
  const pool = await getPool();
  const { rows } = await pool.query<Guidelines>(
    `SELECT ${COLUMNS} FROM dataset_guidelines WHERE dataset_id = (SELECT dataset_id FROM samples WHERE id = $1) ORDER BY version DESC LIMIT 1`,
    [sampleId],
  );
  return rows[0] ?? null;
}

/**
 * A dataset's guidelines by its name: the latest (or `version`), with every version's number, author and date,
 * newest first. NotFoundError for an unknown dataset or version.
 */
export async function getGuidelines(datasetName: string, version?: number): Promise<{ current: Guidelines | null; versions: GuidelinesVersion[] }> {
  const pool = await getPool();
  const dataset = await pool.query<{ id: number }>(`SELECT id FROM datasets WHERE name = $1`, [datasetName]);
  if (!dataset.rows[0]) throw new NotFoundError(`dataset "${datasetName}" does not exist`);
  const datasetId = dataset.rows[0].id;
  const [versions, current] = await Promise.all([
    pool.query<GuidelinesVersion>(`SELECT version, author, created_at AS "createdAt" FROM dataset_guidelines WHERE dataset_id = $1 ORDER BY version DESC`, [datasetId]),
    version === undefined
      ? latestGuidelines(datasetId)
      : pool.query<Guidelines>(`SELECT ${COLUMNS} FROM dataset_guidelines WHERE dataset_id = $1 AND version = $2`, [datasetId, version]).then((r) => r.rows[0] ?? null),
  ]);
  if (version !== undefined && !current) throw new NotFoundError(`${datasetName} has no guidelines version ${version}`);
  return { current, versions: versions.rows };
}
