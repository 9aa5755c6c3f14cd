// Pipeline runs end to end on the real database: import a small xLAM set, create a run, let an in-process worker
// (pg-boss) take it through the five stages against the project's fake LLM server, and check what a curator sees:
// each sample's status, its verdicts and revisions, the run's progress counts and tokens; plus duplicate job
// delivery, concurrent edits, pause/resume, cancel and a run that cannot start.
import { useOwnDatabase } from "@/test/own-database";
import { readFile, writeFile } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { summarize } from "@/lib/cli/run";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { processChunk } from "@/lib/jobs/pipeline-chunk";
import { startWorker } from "@/lib/jobs/worker";
import { FAKE_BAD_ARGUMENT } from "@/lib/llm/fake-server";
import { controlRun, RunStateError } from "@/lib/runs/control";
import { createRun, RunConfigError } from "@/lib/runs/create-run";
import { getRunProgress, type RunProgress } from "@/lib/runs/queries";
import { stageOutcome, type Outcome } from "@/lib/pipeline/types";
import { importSamples } from "@/lib/samples/import";
import { storeOutcomes, type RunSampleOutcome } from "@/lib/pipeline/store";
import { useFakeLlm } from "@/test/fake-llm";
import { fileDir } from "./temp-dir";

const TOOLS = [
  {
    name: "get_weather",
    description: "Current weather for a city.",
    parameters: {
      city: { description: "The city name.", type: "str", default: "" },
      units: { description: "metric or imperial.", type: "str, optional", default: "metric" },
    },
  },
];
const GOOD = [{ name: "get_weather", arguments: { city: "Lyon" } }];
const UNKNOWN_ARGUMENT = [{ name: "get_weather", arguments: { city: "Lyon", colour: "blue" } }];

/** One xLAM line: tools and answers as JSON strings, like the original file. */
function xlam(id: string, query: string, calls: object[], extra: Record<string, unknown> = {}) {
  return { id, query, tools: JSON.stringify(TOOLS), answers: JSON.stringify(calls), ...extra };
}

// This file's own database (migrated on first use): its job queue must not share chunks with other test files'
// workers (the kill -9 test runs worker processes against the shared test database, with its own fake LLM).
const ownDatabase = await useOwnDatabase("runs");

const llm = useFakeLlm({ latencyMs: 0 }, { env: true });
let worker: { stop(): Promise<void> } | null = null;

const dir = await fileDir("studio-pipeline-run-");
afterAll(async () => {
  await stopBoss();
  await closeDb();
  await ownDatabase.drop();
});

async function ensureWorker() {
  worker ??= await startWorker();
}
/** No worker in this process: jobs wait in the queue (the queue itself may run, createRun starts it). */
async function stopWorker() {
  await stopBoss();
  worker = null;
}

