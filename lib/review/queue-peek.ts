// What the review page shows next in queue mode, looked up while the current sample is on screen WITHOUT claiming
// it: a reviewer holds one claim (the sample they look at), so at the end of the queue nobody sits on a sample they
// have not opened. It mirrors claimNext's order (lib/review/queue.ts: the reviewer's own claim first, then the
// lowest free id); the claim itself is made when the reviewer moves on, and when someone else took the peeked
// sample meanwhile the page simply shows the one claimNext gave instead.
import { getPool } from "@/lib/db/client";
import { FREE_FOR_VOTE, HELD_VOTE_CLAIM } from "./overlap";
import { QUEUE_SAMPLES } from "./queue";
import { NOT_SKIPPED, type ClaimOptions } from "./queue-sql";

function peekSql(which: string): string {
  return `
(SELECT id FROM samples
 WHERE status IN ('passed', 'flagged') AND ${which} AND claimed_by = $1 AND claimed_until > now()
   AND ($2::int IS NULL OR dataset_id = $2) AND NOT (id = ANY($3::int[]))
 ORDER BY id LIMIT 1)
UNION ALL
(SELECT id FROM samples
 WHERE status IN ('passed', 'flagged') AND ${which} AND (claimed_by IS NULL OR claimed_until <= now())
   AND ($2::int IS NULL OR dataset_id = $2) AND NOT (id = ANY($3::int[])) AND ${NOT_SKIPPED}
 ORDER BY id LIMIT 1)`;
}

const PEEK_NEXT = {
  review: `(${HELD_VOTE_CLAIM}) UNION ALL ${peekSql(QUEUE_SAMPLES.review)} UNION ALL (${FREE_FOR_VOTE}) LIMIT 1`,
  adjudicate: `${peekSql(QUEUE_SAMPLES.adjudicate)} LIMIT 1`,
};

/** The sample claimNext would hand `user` now (null: queue empty), without claiming it. */
export async function peekNext(user: string, options: ClaimOptions = {}): Promise<number | null> {
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number }>(PEEK_NEXT[options.mode ?? "review"], [user, options.datasetId ?? null, options.exclude ?? []]);
  return rows[0]?.id ?? null;
}
