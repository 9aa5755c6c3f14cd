// The dashboard's queries on the real database: a seeded dataset with known statuses, stage outcomes, failure
// codes, verdict tokens, runs and human decisions (through the real decision code), read back per dataset.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { decideMany, decideOne } from "@/lib/review/decisions";
import { seedDataset } from "@/test/seed";
import { agreement, decisionsOverTime, failureReasons, getDashboard, liveRuns, sampleGroups, tokenUsage } from "./queries";
import { buildFunnel } from "./funnel";

afterAll(() => closeDb());

const ALL = ["1:pass", "2:pass", "3:pass", "4:pass", "5:pass"];
let datasetId: number;
let ids: number[];
let otherDataset: number;

beforeAll(async () => {
  const seeded = await seedDataset([
    { status: "passed", stageOutcomes: ALL },
    { status: "passed", stageOutcomes: ALL },
    { status: "passed", stageOutcomes: ALL },
    { status: "text", stageOutcomes: ["1:pass"] },
    { status: "discarded", stageOutcomes: ["1:pass", "2:fail"] },
    { status: "discarded", stageOutcomes: ["1:pass", "2:pass", "4:fail"] },
    { status: "discarded", stageOutcomes: ["1:pass", "2:pass", "4:fail"] },
    { status: "flagged", stageOutcomes: ["1:pass", "2:pass", "3:error"] },
    { status: "pending" },
  ], "dash");
  datasetId = seeded.datasetId;
  ids = seeded.ids;
  const pool = await getPool();
  // Why each was discarded or flagged, as the pipeline writes it (lib/pipeline/summary.ts).
  await pool.query(
    `UPDATE samples SET status_stage = v.stage, status_code = v.code, status_reason = v.reason, decided_by = v.by
     FROM (VALUES ($1::int, 2, 'llm', 'Stage 2: the tools cannot answer the query.', 'llm'),
                  ($2::int, 4, 'rule:unknown-argument', 'Stage 4: get_weather has no argument colour.', 'rule'),
                  ($3::int, 4, 'rule:unknown-argument', 'Stage 4: get_weather has no argument size.', 'rule'),
                  ($4::int, 3, 'llm', 'Stage 3: the judge did not answer.', 'llm')) AS v(id, stage, code, reason, by)
     WHERE samples.id = v.id`,
    [ids[4], ids[5], ids[6], ids[7]],
  );
  // Two full runs (one still running) and LLM verdicts with tokens on stages 2 and 4; rule verdicts have none.
  const runs = await pool.query<{ id: number }>(
    `INSERT INTO pipeline_runs (dataset_id, stages, concurrency, max_regenerations, status, total)
     VALUES ($1, 'all', 4, 1, 'succeeded', 3), ($1, 'all', 4, 1, 'running', 4) RETURNING id`,
    [datasetId],
  );
  const [done, running] = runs.rows.map((r) => r.id);
  await pool.query(
    `INSERT INTO pipeline_run_samples (run_id, sample_id, sample_version, result, prompt_tokens, completion_tokens, finished_at) VALUES
     ($1, $3, 1, 'passed', 500, 90, now()), ($1, $4, 1, 'passed', 500, 90, now()), ($1, $5, 1, 'passed', 500, 90, now()),
     ($2, $6, 1, 'discarded', 100, 10, now()), ($2, $7, 1, NULL, 0, 0, NULL)`,
    [done, running, ids[0], ids[1], ids[2], ids[4], ids[5]],
  );
  await pool.query(
    `INSERT INTO stage_verdicts (sample_id, run_id, stage, outcome, reason, decided_by, prompt_tokens, completion_tokens) VALUES
     ($3, $1, 2, 'pass', 'ok', 'llm:m', 100, 10), ($4, $1, 2, 'pass', 'ok', 'llm:m', 100, 10), ($5, $1, 2, 'pass', 'ok', 'llm:m', 100, 10),
     ($3, $1, 4, 'pass', 'ok', 'llm:m', 200, 30), ($4, $1, 4, 'fail', 'no', 'llm:m', 200, 30), ($5, $1, 4, 'pass', 'ok', 'llm:m', 200, 30),
     ($3, $1, 4, 'pass', 'ok', 'rule:params', NULL, NULL),
     ($6, $2, 2, 'fail', 'no', 'llm:m', 100, 10),
     ($7, NULL, 2, 'pass', 're-checked outside a run', 'llm:m', 100, 10)`,
    [done, running, ids[0], ids[1], ids[2], ids[4], ids[3]],
  );
  // Something in another dataset, which the per-dataset figures must not count.
  const other = await seedDataset([{ status: "discarded", stageOutcomes: ["1:pass", "2:fail"] }], "dash-other");
  otherDataset = other.datasetId;
  await pool.query(`INSERT INTO stage_verdicts (sample_id, stage, outcome, reason, decided_by, prompt_tokens, completion_tokens) VALUES ($1, 2, 'fail', 'no', 'llm:m', 999, 99)`, [other.ids[0]]);
});

