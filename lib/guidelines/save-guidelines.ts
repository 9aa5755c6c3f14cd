// An admin saves a dataset's guidelines: each save is a new version (1, 2, 3…), the old ones are kept, and the audit
// log says who changed them. The dataset row is locked for the save, so two admins saving at once get two versions.
import "server-only";
import { recordAudit } from "@/lib/audit/log";
import { inTransaction } from "@/lib/db/transaction";
import { InvalidRequestError, NotFoundError } from "@/lib/errors";
import { GuidelinesBody } from "@/lib/zod/schemas";
import type { Guidelines } from "./get-guidelines";

/**
 * Saves `body` as the dataset's next guidelines version. The same text as the latest version is not a change: the
 * latest is answered and nothing is written.
 */
export async function saveGuidelines(datasetName: string, body: string, author: string): Promise<Guidelines & { saved: boolean }> {
  const checked = GuidelinesBody.safeParse({ body });
  if (!checked.success) throw new InvalidRequestError(checked.error.issues[0].message);
  return inTransaction(async (client) => {
    const dataset = await client.query<{ id: number; name: string }>(`SELECT id, name FROM datasets WHERE name = $1 FOR UPDATE`, [datasetName]);
    if (!dataset.rows[0]) throw new NotFoundError(`dataset "${datasetName}" does not exist`);
    const { id: datasetId, name } = dataset.rows[0];
    const latest = await client.query<Guidelines>(
      `SELECT dataset_id AS "datasetId", version, body, author, created_at AS "createdAt" FROM dataset_guidelines WHERE dataset_id = $1 ORDER BY version DESC LIMIT 1`,
      [datasetId],
    );
    if (latest.rows[0]?.body === body) return { ...latest.rows[0], saved: false };
    const version = (latest.rows[0]?.version ?? 0) + 1;
    const { rows } = await client.query<Guidelines>(
      `INSERT INTO dataset_guidelines (dataset_id, version, body, author) VALUES ($1, $2, $3, $4)
       RETURNING dataset_id AS "datasetId", version, body, author, created_at AS "createdAt"`,
      [datasetId, version, body, author],
    );
    await recordAudit(
      {
        actor: author,
        action: "guidelines.save",
        target: { type: "dataset", id: datasetId },
        summary: `Saved guidelines version ${version} of ${name} (${body.length.toLocaleString("en-US")} characters)`,
        before: latest.rows[0] ? { version: latest.rows[0].version } : undefined,
        after: { version },
      },
      client,
    );
    return { ...rows[0], saved: true };
  });
}
