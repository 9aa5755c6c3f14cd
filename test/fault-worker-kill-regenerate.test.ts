// A worker process `kill -9`'d while it regenerates samples for reviewers: the tasks it held stay `running` until
// their queue jobs expire, then another worker takes them up and finishes them. Afterwards every task ended exactly
// once (succeeded, failed or conflict, each with its message), every sample carries at most one revision per task
// and its version moved once per written task, and nothing is half-written.
import { afterAll, describe, expect, it } from "vitest";
import { useOwnDatabase } from "@/test/own-database";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { saveEdit } from "@/lib/review/edit";
import { requestTasks } from "@/lib/review/tasks";
import { useFakeLlm } from "./fake-llm";
import { seedDataset } from "./seed";
import { startWorker, waitFor } from "./run-helpers";

// Its own database: the worker processes here take every review task on the queue, and only these are ours.
const database = await useOwnDatabase("fault_regenerate");

const REGENERATED = 34;
const TEACHER_DOWN = 3;
const EDITED = 3;
const COT = "The user names a city, so I call get_weather with it.";
// Four LLM calls per task (teacher, then stages 2–4's judges) at 150 ms each: every task is mid-flight for ~0.6 s,
// so the kill lands on several of them. A job comes back 3 s after its worker stopped answering for it.
const LATENCY_MS = 150;
const EXPIRE_SECONDS = "3";
const workerEnv = { STUDIO_WORKER_TASKS: "4", STUDIO_JOB_EXPIRE_SECONDS: EXPIRE_SECONDS, STUDIO_LLM_MAX_RETRIES: "1", STUDIO_LLM_BACKOFF_MS: "10" };
// requestTasks (this process) gives each job its expiry; a worker needs an LLM to take a regeneration.
const llm = useFakeLlm({ latencyMs: LATENCY_MS }, { env: { STUDIO_JOB_EXPIRE_SECONDS: EXPIRE_SECONDS } });

afterAll(async () => {
  await stopBoss();
  await closeDb();
  await database.drop();
});