describe("the funnel and failure reasons", () => {
  it("count the dataset's samples per stage outcome and status", async () => {
    const funnel = buildFunnel(await sampleGroups(datasetId));
    expect(funnel.imported).toBe(9);
    expect(funnel.stages.map((s) => [s.reached, s.pass, s.fail, s.error])).toEqual([
      [0, 0, 0, 0], // stage 0: no outcomes seeded
      [8, 8, 0, 0],
      [7, 6, 1, 0],
      [4, 3, 0, 1],
      [5, 3, 2, 0],
      [3, 3, 0, 0],
    ]);
    expect(funnel.end).toEqual({ saved: 3, text: 1, flagged: 1, discarded: 3, pending: 1 });
  });

  it("group failures by stage and code with a real example", async () => {
    const reasons = await failureReasons(datasetId, await sampleGroups(datasetId));
    expect(reasons.map(({ stage, code, status, count }) => ({ stage, code, status, count }))).toEqual([
      { stage: 2, code: "llm", status: "discarded", count: 1 },
      { stage: 3, code: "llm", status: "flagged", count: 1 },
      { stage: 4, code: "rule:unknown-argument", status: "discarded", count: 2 },
    ]);
    const stage4 = reasons[2];
    expect([ids[5], ids[6]]).toContain(stage4.exampleId);
    expect(stage4.example).toMatch(/^Stage 4: get_weather has no argument (colour|size)\.$/);
  });

  it("see nothing of another dataset, and everything across datasets", async () => {
    expect(buildFunnel(await sampleGroups(otherDataset)).imported).toBe(1);
    const all = buildFunnel(await sampleGroups(null));
    expect(all.imported).toBeGreaterThanOrEqual(10);
  });
});

describe("runs and tokens", () => {
  it("show the running run with its live counts", async () => {
    const runs = await liveRuns(datasetId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "running", total: 4, finished: 1, results: { discarded: 1 } });
  });

  it("sum the judges' tokens per stage (re-checks outside runs too) and per run; the teacher is the rest of a run's tokens", async () => {
    const usage = await tokenUsage(datasetId);
    expect(usage.stages).toEqual([
      { stage: 2, calls: 5, prompt: 500, cached: 0, completion: 50, cost: null },
      { stage: 4, calls: 3, prompt: 600, cached: 0, completion: 90, cost: null },
    ]);
    expect(usage.runs.map((r) => [r.status, r.judge, r.total, r.cost])).toEqual([
      ["running", { prompt: 100, cached: 0, completion: 10 }, { prompt: 100, cached: 0, completion: 10 }, null],
      ["succeeded", { prompt: 900, cached: 0, completion: 120 }, { prompt: 1500, cached: 0, completion: 270 }, null],
    ]);
  });
});