let datasetSeq = 0;
async function importSet(records: object[]): Promise<string> {
  const name = `prun-${process.pid}-${++datasetSeq}`;
  const file = path.join(dir, `${name}.jsonl`);
  await writeFile(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const summary = await importSamples({ datasetName: name, fileName: `${name}.jsonl`, input: createReadStream(file) });
  expect(summary).toMatchObject({ ok: true, format: "xlam", inserted: records.length, rejected: 0 });
  return name;
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const progressOf = (runId: number) => () => getRunProgress(runId).then((p) => p!);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SampleRow {
  id: number;
  source_id: string;
  status: string;
  version: number;
  query: string;
  cot: string | null;
  answer_kind: string | null;
  answer: unknown;
  result: string | null;
  regenerations: number;
  finished: boolean;
}
async function samplesOf(runId: number): Promise<Map<string, SampleRow>> {
  const pool = await getPool();
  const { rows } = await pool.query<SampleRow>(
    `SELECT s.id, s.source_id, s.status::text, s.version, s.query, s.cot, s.answer_kind::text, s.answer, m.result, m.regenerations,
       m.finished_at IS NOT NULL AS finished
     FROM pipeline_run_samples m JOIN samples s ON s.id = m.sample_id WHERE m.run_id = $1 ORDER BY s.id`,
    [runId],
  );
  return new Map(rows.map((r) => [r.source_id, r]));
}

interface VerdictRow {
  sample_id: number;
  run_id: number;
  stage: number;
  outcome: string;
  reason: string;
  decided_by: string;
  attempt: number;
  prompt_version: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  latency_ms: number | null;
}
async function verdictsOf(runId: number): Promise<VerdictRow[]> {
  const pool = await getPool();
  const { rows } = await pool.query<VerdictRow>(
    `SELECT sample_id, run_id, stage, outcome::text, reason, decided_by, attempt, prompt_version, prompt_tokens, completion_tokens, latency_ms
     FROM stage_verdicts WHERE run_id = $1 ORDER BY id`,
    [runId],
  );
  return rows;
}

interface RevisionRow {
  sample_id: number;
  version: number;
  reason: string;
  author: string;
  cot_before: string | null;
  cot_after: string | null;
  answer_after: unknown;
}
async function revisionsOf(runId: number): Promise<RevisionRow[]> {
  const pool = await getPool();
  const { rows } = await pool.query<RevisionRow>(
    `SELECT sample_id, version, reason, author, cot_before, cot_after, answer_after FROM sample_revisions WHERE run_id = $1 ORDER BY id`,
    [runId],
  );
  return rows;
}

/** How many rows each table holds for a run: what "writes nothing new" compares. */
async function footprint(runId: number) {
  const pool = await getPool();
  const { rows } = await pool.query(
    `SELECT (SELECT count(*)::int FROM stage_verdicts WHERE run_id = $1) AS verdicts,
       (SELECT count(*)::int FROM sample_revisions WHERE run_id = $1) AS revisions,
       (SELECT sum(s.version)::int FROM pipeline_run_samples m JOIN samples s ON s.id = m.sample_id WHERE m.run_id = $1) AS versions,
       (SELECT sum(prompt_tokens + completion_tokens)::int FROM pipeline_run_samples WHERE run_id = $1) AS tokens`,
    [runId],
  );
  return rows[0];
}

async function chunkJobOf(runId: number) {
  const pool = await getPool();
  const { rows } = await pool.query<{ sample_id: number }>("SELECT sample_id FROM pipeline_run_samples WHERE run_id = $1 ORDER BY sample_id", [runId]);
  return { runId, sampleIds: rows.map((r) => r.sample_id) };
}

describe("a pipeline run over a mixed xLAM set", () => {
  const MAX_REGENERATIONS = 2;
  // source id → the sample's status after the run (and its regenerations, when any)
  const expected: Record<string, { status: string; regenerations?: number }> = {
    "ok-1": { status: "passed" },
    "ok-2": { status: "passed" },
    "ok-3": { status: "passed" },
    "ok-4": { status: "passed" },
    text: { status: "text" },
    "query-tools-fail": { status: "discarded" },
    "cot-fail": { status: "discarded" },
    "missing-function": { status: "discarded" },
    regenerated: { status: "passed", regenerations: 1 },
    exhausted: { status: "discarded", regenerations: MAX_REGENERATIONS },
    "judge-500": { status: "flagged" },
    "judge-garbage": { status: "flagged" },
  };
  const records = [
    xlam("ok-1", "What is the weather in Lyon?", GOOD),
    xlam("ok-2", "How is the weather in Lyon today?", GOOD),
    xlam("ok-3", "Is it raining in Lyon? Check the weather.", GOOD),
    xlam("ok-4", "Lyon weather please.", GOOD),
    xlam("text", "Book me a flight to Lyon.", [], { answer_text: "I can only look up the weather.", cot: "No tool books flights, so I say so." }),
    xlam("query-tools-fail", "Weather in Lyon? [[fake:fail@judge-query-tools]]", GOOD),
    xlam("cot-fail", "Weather in Lyon? [[fake:fail@judge-cot]]", GOOD),
    xlam("missing-function", "Fly me to Lyon.", [{ name: "book_flight", arguments: { to: "Lyon" } }]),
    xlam("regenerated", "Weather in Lyon, in blue?", UNKNOWN_ARGUMENT),
    xlam("exhausted", "Weather in Lyon, in blue? [[fake:teacher-bad]]", UNKNOWN_ARGUMENT),
    xlam("judge-500", "Weather in Lyon? [[fake:500@judge]]", GOOD),
    xlam("judge-garbage", "Weather in Lyon? [[fake:garbage@judge-values]]", GOOD),
  ];
  let runId: number;
  let progress: RunProgress;
  let samples: Map<string, SampleRow>;
  let verdicts: VerdictRow[];
  let revisions: RevisionRow[];
  let billed: { prompt: number; cached: number; completion: number; teacher: number };

  beforeAll(async () => {
    const dataset = await importSet(records);
    await ensureWorker();
    llm.reset();
    const created = await createRun({ datasetName: dataset, stages: "all", concurrency: 4, maxRegenerations: MAX_REGENERATIONS });
    runId = created.runId;
    expect(created.total).toBe(records.length);
    progress = await waitFor("the run to end", progressOf(runId), (p) => p.status !== "running");
    samples = await samplesOf(runId);
    verdicts = await verdictsOf(runId);
    revisions = await revisionsOf(runId);
    billed = { prompt: 0, cached: 0, completion: 0, teacher: 0 };
    for (const r of llm.requests) {
      billed.prompt += r.usage?.prompt_tokens ?? 0;
      billed.cached += r.usage?.prompt_tokens_details.cached_tokens ?? 0;
      billed.completion += r.usage?.completion_tokens ?? 0;
      if (r.task === "teacher") billed.teacher += (r.usage?.prompt_tokens ?? 0) + (r.usage?.completion_tokens ?? 0);
    }
  });

  const of = (source: string) => samples.get(source)!;
  const verdictsFor = (source: string) => verdicts.filter((v) => v.sample_id === of(source).id);
  const stagesRun = (source: string, attempt = 1) => [...new Set(verdictsFor(source).filter((v) => v.attempt === attempt).map((v) => v.stage))];

  it("succeeds with every sample in its expected status, in the samples table and in the run", () => {
    expect(progress.status).toBe("succeeded");
    expect(progress.finished).toBe(records.length);
    for (const [source, want] of Object.entries(expected)) {
      const row = of(source);
      expect({ source, status: row.status, result: row.result, regenerations: row.regenerations }).toEqual({
        source,
        status: want.status,
        result: want.status,
        regenerations: want.regenerations ?? 0,
      });
    }
    expect(progress.results).toEqual({ passed: 5, text: 1, discarded: 4, flagged: 2 });
    expect(summarize(progress)).toMatchObject({ saved: 6, discarded: 4, flagged: 2, regenerated: 2 });
  });

  it("stops each sample at the stage its failure action says", () => {
    // Stage 0 (duplicates & contamination, on by default) looks at every sample first, as it was stored.
    expect(stagesRun("ok-1")).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stagesRun("text")).toEqual([0, 1]);
    expect(stagesRun("query-tools-fail")).toEqual([0, 1, 2]);
    expect(stagesRun("cot-fail")).toEqual([0, 1, 2, 3]);
    // The rule pre-check decides: the judge is never asked about a function the tools do not have.
    expect(verdictsFor("missing-function").filter((v) => v.stage === 2)).toEqual([
      expect.objectContaining({ outcome: "fail", decided_by: "rule:tool-names", reason: expect.stringContaining("book_flight") }),
    ]);
    expect(stagesRun("regenerated", 1)).toEqual([0, 1, 2, 3, 4]);
    expect(stagesRun("regenerated", 2)).toEqual([3, 4, 5]);
    // Exhausted: attempts 1..1+max, each with its own stage 4 rule failure.
    for (let attempt = 1; attempt <= 1 + MAX_REGENERATIONS; attempt++) {
      const rule = verdictsFor("exhausted").find((v) => v.attempt === attempt && v.stage === 4);
      expect(rule, `attempt ${attempt}`).toMatchObject({ outcome: "fail", decided_by: "rule:function-params" });
    }
    expect(Math.max(...verdictsFor("exhausted").map((v) => v.attempt))).toBe(1 + MAX_REGENERATIONS);
    expect(verdictsFor("exhausted").find((v) => v.attempt === 3 && v.stage === 4)!.reason).toContain(FAKE_BAD_ARGUMENT);
  });

  it("stores judge faults as error verdicts, never as failures", () => {
    const fault500 = verdictsFor("judge-500").filter((v) => v.decided_by.startsWith("llm:"));
    expect(fault500).toEqual([expect.objectContaining({ stage: 2, outcome: "error", reason: expect.stringContaining("server_error") })]);
    const garbage = verdictsFor("judge-garbage").filter((v) => v.outcome === "error");
    expect(garbage).toEqual([expect.objectContaining({ stage: 4, reason: expect.stringContaining("unparseable") })]);
    for (const source of ["judge-500", "judge-garbage"]) expect(verdictsFor(source).some((v) => v.outcome === "fail")).toBe(false);
  });

  it("records every verdict with its run, decider, attempt, and the prompt version and tokens of LLM ones", () => {
    expect(verdicts.length).toBeGreaterThan(records.length * 2);
    for (const v of verdicts) {
      expect(v.run_id).toBe(runId);
      expect(v.attempt).toBeGreaterThanOrEqual(1);
      expect(v.decided_by).toMatch(/^(rule:[a-z-]+|llm:fake-judge)$/);
      if (v.decided_by.startsWith("rule:")) {
        expect(v, "a rule verdict has no prompt or tokens").toMatchObject({ prompt_version: null, prompt_tokens: null });
      } else {
        expect(v.prompt_version).toMatch(/^judge-[a-z-]+\.v\d+$/);
        expect(v.latency_ms).toBeGreaterThanOrEqual(0);
        // An answered call was billed; an HTTP 500 was not.
        if (v.outcome === "error" && v.reason.includes("server_error")) expect(v.prompt_tokens).toBe(0);
        else expect(v.prompt_tokens! * v.completion_tokens!).toBeGreaterThan(0);
      }
    }
    // No verdict twice for one sample, stage, attempt and decider.
    const keys = verdicts.map((v) => `${v.sample_id}/${v.stage}/${v.attempt}/${v.decided_by}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("keeps a revision for every generated CoT and every regeneration, numbered by the sample's versions", () => {
    for (const source of ["ok-1", "query-tools-fail", "judge-500"]) {
      const mine = revisions.filter((r) => r.sample_id === of(source).id);
      expect(mine).toEqual([
        expect.objectContaining({ author: "llm:fake-judge", cot_before: null, reason: expect.stringMatching(/^Generated a chain of thought/) }),
      ]);
      expect(mine[0].cot_after).toBe(of(source).cot);
    }
    expect(revisions.filter((r) => r.sample_id === of("text").id)).toEqual([]);
    expect(of("text")).toMatchObject({ answer_kind: "text", version: 2 });

    const regenerated = revisions.filter((r) => r.sample_id === of("regenerated").id);
    expect(regenerated.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^Generated a chain of thought/),
      expect.stringMatching(/^Regenerated the answer \(attempt 2\) after: stage 4: get_weather\(colour=…\): colour is not a parameter/),
    ]);
    expect(of("regenerated").answer).toEqual(regenerated[1].answer_after);
    // The fake teacher repaired the rejected calls: the unknown argument dropped, the city the query names kept.
    expect(of("regenerated").answer).toEqual([{ name: "get_weather", arguments: { city: "Lyon" } }]);
    expect(revisions.filter((r) => r.sample_id === of("exhausted").id)).toHaveLength(1 + MAX_REGENERATIONS);

    // Each revision is a version of its sample: distinct, after the imported version 1, the last one the current.
    for (const row of samples.values()) {
      const versions = revisions.filter((r) => r.sample_id === row.id).map((r) => r.version);
      if (versions.length === 0) continue;
      expect({ source: row.source_id, versions }).toEqual({ source: row.source_id, versions: versions.map((_, i) => 2 + i) });
      expect(row.version, row.source_id).toBe(1 + versions.length);
    }
  });

  it("reports per stage × outcome how many samples ended there: each sample once per stage, on its last attempt", () => {
    const last = new Map<string, VerdictRow[]>();
    for (const v of verdicts) {
      const key = `${v.sample_id}:${v.stage}`;
      const seen = last.get(key);
      if (!seen || v.attempt > seen[0].attempt) last.set(key, [v]);
      else if (v.attempt === seen[0].attempt) seen.push(v);
    }
    const direct: Record<string, Record<string, number>> = {};
    for (const [key, stageVerdicts] of last) {
      const stage = key.split(":")[1];
      const outcome = stageOutcome(stageVerdicts as { outcome: Outcome }[]);
      (direct[stage] ??= {})[outcome] = (direct[stage]?.[outcome] ?? 0) + 1;
    }
    expect(progress.stages_).toEqual(direct);
    // A stage with a rule and a judge verdict per sample still counts each sample once.
    for (const [stage, outcomes] of Object.entries(progress.stages_)) {
      expect(Object.values(outcomes).reduce((a, b) => a + b, 0), `stage ${stage}`).toBeLessThanOrEqual(records.length);
    }
    expect(Object.values(progress.stages_[2]).reduce((a, b) => a + b, 0)).toBeLessThan(verdicts.filter((v) => v.stage === 2).length);
    expect(progress.stages_[1]).toEqual({ pass: records.length });
    // Stage 5 passes once per saved call sample (4 ok + the regenerated one, on its second attempt).
    expect(progress.stages_[5]).toEqual({ pass: 5 });
  });

  it("gives a run finished before run samples kept their stage outcomes the same counts (the migration's backfill)", async () => {
    const pool = await getPool();
    const migration = await readFile(path.resolve("prisma/migrations/20261206001000_run_sample_stage_outcomes/migration.sql"), "utf8");
    const backfill = migration.slice(migration.indexOf("WITH last AS"));
    await pool.query("UPDATE pipeline_run_samples SET stage_outcomes = '{}' WHERE run_id = $1", [runId]);
    expect((await getRunProgress(runId))!.stages_).toEqual({});
    await pool.query(backfill);
    expect((await getRunProgress(runId))!.stages_).toEqual(progress.stages_);
  });

  it("sums tokens in the summary: every verdict's plus the teacher's, exactly what the LLM server billed", () => {
    const verdictTokens = verdicts.reduce((n, v) => n + (v.prompt_tokens ?? 0) + (v.completion_tokens ?? 0), 0);
    expect(billed.teacher).toBeGreaterThan(0);
    expect(summarize(progress).tokens).toEqual({ prompt: billed.prompt, cached: billed.cached, completion: billed.completion });
    expect(progress.tokens.prompt + progress.tokens.completion).toBe(verdictTokens + billed.teacher);
  });
});

describe("a pipeline run over a conversation", () => {
  it("judges every assistant turn, stores each verdict with its turn, and a repaired turn ends the conversation (kept on the revision)", async () => {
    const weather = (city: string, extra: Record<string, unknown> = {}) => ({ name: "get_weather", arguments: { city, ...extra } });
    const call = (id: string, args: object) => ({ id, type: "function", function: { name: "get_weather", arguments: JSON.stringify(args) } });
    const record = {
      id: "conv-1",
      tools: TOOLS.map((tool) => ({ type: "function", function: tool })),
      messages: [
        { role: "user", content: "What is the weather in Lyon?" },
        { role: "assistant", content: "<think>Lyon, so get_weather(city=Lyon).</think>", tool_calls: [call("c1", { city: "Lyon" })] },
        { role: "tool", tool_call_id: "c1", content: '{"sky": "clear"}' },
        { role: "assistant", content: "<think>Report it.</think>Clear in Lyon." },
        { role: "user", content: "And in Oslo, in blue?" },
        { role: "assistant", content: "<think>Oslo now.</think>", tool_calls: [call("c2", { city: "Oslo", colour: "blue" })] },
        { role: "tool", tool_call_id: "c2", content: '{"sky": "snow"}' },
        { role: "assistant", content: "<think>Report it.</think>Snow in Oslo." },
      ],
    };
    const name = `prun-${process.pid}-${++datasetSeq}`;
    const summary = await importSamples({ datasetName: name, fileName: "conv.jsonl", input: Readable.from([JSON.stringify(record) + "\n"]) });
    expect(summary).toMatchObject({ ok: true, format: "chat", inserted: 1, furtherTurns: 1 });
    await ensureWorker();
    const { runId } = await createRun({ datasetName: name, stages: "all", concurrency: 1, maxRegenerations: 1 });
    expect((await waitFor("the run to end", progressOf(runId), (p) => p.status !== "running")).status).toBe("succeeded");

    const pool = await getPool();
    const sample = (await pool.query("SELECT id, status::text, turns, follow_up FROM samples WHERE source_id = 'conv-1' AND dataset_id = (SELECT id FROM datasets WHERE name = $1)", [name])).rows[0];
    expect(sample.status).toBe("passed");
    // Turn 3's call had an argument the tool does not take: regenerated, so the result and the answer after it went.
    expect(sample.turns).toBe(3);
    expect(sample.follow_up).toHaveLength(4);
    expect(sample.follow_up[3].answer.calls[0]).not.toEqual(weather("Oslo", { colour: "blue" }));
    const verdicts = (await pool.query("SELECT turn, stage, outcome::text, attempt FROM stage_verdicts WHERE sample_id = $1 ORDER BY id", [sample.id])).rows;
    expect(new Set(verdicts.map((v) => v.turn))).toEqual(new Set([1, 2, 3]));
    expect(verdicts.filter((v) => v.outcome === "fail")).toEqual([expect.objectContaining({ turn: 3, stage: 4, attempt: 1 })]);
    const revision = (await pool.query("SELECT turn, reason, follow_up_before, follow_up_after FROM sample_revisions WHERE sample_id = $1 AND reason LIKE 'Regenerated%'", [sample.id])).rows[0];
    expect(revision.turn).toBe(3);
    expect(revision.reason).toMatch(/The 2 messages after turn 3 were removed/);
    expect(revision.follow_up_before).toHaveLength(6);
    expect(revision.follow_up_after).toEqual(sample.follow_up);
  });
});

describe("pipeline runs: delivery, edits, pause, cancel", () => {
  beforeEach(() => llm.reset());

  it("a chunk delivered twice at once, and once more later, is written exactly once", async () => {
    await stopWorker(); // the queued job must not run on its own here
    const dataset = await importSet([1, 2, 3, 4, 5].map((i) => xlam(`dup-${i}`, `Weather in Lyon, city number ${i}?`, GOOD)));
    const { runId } = await createRun({ datasetName: dataset, stages: "all", concurrency: 4 });
    const job = await chunkJobOf(runId);
    await Promise.all([processChunk(job), processChunk(job)]);
    // Both deliveries did the LLM work: each sample was refined twice, yet written once.
    expect(llm.requests.filter((r) => r.promptId === "teacher-cot.v2")).toHaveLength(10);

    const progress = await getRunProgress(runId);
    expect(progress).toMatchObject({ status: "succeeded", finished: 5, results: { passed: 5 } });
    const once = await footprint(runId);
    expect(once).toMatchObject({ revisions: 5, versions: 10 });
    expect(progress!.stages_[1]).toEqual({ pass: 5 });
    expect(progress!.stages_[5]).toEqual({ pass: 5 });

    await processChunk(job);
    expect(await footprint(runId)).toEqual(once);
    // The queue's own copy of the job runs once a worker is back: still nothing new.
    await ensureWorker();
    const pool = await getPool();
    await waitFor(
      "the queued chunk to be done",
      () => pool.query(`SELECT state FROM pgboss.job WHERE (data->>'runId')::int = $1`, [runId]).then((r) => r.rows.map((x) => x.state)),
      (states) => states.length > 0 && states.every((s) => s === "completed"),
    );
    expect(await footprint(runId)).toEqual(once);
  });

  it("outcomes written together in one statement: each alone is written, finished elsewhere, or a conflict", async () => {
    await stopWorker();
    const dataset = await importSet([1, 2, 3, 4].map((i) => xlam(`together-${i}`, `Weather in Lyon, village number ${i}?`, GOOD)));
    const { runId } = await createRun({ datasetName: dataset, stages: "all", concurrency: 4 });
    const samples = [...(await samplesOf(runId)).values()];
    const passed = (row: SampleRow, cot: string): RunSampleOutcome => ({
      sampleId: row.id,
      version: row.version,
      outcome: {
        result: "passed", reason: "Passed all 5 stages.", regenerations: 0, calls: 1, tokens: { prompt: 10, cached: 0, completion: 5 },
        sample: { id: row.id, query: row.query, tools: TOOLS as never, answer: { kind: "calls", calls: GOOD }, cot },
        verdicts: [{ stage: 1, outcome: "pass", reason: "The answer is a call list.", evidence: {}, decidedBy: "rule:classify", attempt: 1 }],
        revisions: [{ before: { answer: { kind: "calls", calls: GOOD }, cot: null }, after: { answer: { kind: "calls", calls: GOOD }, cot }, reason: "Generated a CoT.", author: "llm:test" }],
      },
    });
    // Another worker finished sample 3 first; a reviewer edited sample 4 since the run took it in.
    expect(await storeOutcomes(runId, [passed(samples[2], "First worker's reasoning.")])).toEqual([{ written: true, result: "passed" }]);
    const pool = await getPool();
    await pool.query(`UPDATE samples SET query = 'Weather in Paris?', version = version + 1 WHERE id = $1`, [samples[3].id]);

    const stored = await storeOutcomes(runId, samples.map((row) => passed(row, `Reasoning for ${row.source_id}.`)));
    expect(stored).toEqual([
      { written: true, result: "passed" },
      { written: true, result: "passed" },
      { written: false, result: "already-finished" },
      { written: false, result: "conflict" },
    ]);
    const after = await samplesOf(runId);
    expect([...after.values()].map((r) => [r.source_id, r.status, r.result, r.cot, r.version])).toEqual([
      ["together-1", "passed", "passed", "Reasoning for together-1.", 2],
      ["together-2", "passed", "passed", "Reasoning for together-2.", 2],
      ["together-3", "passed", "passed", "First worker's reasoning.", 2],
      ["together-4", "pending", "conflict", null, 2],
    ]);
    const verdicts = await verdictsOf(runId);
    expect(samples.map((row) => verdicts.filter((v) => v.sample_id === row.id).length)).toEqual([1, 1, 1, 0]);
    expect(await footprint(runId)).toMatchObject({ revisions: 3 });
  });

  it("a new run's size is known to the planner at once (else each outcome write read every mark of the run)", async () => {
    await stopWorker();
    const dataset = await importSet(Array.from({ length: 300 }, (_, i) => xlam(`sized-${i}`, `Weather in Lyon, district number ${i}?`, GOOD)));
    const { runId } = await createRun({ datasetName: dataset, stages: "rules", concurrency: 1 });
    const pool = await getPool();
    const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) SELECT 1 FROM pipeline_run_samples WHERE run_id = ${runId}`);
    expect(rows[0]["QUERY PLAN"][0].Plan["Plan Rows"]).toBeGreaterThan(150);
  });

  it("a sample edited after the run was created ends as a conflict in the run, its status and content untouched", async () => {
    await stopWorker();
    const dataset = await importSet([1, 2, 3, 4].map((i) => xlam(`edit-${i}`, `Weather in Lyon, town number ${i}?`, GOOD)));
    const { runId } = await createRun({ datasetName: dataset, stages: "all", concurrency: 2 });
    const pool = await getPool();
    const edited = (await samplesOf(runId)).get("edit-2")!;
    // A reviewer's edit lands while the run waits in the queue.
    await pool.query(`UPDATE samples SET query = 'Weather in Paris?', version = version + 1, updated_at = now() WHERE id = $1`, [edited.id]);
    await ensureWorker();
    const end = await waitFor("the run to end", progressOf(runId), (p) => p.status !== "running");
    expect(end).toMatchObject({ status: "succeeded", finished: 4, results: { passed: 3, conflict: 1 } });

    const after = (await samplesOf(runId)).get("edit-2")!;
    expect(after).toMatchObject({ result: "conflict", status: "pending", version: 2, query: "Weather in Paris?", cot: null, answer: GOOD });
    const touched = await pool.query(
      `SELECT (SELECT count(*)::int FROM stage_verdicts WHERE sample_id = $1) AS verdicts,
         (SELECT count(*)::int FROM sample_revisions WHERE sample_id = $1) AS revisions`,
      [edited.id],
    );
    expect(touched.rows[0]).toEqual({ verdicts: 0, revisions: 0 });
  });

  it("pause stops further samples; resume finishes the run", async () => {
    await ensureWorker();
    const TOTAL = 5;
    const dataset = await importSet(Array.from({ length: TOTAL }, (_, i) => xlam(`pause-${i}`, `Weather in Lyon, village ${i}? [[fake:slow=300]]`, GOOD)));
    const { runId } = await createRun({ datasetName: dataset, stages: "all", concurrency: 1 });
    const progress = progressOf(runId);
    await waitFor("the first sample", progress, (p) => p.finished >= 1);
    await controlRun(runId, "pause");

    // The sample in hand may still finish (and the status is re-read once a second); after that, nothing.
    await sleep(2_500);
    const settled = await progress();
    await sleep(1_500);
    const later = await progress();
    expect(later.status).toBe("paused");
    expect(later.finished).toBe(settled.finished);
    expect(later.finished).toBeLessThan(TOTAL);
    const unfinished = [...(await samplesOf(runId)).values()].filter((s) => !s.finished);
    expect(unfinished.length).toBe(TOTAL - later.finished);
    for (const s of unfinished) expect(s, s.source_id).toMatchObject({ status: "pending", version: 1 });

    await controlRun(runId, "resume");
    const end = await waitFor("the resumed run to end", progress, (p) => p.status !== "running");
    expect(end).toMatchObject({ status: "succeeded", finished: TOTAL, results: { passed: TOTAL } });
    expect(end.stages_[1]).toEqual({ pass: TOTAL });
  });

  it("cancel ends the run cancelled and leaves unfinished samples untouched", async () => {
    await ensureWorker();
    const TOTAL = 5;
    const dataset = await importSet(Array.from({ length: TOTAL }, (_, i) => xlam(`cancel-${i}`, `Weather in Lyon, hamlet ${i}? [[fake:slow=300]]`, GOOD)));
    const { runId } = await createRun({ datasetName: dataset, stages: "all", concurrency: 1 });
    const progress = progressOf(runId);
    await waitFor("the first sample", progress, (p) => p.finished >= 1);
    await controlRun(runId, "cancel");
    await sleep(2_500);
    const settled = await progress();
    await sleep(1_500);
    const end = await progress();
    expect(end.status).toBe("cancelled");
    expect(end.finishedAt).not.toBeNull();
    expect(end.finished).toBe(settled.finished);
    expect(end.finished).toBeLessThan(TOTAL);

    const pool = await getPool();
    const unfinished = [...(await samplesOf(runId)).values()].filter((s) => !s.finished);
    expect(unfinished.length).toBe(TOTAL - end.finished);
    for (const s of unfinished) {
      expect(s, s.source_id).toMatchObject({ status: "pending", version: 1, cot: null, result: null });
      const written = await pool.query(
        `SELECT (SELECT count(*)::int FROM stage_verdicts WHERE sample_id = $1) + (SELECT count(*)::int FROM sample_revisions WHERE sample_id = $1) AS n`,
        [s.id],
      );
      expect(written.rows[0].n, s.source_id).toBe(0);
    }
    await expect(controlRun(runId, "resume")).rejects.toThrow(RunStateError);
  });

  it("a full run without an LLM configured is refused with a clear RunConfigError, and creates nothing", async () => {
    const dataset = await importSet([xlam("cfg-1", "Weather in Nice?", GOOD)]);
    const pool = await getPool();
    const count = () => pool.query("SELECT count(*)::int AS n FROM pipeline_runs").then((r) => r.rows[0].n);
    const before = await count();
    const url = process.env.STUDIO_LLM_BASE_URL;
    delete process.env.STUDIO_LLM_BASE_URL;
    try {
      const attempt = createRun({ datasetName: dataset, stages: "all" });
      await expect(attempt).rejects.toThrow(RunConfigError);
      await expect(attempt).rejects.toThrow(/Settings page.*STUDIO_LLM_BASE_URL.*rules only/);
      expect(await count()).toBe(before);

      // A rules run needs no LLM: it records rule verdicts only and leaves the sample for a full run.
      await ensureWorker();
      const { runId } = await createRun({ datasetName: dataset, stages: "rules" });
      const end = await waitFor("the rules run to end", progressOf(runId), (p) => p.status !== "running");
      expect(end).toMatchObject({ status: "succeeded", results: { pending: 1 }, tokens: { prompt: 0, cached: 0, completion: 0 } });
      expect((await verdictsOf(runId)).every((v) => v.decided_by.startsWith("rule:"))).toBe(true);
      expect((await samplesOf(runId)).get("cfg-1")).toMatchObject({ status: "pending", cot: null });
      expect(llm.requests).toEqual([]);
    } finally {
      process.env.STUDIO_LLM_BASE_URL = url;
    }
  });
});
