// A process killed with SIGKILL in the middle of a bulk approve over a filter: its job's row still says `running`,
// with exactly the samples it decided counted as done (each batch's decisions and its count are one statement).
// When the web server starts (instrumentation.ts), the job is found with nobody working on it and marked failed,
// "interrupted after N of M"; the samples decided stay decided, the others untouched.
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { useOwnDatabase } from "@/test/own-database";
import { closeDb, getPool } from "@/lib/db/client";
import { getBulkJob } from "@/lib/review/bulk-jobs";
import { seedDataset } from "./seed";
import { waitFor } from "./run-helpers";

// Its own database: the web server's start-up (called below) settles every orphaned job of the database it uses.
const database = await useOwnDatabase("bulk_interrupted");

afterAll(async () => {
  await closeDb();
  await database.drop();
});

const TOTAL = 1_000;

describe("a bulk action whose process is killed half-way", () => {
  it("leaves a row with the exact count done, which the server's start marks failed: interrupted after N of M", async () => {
    const { datasetId, ids } = await seedDataset(Array.from({ length: TOTAL }, () => ({ status: "flagged" as const })), "bulk-kill");
    const query = `dataset=${datasetId}&status=flagged`;
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "test/bulk-job-process.ts"], {
      env: { ...process.env, BULK_SAMPLE_IDS: JSON.stringify(ids), BULK_QUERY: query },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    const pool = await getPool();
    const jobOf = async () => (await pool.query<{ id: number; done: number }>(`SELECT id, done FROM bulk_jobs ORDER BY id DESC LIMIT 1`)).rows[0];
    const started = await waitFor("the bulk job to get going", jobOf, (job) => job?.done >= 100);
    child.kill("SIGKILL");
    await exited;

    const left = await getBulkJob(started.id);
    expect(left).toMatchObject({ status: "running", total: TOTAL, target: { kind: "filter", query } });
    expect(left!.done).toBeGreaterThanOrEqual(100);
    expect(left!.done).toBeLessThan(TOTAL);
    // Exactly what was written: the decisions linked to the job, the samples approved.
    const counts = await pool.query<{ decisions: number; approved: number; audited: number }>(
      `SELECT (SELECT count(*)::int FROM review_decisions WHERE bulk_job_id = $1) AS decisions,
              (SELECT count(*)::int FROM samples WHERE dataset_id = $2 AND status = 'approved') AS approved,
              (SELECT count(*)::int FROM audit_log WHERE bulk_job_id = $1) AS audited`,
      [started.id, datasetId],
    );
    expect(counts.rows[0]).toEqual({ decisions: left!.done, approved: left!.done, audited: left!.done });

    // The web server starts.
    process.env.NEXT_RUNTIME = "nodejs";
    const { register } = await import("@/instrumentation");
    await register();

    const settled = await getBulkJob(started.id);
    expect(settled).toMatchObject({
      status: "failed",
      done: left!.done,
      failure: `interrupted after ${left!.done.toLocaleString("en-US")} of 1,000: the server stopped before it finished`,
    });
    expect(settled!.finishedAt).not.toBeNull();
  });
});
