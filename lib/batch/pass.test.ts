// Batch passes on the real database against the fake's Batch API: a run advances pass by pass until no sample waits,
// and ends exactly where a live run of the same samples ends (same results, verdicts, answers, tokens), also when a
// batch expires half done or its output has a malformed line. A pass records each chunk's requests before it walks the
// next, sends them in files within the limits, and one stopped between recording and sending loses none.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { createLlmClient } from "@/lib/llm/client";
import { refineSample, type RefineOutcome } from "@/lib/pipeline/run";
import { storeOutcomes } from "@/lib/pipeline/store";
import type { SavedPanel } from "@/lib/judges/panels";
import type { JudgeMode } from "@/lib/pipeline/judge-modes";
import type { PipelineSample } from "@/lib/pipeline/types";
import { toAnswer } from "@/lib/samples/export";
import { BATCH_PATH_SAMPLES as SAMPLES } from "@/test/batch-samples";
import { useFakeLlm } from "@/test/fake-llm";
import { seedDataset, type SeedSample } from "@/test/seed";
import { getRunBatchView, type RunBatchView } from "./store";
import { batchApiAt, collectCancelled, runBatchPass, type BatchPassOptions, type PassReport } from "./pass";

// The outcome writes, counted (each call is one statement).
vi.mock("@/lib/pipeline/store", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/pipeline/store")>();
  return { ...actual, storeOutcomes: vi.fn(actual.storeOutcomes) };
});

// No prefix cache: a batch answers its lines in another order than a live run asks, so what is cached differs.
const llm = useFakeLlm({ prefixCache: null }, { resetAfterEach: { batchFaults: [], refuseFormats: [] } });
// A panel member's server of its own.
const remote = useFakeLlm({ prefixCache: null }, { resetAfterEach: true });
let openai: OpenAI;
let remoteApi: OpenAI;
beforeAll(() => {
  openai = new OpenAI({ baseURL: llm.url, apiKey: "x", maxRetries: 0 });
  remoteApi = new OpenAI({ baseURL: remote.url, apiKey: "x", maxRetries: 0 });
});
afterAll(() => closeDb());

const MAX_RETRIES = 2;
const refine = { stages: "all" as const, modelFor: (stage: number) => `judge-stage${stage}`, maxRegenerations: 2 };
const passOptions = (judgeMode?: JudgeMode): BatchPassOptions => ({ openai, refine: { ...refine, judgeMode }, judgeModel: "fake-judge", teacherModel: "fake-teacher", maxRetries: MAX_RETRIES });


async function seedRun(samples: SeedSample[]): Promise<{ runId: number; ids: number[] }> {
  const { datasetId, ids } = await seedDataset(samples, "batch-pass");
  const pool = await getPool();
  const run = await pool.query<{ id: number }>(
    `INSERT INTO pipeline_runs (dataset_id, stages, concurrency, max_regenerations, total, mode) VALUES ($1, 'all', 1, 2, $2, 'batch') RETURNING id`,
    [datasetId, ids.length],
  );
  await pool.query(`INSERT INTO pipeline_run_samples (run_id, sample_id, sample_version) SELECT $1, id, version FROM samples WHERE id = ANY($2::int[])`, [run.rows[0].id, ids]);
  return { runId: run.rows[0].id, ids };
}

async function loadSamples(ids: number[]): Promise<PipelineSample[]> {
  const { rows } = await (await getPool()).query(`SELECT id, query, tools, answer_kind, answer, cot FROM samples WHERE id = ANY($1::int[]) ORDER BY id`, [ids]);
  return rows.map((r) => ({ id: r.id, query: r.query, tools: r.tools, answer: toAnswer(r.answer_kind, r.answer), cot: r.cot }));
}

/** Every batch the fake's Batch API holds (this test's: the fake is reset after each), newest first. */
async function batchesAtServer(api = openai): Promise<OpenAI.Batch[]> {
  const all: OpenAI.Batch[] = [];
  for await (const batch of api.batches.list({ limit: 2 })) all.push(batch);
  return all;
}

/** The files the fake's Files API holds (this test's: the fake is reset after each). */
async function filesAtServer(api = openai): Promise<OpenAI.FileObject[]> {
  const all: OpenAI.FileObject[] = [];
  for await (const file of api.files.list({ limit: 2 })) all.push(file);
  return all;
}

/** A client whose first batch create reaches the server, then fails as if the pass stopped before it heard of it. */
function stoppingAfterCreate(baseURL: string): OpenAI {
  const client = new OpenAI({ baseURL, apiKey: "x", maxRetries: 0 });
  const create = client.batches.create.bind(client.batches);
  vi.spyOn(client.batches, "create").mockImplementationOnce(((...args: Parameters<typeof create>) =>
    create(...args).then(() => {
      throw new Error("stopped after the batch was created");
    })) as never);
  return client;
}