async function taskCounts(): Promise<Record<string, number>> {
  const pool = await getPool();
  const { rows } = await pool.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM sample_tasks GROUP BY status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function openJobs(): Promise<number> {
  const pool = await getPool();
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sample-task' AND state <> 'completed'`);
  return rows[0].n;
}

describe("a worker killed with kill -9 while it regenerates", () => {
  it("another worker finishes its tasks: each ends once, each sample is written once per task, nothing half-written", async () => {
    const { ids } = await seedDataset(
      [
        ...Array.from({ length: REGENERATED }, (_, i) => ({ query: `What is the weather in city ${i}?` })),
        // The teacher is down for these: their tasks fail with the reason and write nothing.
        ...Array.from({ length: TEACHER_DOWN }, (_, i) => ({ query: `Weather in town ${i}? [[fake:500@regenerate-answer]]` })),
        // A reviewer edits these after asking: their tasks end in conflict and the edit stays.
        ...Array.from({ length: EDITED }, (_, i) => ({ query: `Weather in village ${i}?` })),
      ].map((s) => ({ ...s, cot: COT, status: "passed" as const })),
      "fault-regenerate",
    );
    const teacherDown = ids.slice(REGENERATED, REGENERATED + TEACHER_DOWN);
    const edited = ids.slice(REGENERATED + TEACHER_DOWN);

    const requested = await requestTasks(ids, "regenerate", { scope: "cot+answer" }, "human:ann@example.test");
    expect(requested.failures).toEqual([]);
    expect(requested.tasks).toHaveLength(ids.length);
    for (const id of edited) {
      const saved = await saveEdit({ sampleId: id, expectedVersion: 1 }, { answer: '[get_weather(city="Oslo")]', cot: COT }, "human:bob@example.test");
      expect(saved).toEqual({ ok: true, version: 2 });
    }
    const pool = await getPool();
    const before = (
      await pool.query(
        `SELECT s.id, s.answer, s.cot, s.version, (SELECT count(*)::int FROM stage_verdicts v WHERE v.sample_id = s.id) AS verdicts
         FROM samples s WHERE s.id = ANY($1::int[]) ORDER BY s.id`,
        [ids],
      )
    ).rows;

    const first = startWorker(llm.url, workerEnv);
    const firstExited = new Promise((r) => first.once("exit", r));
    await waitFor("some tasks done and others mid-flight", taskCounts, (c) => (c.succeeded ?? 0) >= 6 && (c.running ?? 0) >= 2);
    first.kill("SIGKILL");
    await firstExited;

    // What the dead worker held: rows it marked running and never ended.
    const stranded = (await pool.query<{ id: number }>(`SELECT id FROM sample_tasks WHERE status = 'running' ORDER BY id`)).rows.map((r) => r.id);
    expect(stranded.length, "the kill must land mid-task").toBeGreaterThan(0);
    const atKill = await taskCounts();
    expect(atKill.succeeded ?? 0, "the kill must land mid-way").toBeLessThan(REGENERATED);

    const second = startWorker(llm.url, workerEnv);
    const secondExited = new Promise((r) => second.once("exit", r));
    try {
      await waitFor("every task to end", taskCounts, (c) => !c.queued && !c.running, 90_000);
      // A job handed out again while its first worker was still alive (a slow machine) completes on its own time.
      await waitFor("every job to complete", openJobs, (n) => n === 0);
    } finally {
      second.kill("SIGTERM");
      await secondExited;
    }

    // Each task ended once, with its message; the stranded ones were finished by the job coming back.
    const tasks = (
      await pool.query<{ id: number; sample_id: number; status: string; message: string | null; finished_at: Date | null; retries: number | null; job_state: string | null }>(
        `SELECT t.id, t.sample_id, t.status, t.message, t.finished_at, j.retry_count AS retries, j.state::text AS job_state
         FROM sample_tasks t LEFT JOIN pgboss.job j ON j.name = 'sample-task' AND (j.data->>'taskId')::int = t.id ORDER BY t.id`,
      )
    ).rows;
    expect(tasks).toHaveLength(ids.length);
    const byTask = new Map(tasks.map((t) => [t.id, t]));
    for (const task of tasks) {
      expect(task.finished_at, `task ${task.id}`).toBeInstanceOf(Date);
      expect(task.message, `task ${task.id}`).toBeTruthy();
      expect(task.job_state, `task ${task.id}'s job`).toBe("completed");
      const expected = teacherDown.includes(task.sample_id) ? "failed" : edited.includes(task.sample_id) ? "conflict" : "succeeded";
      expect(task.status, `task ${task.id} of sample ${task.sample_id}`).toBe(expected);
    }
    for (const id of stranded) expect(byTask.get(id)!.retries, `task ${id}'s job came back`).toBeGreaterThanOrEqual(1);
    for (const task of tasks.filter((t) => t.status === "failed")) {
      expect(task.message).toMatch(/^The teacher gave no usable answer \(server_error after 2 attempt\(s\): .*\): nothing was written\.$/);
    }
    for (const task of tasks.filter((t) => t.status === "conflict")) {
      expect(task.message).toMatch(/^The sample changed since the task was asked for \(version 1 → 2\): nothing was written\.$/);
    }

    // Each sample: one revision and one version step per written task, its verdicts once; the others untouched.
    const after = (
      await pool.query(
        `SELECT s.id, s.status, s.answer, s.cot, s.version, s.stage_outcomes,
           (SELECT count(*)::int FROM sample_revisions r WHERE r.sample_id = s.id AND r.reason LIKE 'Regenerated%') AS regenerations,
           (SELECT count(*)::int FROM stage_verdicts v WHERE v.sample_id = s.id) AS verdicts,
           (SELECT count(*)::int FROM (SELECT 1 FROM stage_verdicts v WHERE v.sample_id = s.id
              GROUP BY v.stage, v.attempt, v.decided_by HAVING count(*) > 1) d) AS duplicated
         FROM samples s WHERE s.id = ANY($1::int[]) ORDER BY s.id`,
        [ids],
      )
    ).rows;
    const was = new Map(before.map((r) => [r.id, r]));
    for (const sample of after) {
      const old = was.get(sample.id);
      const task = tasks.find((t) => t.sample_id === sample.id)!;
      if (task.status === "succeeded") {
        expect(sample, `sample ${sample.id}`).toMatchObject({ status: "passed", version: old.version + 1, regenerations: 1, duplicated: 0 });
        expect(sample.stage_outcomes, `sample ${sample.id}`).toEqual(["1:pass", "2:pass", "3:pass", "4:pass", "5:pass"]);
        expect(sample.cot, `sample ${sample.id}`).not.toBe(COT);
        expect(sample.verdicts - old.verdicts, `sample ${sample.id}`).toBeGreaterThanOrEqual(5);
      } else {
        expect(sample, `sample ${sample.id}`).toMatchObject({ answer: old.answer, cot: old.cot, version: old.version, regenerations: 0, verdicts: old.verdicts });
      }
    }
  }, 180_000);
});
