// What the Runs page shows of one run (GET /api/runs/:id), polled every second while the run runs, by every open
// page, twice when the run is both selected and in the list. Its aggregates read the whole run: at 60k samples the
// per-stage usage alone reads ~180k verdicts' entries of their covering index (~45 ms of PostgreSQL; 150 ms from the
// table before), so polled as it is asked it could take more of the machine than the run it watches. So a running
// run's detail is worked out again only once it is older than ten times what it cost (at least a second): whoever
// polls, the page's share of the database stays under a tenth of a core, and a small run's detail is as fresh as the
// poll. The status is read on every poll: a run that is not running (paused, cancelled, finished: the page stops
// polling) is worked out anew each time it is asked.
import "server-only";
import { getRunBatchView } from "@/lib/batch/store";
import { getPool } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";
import { runAttention } from "./list-runs";
import { getRunProgress } from "./queries";
import { getRunUsageNow } from "./usage";

export type RunDetail = Awaited<ReturnType<typeof readRunDetail>>;

async function readRunDetail(runId: number) {
  const [run, attention, usage, batch] = await Promise.all([getRunProgress(runId), runAttention(runId), getRunUsageNow(runId), getRunBatchView(runId)]);
  if (!run) throw new NotFoundError(`run ${runId} does not exist`);
  return { run, attention, usage, batch };
}

/** How long a detail worked out in `costMs` is shown before it is worked out again (its status unchanged). */
export function detailLifetimeMs(costMs: number): number {
  return Math.max(1000, 10 * costMs);
}

interface Kept {
  readAt: number;
  /** What the read cost; null while it is under way (then every poll waits for it). */
  costMs: number | null;
  detail: Promise<RunDetail>;
}

/** Per running run: its latest detail, shared by every poll (one read at a time per run, however many pages ask). */
const kept = new Map<number, Kept>();
/** Runs whose detail is kept: the oldest is let go beyond this many. */
const MAX_KEPT = 100;

export async function getRunDetail(runId: number, now: () => number = () => performance.now()): Promise<RunDetail> {
  const { rows } = await (await getPool()).query<{ status: string }>("SELECT status FROM pipeline_runs WHERE id = $1", [runId]);
  const status = rows[0]?.status;
  if (!status) throw new NotFoundError(`run ${runId} does not exist`);
  if (status !== "running") {
    kept.delete(runId);
    return readRunDetail(runId);
  }
  const held = kept.get(runId);
  if (held && (held.costMs === null || now() - held.readAt < detailLifetimeMs(held.costMs))) return held.detail;
  const readAt = now();
  const entry: Kept = { readAt, costMs: null, detail: readRunDetail(runId) };
  kept.delete(runId);
  kept.set(runId, entry);
  if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  entry.detail.then(
    () => (entry.costMs = now() - readAt),
    () => kept.get(runId) === entry && kept.delete(runId),
  );
  return entry.detail;
}