/** A client whose batch create fails without reaching the server (its input file is uploaded, no batch made). */
function failingCreate(): OpenAI {
  const client = new OpenAI({ baseURL: llm.url, apiKey: "x", maxRetries: 0 });
  vi.spyOn(client.batches, "create").mockRejectedValue(new Error("the batch could not be created"));
  return client;
}

const batchCount = async (runId: number) => (await (await getPool()).query(`SELECT count(*)::int AS n FROM run_batches WHERE run_id = $1`, [runId])).rows[0].n;

/** Passes until done (waiting out the fake's batches); the reports, in order. `sent`: called after each pass that sent batches. */
async function drive(runId: number, options = passOptions(), sent?: () => Promise<void>): Promise<PassReport[]> {
  const reports: PassReport[] = [];
  for (let i = 0; i < 200; i++) {
    const report = await runBatchPass(runId, options);
    if (report.state !== "waiting" && report.state !== "busy") reports.push(report);
    if (report.state === "submitted") await sent?.();
    if (report.state === "done") return reports;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("the run did not finish in 200 passes");
}

/** What a live run of these samples ends with, per sample: what the batch run must store too. `panel`: stage 4's. */
async function liveOutcomes(samples: PipelineSample[], judgeMode?: JudgeMode, panel?: SavedPanel): Promise<RefineOutcome[]> {
  const client = (model: string, baseURL = llm.url) => createLlmClient({ baseURL, model, maxRetries: MAX_RETRIES, backoffMs: 1, timeoutMs: 5_000 });
  const panelFor = (stage: number) =>
    panel && stage === 4 ? { ...panel, members: panel.members.map((m) => ({ judge: client(m.model, m.baseURL), model: m.model, promptVersion: m.promptVersion })) } : null;
  const options = { ...refine, judgeMode, judge: client("fake-judge"), teacher: client("fake-teacher"), panelFor };
  const outcomes: RefineOutcome[] = [];
  for (const sample of samples) outcomes.push(await refineSample(sample, options));
  llm.reset();
  remote.reset();
  return outcomes;
}

/** The stored result, answer, CoT and verdicts of each sample, in a shape a live outcome maps to. */
async function stored(runId: number, ids: number[]) {
  const pool = await getPool();
  const results = await pool.query(
    `SELECT m.sample_id, m.result, m.regenerations, m.prompt_tokens, m.cached_tokens, m.completion_tokens, s.answer, s.cot FROM pipeline_run_samples m JOIN samples s ON s.id = m.sample_id
     WHERE m.run_id = $1 AND m.finished_at IS NOT NULL ORDER BY m.sample_id`,
    [runId],
  );
  const verdicts = await pool.query(
    `SELECT sample_id, stage, outcome, reason, attempt, decided_by, prompt_version, prompt_tokens, cached_tokens, completion_tokens FROM stage_verdicts WHERE run_id = $1 ORDER BY id`,
    [runId],
  );
  return ids.map((id) => {
    const r = results.rows.find((row) => row.sample_id === id);
    return {
      result: r?.result,
      regenerations: r?.regenerations,
      tokens: r && { prompt: r.prompt_tokens, cached: r.cached_tokens, completion: r.completion_tokens },
      answer: r?.answer,
      cot: r?.cot,
      verdicts: verdicts.rows
        .filter((v) => v.sample_id === id)
        .map((v) => ({ stage: v.stage, outcome: v.outcome, reason: v.reason, attempt: v.attempt, decidedBy: v.decided_by, promptVersion: v.prompt_version ?? undefined, promptTokens: v.prompt_tokens ?? undefined, cachedTokens: v.cached_tokens ?? undefined, completionTokens: v.completion_tokens ?? undefined })),
    };
  });
}

function expected(outcomes: RefineOutcome[]) {
  return outcomes.map((o) => ({
    result: o.result,
    regenerations: o.regenerations,
    tokens: o.tokens,
    answer: o.sample.answer?.kind === "calls" ? o.sample.answer.calls : expect.anything(),
    cot: o.sample.cot,
    verdicts: o.verdicts.map((v) => ({ stage: v.stage, outcome: v.outcome, reason: v.reason, attempt: v.attempt, decidedBy: v.decidedBy, promptVersion: v.promptVersion, promptTokens: v.promptTokens, cachedTokens: v.cachedTokens, completionTokens: v.completionTokens })),
  }));
}

describe("batch passes", () => {
  it("finish a run stage by stage with the verdicts a live run gives the same samples", async () => {
    const { runId, ids } = await seedRun(SAMPLES);
    const live = await liveOutcomes(await loadSamples(ids));
    expect(live.map((o) => o.result)).toEqual(["passed", "discarded", "passed", "discarded", "passed", "flagged"]);
    expect(live[3].regenerations).toBeGreaterThan(0);

    const pool = await getPool();
    const first = await runBatchPass(runId, passOptions());
    const firstSent = await pool.query(`SELECT body FROM batch_requests WHERE run_id = $1 AND state = 'sent'`, [runId]);
    const reports = [first, ...(await drive(runId))];
    expect(await stored(runId, ids)).toEqual(expected(live));
    // Nothing is finished before answers exist; later passes finish what their answers allow; the last sends nothing.
    expect(reports[0]).toMatchObject({ state: "submitted", finished: 0, sent: ids.length });
    expect(reports.at(-1)).toMatchObject({ state: "done", sent: 0 });
    expect(reports.reduce((n, r) => n + r.finished, 0)).toBe(ids.length);
    // A pass sends one step of each sample's walk: the first, stage 2's questions and CoTs to write, no later stage's.
    const prompts = firstSent.rows.map((r) => /prompt: ([\w-]+)/.exec(r.body.messages.map((m: { content: string }) => m.content).join("\n"))?.[1]);
    expect(prompts.sort()).toEqual(["judge-query-tools", "judge-query-tools", "judge-query-tools", "judge-query-tools", "teacher-cot", "teacher-cot"]);
    // Each batch asks one model (OpenAI's rule): the teacher's and stage 2's judge's go apart.
    const models = await pool.query(`SELECT batch_id, count(DISTINCT body->>'model')::int AS models FROM batch_requests WHERE run_id = $1 GROUP BY 1`, [runId]);
    expect(models.rows.length).toBeGreaterThan(1);
    expect(models.rows.every((r) => r.models === 1)).toBe(true);
  });

  it("with one judge call for stages 2–4 (issue 15 §3): one combined request a step, and the verdicts of a live combined run", async () => {
    const { runId, ids } = await seedRun(SAMPLES);
    const live = await liveOutcomes(await loadSamples(ids), "combined");
    expect(live.map((o) => o.result)).toEqual(["passed", "discarded", "passed", "discarded", "passed", "flagged"]);
    await drive(runId, passOptions("combined"));
    expect(await stored(runId, ids)).toEqual(expected(live));
    const { rows } = await (await getPool()).query(`SELECT DISTINCT substring(body::text from 'prompt: ([a-z-]+)') AS prompt FROM batch_requests WHERE run_id = $1`, [runId]);
    expect(rows.map((r) => r.prompt).sort()).toEqual(["judge-combined", "regenerate-answer", "teacher-cot"]);
  });

  it("a stage judged by a panel: each member asked through the judge's batches, a batch per model, and the verdicts of a live panel run", async () => {
    const { runId, ids } = await seedRun([{}, { query: "What is the weather in city 1? [[fake:fail@model=judge-b]]" }, { query: "What is the weather in city 2? [[fake:fail@model=judge-b]] [[fake:fail@model=judge-c]]" }]);
    const trio: SavedPanel = { name: "trio", rule: "majority", members: [{ model: "judge-a" }, { model: "judge-b", promptVersion: 1 }, { model: "judge-c" }] };
    const live = await liveOutcomes(await loadSamples(ids), undefined, trio);
    expect(live.map((o) => o.result)).toEqual(["passed", "passed", "discarded"]);
    await drive(runId, { ...passOptions(), panels: { 4: trio } });
    expect(await stored(runId, ids)).toEqual(expected(live));
    const batches = await (await getPool()).query(`SELECT batch_id, array_agg(DISTINCT body->>'model') AS models FROM batch_requests WHERE run_id = $1 GROUP BY 1`, [runId]);
    expect(batches.rows.every((b) => b.models.length === 1)).toBe(true);
    expect(batches.rows.map((b) => b.models[0])).toEqual(expect.arrayContaining(["judge-a", "judge-b", "judge-c"]));
  });

  it("a batch that expires half done: the answered requests are kept, the rest asked again, and the run ends the same", async () => {
    const { runId, ids } = await seedRun(SAMPLES);
    const live = await liveOutcomes(await loadSamples(ids));
    // Both of the first pass's batches (the teacher's, stage 2's judge's) run out after one request.
    llm.setOptions({ batchFaults: [{ expireAfter: 1 }, { expireAfter: 1 }] });
    const reports = await drive(runId);
    expect(reports[1].sent).toBeGreaterThan(0);
    expect(await stored(runId, ids)).toEqual(expected(live));
    const { rows } = await (await getPool()).query(`SELECT count(*)::int AS n FROM batch_requests WHERE run_id = $1 AND attempts > 1`, [runId]);
    expect(rows[0].n).toBeGreaterThanOrEqual(ids.length - 3);
  });

  it("a malformed output line is reported by number and its request retried in the next pass", async () => {
    const { runId, ids } = await seedRun(SAMPLES);
    const live = await liveOutcomes(await loadSamples(ids));
    llm.setOptions({ batchFaults: [{}, { malformedLines: [1] }] });
    const reports = await drive(runId);
    expect(reports.flatMap((r) => r.malformed)).toEqual([{ line: 1, message: expect.stringMatching(/^not JSON/) }]);
    expect(await stored(runId, ids)).toEqual(expected(live));
  });

  it("a completed batch whose output misses answers (partial output): those requests are asked again, the run ends the same", async () => {
    // The samples without scripted server errors: every retried request is one the output missed.
    const { runId, ids } = await seedRun(SAMPLES.slice(0, 4));
    const live = await liveOutcomes(await loadSamples(ids));
    // The first pass's two batches (the teacher's, stage 2's judge's) each leave one answer out.
    llm.setOptions({ batchFaults: [{ missingAnswers: [1] }, { missingAnswers: [1] }] });
    const reports = await drive(runId);
    const first = await (await getPool()).query(`SELECT status, total, completed FROM run_batches WHERE run_id = $1 AND pass = 1`, [runId]);
    // The server says it completed every request; two answers are not in the output, so they go in the next batches.
    expect(first.rows[0]).toMatchObject({ status: "completed", completed: first.rows[0].total });
    expect(reports.flatMap((r) => r.malformed)).toEqual([]);
    const retried = await (await getPool()).query(`SELECT count(*)::int AS n FROM batch_requests WHERE run_id = $1 AND attempts > 1`, [runId]);
    expect(retried.rows[0].n).toBe(2);
    expect(await stored(runId, ids)).toEqual(expected(live));
  });

  it("a server that refuses structured outputs: the judges are asked again in the next format, and the run ends as a live one", async () => {
    llm.setOptions({ refuseFormats: ["json_schema"] });
    const { runId, ids } = await seedRun(SAMPLES.slice(0, 4));
    const live = await liveOutcomes(await loadSamples(ids));
    await drive(runId);
    expect(await stored(runId, ids)).toEqual(expected(live));
    const formats = await (await getPool()).query(`SELECT DISTINCT body->'response_format'->>'type' AS format, answer->>'status' AS status FROM batch_requests WHERE run_id = $1 AND body ? 'response_format'`, [runId]);
    expect(formats.rows.sort((a, b) => a.format.localeCompare(b.format))).toEqual([
      { format: "json_object", status: "200" },
      { format: "json_schema", status: "400" },
    ]);
  });

  it("a request that never gets an answer ends as an error verdict after 1 + maxRetries batches, never a fail", async () => {
    const { runId, ids } = await seedRun([{ query: "What is the weather in city 0?" }]);
    llm.setOptions({ batchFaults: [{ expireAfter: 0 }, { expireAfter: 0 }, { expireAfter: 0 }] });
    await drive(runId);
    const [sample] = await stored(runId, ids);
    expect(sample.result).toBe("flagged");
    expect(sample.verdicts.filter((v) => v.decidedBy.startsWith("llm:"))).toEqual([
      expect.objectContaining({ outcome: "error", reason: expect.stringMatching(/batch_expired.*after 3 attempts/) }),
    ]);
    expect(sample.verdicts.map((v) => v.outcome)).not.toContain("fail");
  });

  it("writes the samples a pass finishes together in few statements, each sample once", async () => {
    const { runId, ids } = await seedRun(Array.from({ length: 30 }, (_, i) => ({ query: `What is the weather in city ${i}?` })));
    vi.mocked(storeOutcomes).mockClear();
    const reports = await drive(runId);
    expect(reports.reduce((n, r) => n + r.finished, 0)).toBe(ids.length);
    const written = vi.mocked(storeOutcomes).mock.calls.filter(([id]) => id === runId).map(([, outcomes]) => outcomes.length);
    expect(written.reduce((n, size) => n + size, 0)).toBe(ids.length);
    // A statement per sample was the pass's largest cost: the 30 that finish in one pass go in a handful.
    expect(written.length).toBeLessThanOrEqual(ids.length / 5);
    expect((await stored(runId, ids)).every((s) => s.result === "passed")).toBe(true);
  });

  it("one pass per run at a time: a second worker's pass does nothing, and any worker can carry the run on", async () => {
    const { runId, ids } = await seedRun(SAMPLES);
    const live = await liveOutcomes(await loadSamples(ids));
    const [a, b] = await Promise.all([runBatchPass(runId, passOptions()), runBatchPass(runId, passOptions())]);
    expect([a.state, b.state].sort()).toEqual(["busy", "submitted"]);
    // One batch per model asked, not two.
    const batches = await (await getPool()).query(`SELECT count(DISTINCT batch_id)::int AS n, count(DISTINCT body->>'model')::int AS models FROM batch_requests WHERE run_id = $1`, [runId]);
    expect(batches.rows[0].n).toBe(batches.rows[0].models);
    // The worker that sent the batch is gone (nothing of it is kept in memory): a new one collects it and goes on.
    await drive(runId);
    expect(await stored(runId, ids)).toEqual(expected(live));
  });

  it("walks the samples a chunk at a time; two samples asking the same request in different chunks both get its answer", async () => {
    const twin: SeedSample = { query: "What is the weather in Oslo?", calls: [{ name: "get_weather", arguments: { city: "Oslo" } }], cot: "The user wants the weather in Oslo." };
    const { runId, ids } = await seedRun([twin, SAMPLES[0], twin, { cot: null }]);
    const live = await liveOutcomes(await loadSamples(ids));
    const reports: PassReport[] = [];
    for (let i = 0; i < 50 && reports.at(-1)?.state !== "done"; i++) {
      const report = await runBatchPass(runId, { ...passOptions(), chunkSize: 1 });
      if (report.state !== "waiting") reports.push(report);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(reports.at(-1)?.state).toBe("done");
    expect(await stored(runId, ids)).toEqual(expected(live));
    // The twins' requests went once each, and each was answered once.
    const asked = await (await getPool()).query(`SELECT body::text AS body, attempts FROM batch_requests WHERE run_id = $1`, [runId]);
    const oslo = asked.rows.filter((r) => r.body.includes("Oslo"));
    expect(oslo.length).toBeGreaterThan(0);
    expect(oslo.every((r) => r.attempts === 1)).toBe(true);
  });

  it("a sample edited since the run took it in asks nothing and ends as a conflict, the edit kept", async () => {
    const { runId, ids } = await seedRun([{ query: "What is the weather in Oslo?" }, { query: "What is the weather in Lima?" }]);
    await (await getPool()).query(`UPDATE samples SET cot = 'edited by hand', version = version + 1 WHERE id = $1`, [ids[1]]);
    await drive(runId);
    const [kept, edited] = await stored(runId, ids);
    expect(kept.result).toBe("passed");
    expect(edited).toMatchObject({ result: "conflict", cot: "edited by hand" });
    const asked = await (await getPool()).query(`SELECT body::text AS body FROM batch_requests WHERE run_id = $1`, [runId]);
    expect(asked.rows.length).toBeGreaterThan(0);
    expect(asked.rows.filter((r) => r.body.includes("Lima"))).toEqual([]);
  });

  it("records each chunk's requests before it walks the next chunk: a pass holds one chunk's requests, not the run's", async () => {
    const { runId, ids } = await seedRun([0, 1, 2, 3].map((i) => ({ query: `What is the weather in city ${i}?` })));
    const pool = await getPool();
    // Whenever a walk names a judge's model (each sample asks stage 2's judge first), the samples whose requests the
    // store holds by then.
    const recorded: Promise<number[]>[] = [];
    const modelFor = (stage: number) => {
      recorded.push(pool.query(`SELECT coalesce(array_agg(DISTINCT sample_id), '{}') AS ids FROM batch_requests WHERE run_id = $1`, [runId]).then((r) => r.rows[0].ids));
      return `judge-stage${stage}`;
    };
    const report = await runBatchPass(runId, { ...passOptions(), refine: { ...refine, modelFor }, chunkSize: 1 });
    expect(report).toMatchObject({ state: "submitted", sent: ids.length });
    // While the last sample is walked, the three before it have their requests in the store.
    expect(recorded).toHaveLength(ids.length);
    expect(await recorded.at(-1)).toEqual(expect.arrayContaining(ids.slice(0, -1)));
  });

  it("sends the requests in as many files as the limits allow, a batch each, every request in one of them", async () => {
    const { runId, ids } = await seedRun(SAMPLES);
    const live = await liveOutcomes(await loadSamples(ids));
    const limited = { ...passOptions(), limits: { requests: 2, bytes: 1e9 } };
    const first = await runBatchPass(runId, limited);
    const pool = await getPool();
    const batches = await pool.query(
      `SELECT b.total, (SELECT count(*)::int FROM batch_requests r WHERE r.run_id = b.run_id AND r.batch_id = b.batch_id) AS held
       FROM run_batches b WHERE b.run_id = $1 ORDER BY pass`,
      [runId],
    );
    expect(first.sent).toBeGreaterThan(4);
    expect(batches.rows).toHaveLength(Math.ceil(first.sent / 2));
    expect(batches.rows.every((b) => b.total === b.held && b.total <= 2)).toBe(true);
    expect(batches.rows.reduce((n, b) => n + b.total, 0)).toBe(first.sent);
    // A line larger than the bytes limit goes alone: one request a batch, and the run ends as a live one.
    await drive(runId, { ...passOptions(), limits: { requests: 100, bytes: 1 } });
    expect(await stored(runId, ids)).toEqual(expected(live));
    const last = await pool.query(`SELECT max(total)::int AS most FROM run_batches WHERE run_id = $1 AND pass > $2`, [runId, batches.rows.length]);
    expect(last.rows[0].most).toBe(1);
  });

  it("a pass that stops between recording its requests and sending them (the upload fails) loses none and sends none twice", async () => {
    const { runId, ids } = await seedRun(SAMPLES);
    const live = await liveOutcomes(await loadSamples(ids));
    const unreachable = new OpenAI({ baseURL: "http://127.0.0.1:9/v1", apiKey: "x", maxRetries: 0 });
    await expect(runBatchPass(runId, { ...passOptions(), openai: unreachable })).rejects.toThrow();
    const pool = await getPool();
    // The first file's requests wait in the batch being sent, which the server never got; the others are still to send.
    const recorded = await pool.query(`SELECT state, batch_id, count(*)::int AS n FROM batch_requests WHERE run_id = $1 GROUP BY 1, 2 ORDER BY 1`, [runId]);
    const sending = await pool.query(`SELECT batch_id, pass, status, total FROM run_batches WHERE run_id = $1`, [runId]);
    expect(sending.rows).toEqual([{ batch_id: expect.stringMatching(`^run-${runId}-`), pass: 1, status: "sending", total: expect.any(Number) }]);
    expect(recorded.rows).toEqual([
      { state: "pending", batch_id: null, n: expect.any(Number) },
      { state: "sending", batch_id: sending.rows[0].batch_id, n: sending.rows[0].total },
    ]);
    // The next pass finds no such batch at the server and sends it, once.
    await drive(runId);
    expect(await stored(runId, ids)).toEqual(expected(live));
    const first = await pool.query(`SELECT batch_id, status, total FROM run_batches WHERE run_id = $1 AND pass = 1`, [runId]);
    expect(first.rows[0]).toMatchObject({ batch_id: expect.stringMatching(/^batch_fake_/), status: "completed", total: sending.rows[0].total });
    const asked = await pool.query(`SELECT body::text AS body, attempts FROM batch_requests WHERE run_id = $1`, [runId]);
    expect(asked.rows.filter((r) => r.attempts !== 1 && !r.body.includes("[[fake:500"))).toEqual([]);
    expect(await batchesAtServer()).toHaveLength(await batchCount(runId));
  });

  it("a pass that stops right after the server created its batch: the next pass adopts that batch, none is sent twice", async () => {
    const { runId, ids } = await seedRun(SAMPLES);
    const live = await liveOutcomes(await loadSamples(ids));
    // The batch is created at the server, and the pass stops before it hears of it (a worker killed, an answer lost).
    await expect(runBatchPass(runId, { ...passOptions(), openai: stoppingAfterCreate(llm.url) })).rejects.toThrow("stopped after the batch was created");
    const [created] = await batchesAtServer();

    await drive(runId);
    expect(await stored(runId, ids)).toEqual(expected(live));
    // The server saw each batch once: the first is the one the stopped pass created, now the run's pass 1.
    const pool = await getPool();
    const first = await pool.query(`SELECT batch_id, status FROM run_batches WHERE run_id = $1 AND pass = 1`, [runId]);
    expect(first.rows[0]).toEqual({ batch_id: created.id, status: "completed" });
    expect(await batchesAtServer()).toHaveLength(await batchCount(runId));
    const asked = await pool.query(`SELECT body::text AS body, attempts FROM batch_requests WHERE run_id = $1`, [runId]);
    expect(asked.rows.filter((r) => r.attempts !== 1 && !r.body.includes("[[fake:500"))).toEqual([]);
  });

  it("leaves no file at the server: input files once their batch is finished, output and error files once applied, an upload whose batch was never created", async () => {
    const { runId, ids } = await seedRun(SAMPLES);
    const live = await liveOutcomes(await loadSamples(ids));
    // The first upload's batch is never created (it is sent again); the first batch created expires half done.
    await expect(runBatchPass(runId, { ...passOptions(), openai: failingCreate() })).rejects.toThrow("could not be created");
    expect(await filesAtServer()).toHaveLength(1);
    llm.setOptions({ batchFaults: [{ expireAfter: 1 }] });
    await drive(runId);
    expect(await stored(runId, ids)).toEqual(expected(live));
    const batches = await batchesAtServer();
    expect(batches.map((b) => b.status)).toContain("expired");
    expect(batches.some((b) => b.error_file_id) && batches.some((b) => b.output_file_id)).toBe(true);
    expect(await filesAtServer()).toEqual([]);
  });

  it("a pass that sends removes the input-file folders passes of killed workers left (a file can be hundreds of MB), and no running worker's", async () => {
    // A worker process that has ended (as one killed mid-send), and this one, still running.
    const gone = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
    const left = await mkdtemp(path.join(tmpdir(), `studio-batch-${gone}-`));
    await writeFile(path.join(left, "run-1-input.jsonl"), "{}\n");
    const running = await mkdtemp(path.join(tmpdir(), `studio-batch-${process.pid}-`));
    const other = await mkdtemp(path.join(tmpdir(), "studio-batch-other-"));
    // Folders named before they carried the process (six characters after the prefix): two days old, and new.
    const [unnamedOld, unnamedNew] = [await mkdtemp(path.join(tmpdir(), "studio-batch-")), await mkdtemp(path.join(tmpdir(), "studio-batch-"))];
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(unnamedOld, twoDaysAgo, twoDaysAgo);
    try {
      const { runId } = await seedRun(SAMPLES.slice(0, 2));
      expect((await runBatchPass(runId, passOptions())).state).toBe("submitted");
      expect([left, running, other, unnamedOld, unnamedNew].map(existsSync)).toEqual([false, true, true, false, true]);
    } finally {
      for (const dir of [left, running, other, unnamedOld, unnamedNew]) await rm(dir, { recursive: true, force: true });
    }
  });

  it("a file the server does not delete: the run ends the same, each file named once in the log, nothing retried", async () => {
    const { runId, ids } = await seedRun(SAMPLES.slice(0, 2));
    const live = await liveOutcomes(await loadSamples(ids));
    const keeping = new OpenAI({ baseURL: llm.url, apiKey: "x", maxRetries: 0 });
    const deletes = vi.spyOn(keeping.files, "delete").mockRejectedValue(new Error("storage unavailable"));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    let logged: string[];
    try {
      await drive(runId, { ...passOptions(), openai: keeping });
      logged = warn.mock.calls.map(([text]) => String(text));
    } finally {
      warn.mockRestore();
    }
    expect(await stored(runId, ids)).toEqual(expected(live));
    // Every file the run made was asked to go, once; none went.
    const left = await filesAtServer();
    expect(left.length).toBeGreaterThan(0);
    expect(deletes.mock.calls.map(([id]) => id).sort()).toEqual(left.map((f) => f.id).sort());
    expect(logged).toHaveLength(left.length);
    for (const file of left) expect(logged.filter((text) => text.includes(file.id) && text.includes("storage unavailable"))).toHaveLength(1);
  });

  it("a panel member at a base URL of its own: its requests go in batches there, one the stopped pass created there is adopted, no file is left", async () => {
    const { runId, ids } = await seedRun([{}, { query: "What is the weather in city 1? [[fake:fail@model=judge-remote]]" }, { query: "What is the weather in city 2? [[fake:fail@model=judge-a]]" }]);
    const duo: SavedPanel = { name: "duo", rule: "all", members: [{ model: "judge-a" }, { model: "judge-remote", baseURL: remote.url }] };
    const live = await liveOutcomes(await loadSamples(ids), undefined, duo);
    const options = { ...passOptions(), panels: { 4: duo } };
    // The member's first batch is created at its server, and the pass stops before it hears of it.
    await expect(drive(runId, { ...options, memberApis: new Map([[remote.url, stoppingAfterCreate(remote.url)]]) })).rejects.toThrow("stopped after the batch was created");
    const [created] = await batchesAtServer(remoteApi);
    const views: RunBatchView[] = [];
    await drive(runId, { ...options, memberApis: new Map([[remote.url, remoteApi]]) }, async () => void views.push((await getRunBatchView(runId))!));
    expect(await stored(runId, ids)).toEqual(expected(live));
    // The Runs page: a step sends stage 4's members their batches at once, each named by its model and endpoint.
    const places = views.flatMap((v) => (v.inFlight.length > 1 ? [v.inFlight.map((b) => `${b.model} at ${b.endpoint}`).sort()] : []));
    expect(places).toContainEqual([`judge-a at `, `judge-remote at ${remote.url}`]);
    expect(views.at(-1)?.severalEndpoints).toBe(true);

    const pool = await getPool();
    const batches = await pool.query(`SELECT endpoint, batch_id, model FROM run_batches WHERE run_id = $1 ORDER BY pass`, [runId]);
    const atRemote = batches.rows.filter((b) => b.endpoint === remote.url);
    expect(atRemote[0].batch_id).toBe(created.id);
    expect(atRemote.map((b) => b.model)).toEqual(atRemote.map(() => "judge-remote"));
    expect((await batchesAtServer(remoteApi)).map((b) => b.id).sort()).toEqual(atRemote.map((b) => b.batch_id).sort());
    expect(batches.rows.filter((b) => b.endpoint === "").map((b) => b.model)).not.toContain("judge-remote");
    // Each server answered its own model's requests only, each once.
    expect(new Set(remote.requests.map((r) => r.model))).toEqual(new Set(["judge-remote"]));
    expect(llm.requests.some((r) => r.model === "judge-remote")).toBe(false);
    expect(remote.requests.filter((r) => r.attempt > 1)).toEqual([]);
    expect(await filesAtServer(remoteApi)).toEqual([]);
    expect(await filesAtServer()).toEqual([]);
  });

  it("a batch id the endpoint now gives another run's batch (its settings changed since): that batch is never read, cancelled or deleted", async () => {
    const a = await seedRun(SAMPLES.slice(0, 2));
    const b = await seedRun(SAMPLES.slice(2, 4));
    const live = await liveOutcomes(await loadSamples(b.ids));
    await runBatchPass(a.runId, passOptions());
    await runBatchPass(b.runId, passOptions());
    // A's requests wait on an id the server gives one of B's batches (as another server numbering its batches alike would).
    const pool = await getPool();
    const theirs = (await pool.query(`SELECT batch_id FROM run_batches WHERE run_id = $1 ORDER BY pass LIMIT 1`, [b.runId])).rows[0].batch_id;
    await pool.query(`UPDATE batch_requests SET batch_id = $2 WHERE run_id = $1 AND state = 'sent'`, [a.runId, theirs]);
    await expect(runBatchPass(a.runId, passOptions())).rejects.toThrow(`batch ${theirs} is not one this run sent (its metadata names run ${b.runId})`);
    // A cancelled, its batches looked at: B's is left as it is, its files kept for B.
    const files = await filesAtServer();
    expect(await collectCancelled(a.runId, batchApiAt({ openai }))).toBe(0);
    expect(await filesAtServer()).toEqual(files);
    await drive(b.runId);
    expect(await stored(b.runId, b.ids)).toEqual(expected(live));
  });

  it("a cancelled run's batch at a server that cannot be reached is looked at again until its 24 h window has passed, then given up as ended", async () => {
    const { runId } = await seedRun(SAMPLES.slice(0, 2));
    await runBatchPass(runId, passOptions());
    const [sent] = (await getRunBatchView(runId))!.inFlight;
    const unreachable = batchApiAt({ openai: new OpenAI({ baseURL: "http://127.0.0.1:9/v1", apiKey: "x", maxRetries: 0 }) });
    expect(await collectCancelled(runId, unreachable)).toBe(1);
    expect((await getRunBatchView(runId))!.inFlight).toEqual([
      expect.objectContaining({ batchId: sent.batchId, problem: expect.stringMatching(/^could not be cancelled: Connection error/) }),
    ]);
    // 23 hours after it was sent, still within its window (and the clocks' margin): looked at again.
    const pool = await getPool();
    await pool.query(`UPDATE run_batches SET created_at = now() - interval '23 hours' WHERE run_id = $1`, [runId]);
    expect(await collectCancelled(runId, unreachable)).toBe(1);
    // Past it, the server has ended the batch: nothing is left to look at, and the Runs page says why.
    await pool.query(`UPDATE run_batches SET created_at = now() - interval '26 hours' WHERE run_id = $1`, [runId]);
    expect(await collectCancelled(runId, unreachable)).toBe(0);
    const view = (await getRunBatchView(runId))!;
    expect(view.inFlight).toEqual([]);
    expect(view.latest).toMatchObject({ batchId: sent.batchId, status: "expired", problem: expect.stringMatching(/^Given up after the cancel: the server could not be reached \(Connection error\), and the batch's 24 h window has passed/) });
    expect(await collectCancelled(runId, unreachable)).toBe(0);
  });
});