describe("a run with one judge call for stages 2–4", () => {
  it("counts each combined call once, on the stage that made it, and every verdict's share of its tokens", async () => {
    const { datasetId: combinedDataset, ids: [a, b] } = await seedDataset([{ status: "passed", stageOutcomes: ALL }, { status: "passed", stageOutcomes: ALL }], "dash-combined");
    const pool = await getPool();
    const run = await pool.query<{ id: number }>(
      `INSERT INTO pipeline_runs (dataset_id, stages, concurrency, max_regenerations, status, total, judge_mode)
       VALUES ($1, 'all', 4, 1, 'succeeded', 2, 'combined') RETURNING id`,
      [combinedDataset],
    );
    // As lib/pipeline/combined.ts stores a call: its first verdict counts it, the later ones are shares of its tokens.
    const share = (countsCall: boolean) => JSON.stringify({ combined: { countsCall } });
    await pool.query(
      `INSERT INTO stage_verdicts (sample_id, run_id, stage, outcome, reason, decided_by, prompt_version, evidence, prompt_tokens, completion_tokens) VALUES
       ($2, $1, 2, 'pass', 'ok', 'llm:m', 'judge-combined.v1', $4, 100, 10), ($2, $1, 3, 'pass', 'ok', 'llm:m', 'judge-combined.v1', $5, 100, 10),
       ($2, $1, 4, 'pass', 'ok', 'llm:m', 'judge-combined.v1', $5, 100, 10), ($3, $1, 2, 'pass', 'ok', 'llm:m', 'judge-combined.v1', $4, 100, 10),
       ($3, $1, 3, 'pass', 'ok', 'llm:m', 'judge-combined.v1', $5, 100, 10), ($3, $1, 4, 'pass', 'ok', 'llm:m', 'judge-combined.v1', $5, 100, 10),
       ($3, $1, 4, 'pass', 'ok', 'llm:m', 'judge-values.v2', '{}', 100, 10)`,
      [run.rows[0].id, a, b, share(true), share(false)],
    );
    expect((await tokenUsage(combinedDataset)).stages).toEqual([
      { stage: 2, calls: 2, prompt: 200, cached: 0, completion: 20, cost: null },
      { stage: 3, calls: 0, prompt: 200, cached: 0, completion: 20, cost: null },
      { stage: 4, calls: 1, prompt: 300, cached: 0, completion: 30, cost: null },
    ]);
  });
});

describe("human decisions", () => {
  it("count per day and action, and judge agreement per stage from the decisions' snapshots", async () => {
    // ids[0]: the judge passed stages 2 and 4 → the approve agrees at both.
    // ids[1]: the judge failed stage 4 → the approve overrides it (and agrees at stage 2).
    // ids[2]: discarded for stage 4, which the judge passed → an override.
    const author = "human:dash-test";
    expect(await decideOne({ sampleId: ids[0], expectedVersion: 1 }, { action: "approve", author })).toMatchObject({ ok: true });
    expect(await decideOne({ sampleId: ids[1], expectedVersion: 1 }, { action: "approve", author })).toMatchObject({ ok: true });
    expect(await decideOne({ sampleId: ids[2], expectedVersion: 1 }, { action: "discard", author, reason: "wrong city", stage: 4 })).toMatchObject({ ok: true });

    const rows = Object.fromEntries((await agreement(datasetId)).stages.map((r) => [r.stage, r]));
    expect(rows[2]).toMatchObject({ decisions: 2, agreements: 2, rate: 1 });
    expect(rows[4]).toMatchObject({ decisions: 3, agreements: 1, approvedOverFail: 1, discardedOverPass: 1 });
    expect(rows[4].rate).toBeCloseTo(1 / 3);

    const days = await decisionsOverTime(datasetId, 7);
    expect(days).toHaveLength(7);
    expect(days.at(-1)).toMatchObject({ day: new Date().toISOString().slice(0, 10), approve: 2, discard: 1 });
    expect(days.slice(0, -1).every((d) => d.approve === 0 && d.discard === 0)).toBe(true);
    expect((await agreement(otherDataset)).stages.every((r) => r.decisions === 0)).toBe(true);

    // A bulk approve of a judged sample nobody opened: said apart, counted nowhere in the agreement.
    const pool = await getPool();
    const job = await pool.query<{ id: number }>(`INSERT INTO bulk_jobs (actor, action, target, total) VALUES ($1, 'approve', '{"kind": "selection", "samples": 1}', 1) RETURNING id`, [author]);
    expect(await decideMany([ids[4]], { action: "approve", author }, { bulkJobId: job.rows[0].id })).toMatchObject({ decided: 1 });
    const after = await agreement(datasetId);
    expect(after.bulkDecisions).toBe(1);
    expect(Object.fromEntries(after.stages.map((r) => [r.stage, r]))[2]).toMatchObject({ decisions: 2, agreements: 2 });
  });

  it("all come together in one call for the page", async () => {
    const dashboard = await getDashboard(datasetId);
    expect(dashboard.funnel.imported).toBe(9);
    expect(dashboard.failures.length).toBeGreaterThan(0);
    expect(dashboard.liveRuns).toHaveLength(1);
    expect(dashboard.decisions).toHaveLength(30);
  });
});
