// Shared by the tests that run pipeline workers as real processes and break things around them.
import { spawn, type ChildProcess } from "node:child_process";
import { expect } from "vitest";
import { getPool } from "@/lib/db/client";
import { createServer, type AddressInfo } from "node:net";

/** A worker process (`npm run worker`) against the fake LLM at `llmUrl`, with this process's database. */
export function startWorker(llmUrl: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/jobs/worker-main.ts"], {
    env: {
      ...process.env,
      STUDIO_LLM_BASE_URL: llmUrl,
      STUDIO_LLM_MODEL: "fake-judge",
      STUDIO_JOB_MAINTENANCE_SECONDS: "1",
      // Pipeline chunks only: review tasks queued by other test files on the shared database are theirs.
      STUDIO_WORKER_TASKS: "0",
      ...env,
    },
    stdio: ["ignore", "ignore", process.env.DEBUG_WORKER ? "inherit" : "ignore"],
  });
}

/** Polls `read` until `done`; a read that fails (the database is restarting) is tried again. */
export async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch((error: Error) => error);
    if (!(value instanceof Error) && done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${value instanceof Error ? value.message : JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every sample is either untouched (not finished in the run) or completely written (finished, verdicts, status). */
export async function assertNoHalfWrittenSample(runId: number) {
  const pool = await getPool();
  const { rows } = await pool.query(
    `SELECT m.sample_id, m.finished_at IS NOT NULL AS finished, s.status, s.version,
       (SELECT count(*)::int FROM stage_verdicts v WHERE v.sample_id = s.id AND v.run_id = $1) AS verdicts,
       (SELECT count(*)::int FROM sample_revisions r WHERE r.sample_id = s.id AND r.run_id = $1) AS revisions
     FROM pipeline_run_samples m JOIN samples s ON s.id = m.sample_id WHERE m.run_id = $1`,
    [runId],
  );
  for (const r of rows) {
    if (r.finished) {
      // One write: the version moved once per revision (the generated CoT, and each regeneration).
      expect(r, `sample ${r.sample_id}`).toMatchObject({ status: "passed", version: 1 + r.revisions });
      expect(r.verdicts, `sample ${r.sample_id}`).toBeGreaterThanOrEqual(5);
      expect(r.revisions, `sample ${r.sample_id}`).toBeGreaterThanOrEqual(1);
    } else {
      expect(r, `sample ${r.sample_id}`).toMatchObject({ status: "pending", version: 1, verdicts: 0, revisions: 0 });
    }
  }
  return rows;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
