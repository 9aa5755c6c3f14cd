// Pipeline figures: the rule stages alone over the 60k set, and full runs (in-process worker, real queue, real
// database) against the project's fake LLM server in its own process, at zero latency and at 200 ms.
import { spawn } from "node:child_process";
import path from "node:path";
import { createReadStream } from "node:fs";
import { getPool } from "@/lib/db/client";
import { IMPORT_FORMATS } from "@/lib/formats";
import { readRecords } from "@/lib/formats/records";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorker } from "@/lib/jobs/worker";
import { renderCalls } from "@/lib/pipeline/render";
import { createRun, type RunOptions } from "@/lib/runs/create-run";
import { getRunProgress } from "@/lib/runs/queries";
import { getRunDetail } from "@/lib/runs/run-detail";
import { toAnswer } from "@/lib/samples/export";
import { importSamples } from "@/lib/samples/import";
import type { SampleInput, Tool } from "@/lib/samples/types";
import { sampleBlock } from "@/lib/llm/prompts/shared";
import { countTokens } from "@/lib/llm/tokens";
import { prepareStages } from "@/lib/pipeline/prepare";
import { RULES_ONLY, SAMPLE_STAGES, ruleVerdicts } from "@/lib/pipeline/rule-check";
import { stageName } from "@/lib/pipeline/stage-registry";
import { STAGES } from "@/lib/pipeline/stages";
import { loadBfclEntriesTheFakePasses, writeXlamSet } from "./generate-xlam";
import { duplicatesStage } from "@/lib/pipeline/stages/duplicates";
import { cpuMeter, cpuPerSample } from "./cpu";
import { PIPELINE_NODE_FLAGS } from "@/lib/process/node-flags";
import { median, type Report } from "./stats";

// The set is made of BFCL's evaluation queries, repeated: stage 0 (duplicates & contamination) would discard it all.
export const BFCL_SET = [duplicatesStage.id];

/** The stages ruleVerdicts runs (each sample on its own), for the figures' names: "1, 2, 3, 4, 5". */
const RULE_STAGES = SAMPLE_STAGES.map((s) => s.id).join(", ");

export async function ruleStagesBench(file: string, report: Report) {
  const samples: SampleInput[] = [];
  for await (const record of readRecords(createReadStream(file))) {
    if (!record.ok) continue;
    const sample = IMPORT_FORMATS.xlam.fromRecord(record.value, record, {});
    // xLAM has no CoT; a short one lets stages 3 and 5 check what they check on every sample.
    if (!("message" in sample)) samples.push({ ...sample, cot: "The user asks for this; the tool takes these values." });
  }
  const calls = await timeRuleStages(samples);
  report(`rule stages ${RULE_STAGES} over the set`, `${Math.round(samples.length / calls.seconds)} samples/s (${samples.length} samples, ${calls.seconds.toFixed(2)} s, ${calls.failed} stage failures; target ≥ 20,000/s)`);
  // The same samples with their answers kept as text: half a call list with prose after it (a call that does not
  // parse: stage 1 reads it as a call, stage 5 fails it), half prose naming the tool (a text sample). Stage 1 looks
  // into every one of them for a call.
  const asText = samples.map((sample, i): SampleInput => {
    const answer = sample.answer?.kind === "calls" ? sample.answer.calls : [];
    const text = i % 2 ? `${renderCalls(answer)}\nHope this helps!` : `I cannot do that with ${answer.map((c) => c.name).join(" or ")} (it needs more details).`;
    return { ...sample, answer: { kind: "text", text } };
  });
  const texts = await timeRuleStages(asText);
  report(`rule stages ${RULE_STAGES} over text answers`, `${Math.round(asText.length / texts.seconds)} samples/s (half malformed calls, half prose; ${texts.failed} stage failures; target ≥ 20,000/s)`);
}

/**
 * The stages that look across the dataset (Stage.prepare), each over the dataset the bench imported: reading it
 * from the database into what the stage keeps (once per run and worker process), the stage's one-time setup in a
 * process (its first sample), then its check per sample.
 */
export async function datasetStagesBench(datasetName: string, report: Report) {
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number }>("SELECT id FROM datasets WHERE name = $1", [datasetName]);
  const datasetId = rows[0].id;
  const samples = await pool.query(`SELECT id, query, tools, answer_kind, answer FROM samples WHERE dataset_id = $1 ORDER BY id`, [datasetId]);
  for (const stage of STAGES.filter((s) => s.prepare)) {
    const label = `stage ${stage.id} (${stageName(stage.id)})`;
    let t = performance.now();
    const prepared = (await prepareStages([stage], datasetId)).get(stage.id);
    report(`${label}: prepare`, `${((performance.now() - t) / 1000).toFixed(2)} s to read ${samples.rows.length} samples from the database into its index`);
    const each = samples.rows.map((r) => ({ id: r.id, query: r.query, tools: r.tools, answer: toAnswer(r.answer_kind, r.answer), cot: null }));
    t = performance.now();
    await stage.run(each[0], RULES_ONLY, prepared);
    const setup = (performance.now() - t) / 1000;
    t = performance.now();
    let failed = 0;
    for (const sample of each) failed += (await stage.run(sample, RULES_ONLY, prepared)).some((v) => v.outcome === "fail") ? 1 : 0;
    const seconds = (performance.now() - t) / 1000;
    report(
      `${label}: check`,
      `${Math.round(each.length / seconds)} samples/s (${each.length} in ${seconds.toFixed(2)} s, ${failed} failed; first sample ${setup.toFixed(2)} s with the per-process setup)`,
    );
  }
}

/** One pass of ruleVerdicts over `samples`: its time, and the stage failures (each stage failing a sample counts once). */
export async function timeRuleStages(samples: SampleInput[]): Promise<{ seconds: number; failed: number }> {
  const started = performance.now();
  let failed = 0;
  for (const sample of samples) {
    failed += new Set((await ruleVerdicts(sample)).filter((v) => v.outcome === "fail").map((v) => v.stage)).size;
  }
  return { seconds: (performance.now() - started) / 1000, failed };
}

/** The fake LLM server in its own process (`args`: more of its flags) while `work` runs (given its URL and process id). */
export async function withFakeLlm<T>(latencyMs: number, work: (url: string, pid: number) => Promise<T>, args: string[] = []): Promise<T> {
  // A free port (others' benchmarks and tests run beside this one): the fake says which it listens on.
  const child = spawn(process.execPath, [...PIPELINE_NODE_FLAGS, ...profileFlags(), "--import", "tsx", "--conditions=react-server", "lib/llm/fake-server.ts", "--port", "0", "--latency", String(latencyMs), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      const listening = /listening on (\S+)/.exec(chunk.toString());
      if (listening) resolve(listening[1]);
    });
    child.once("exit", (code) => reject(new Error(`fake LLM exited with ${code}`)));
  });
  try {
    return await work(url, child.pid!);
  } finally {
    child.kill("SIGTERM");
  }
}

/** BENCH_CPU_PROFILE_DIR: the fake LLM writes a V8 CPU profile there when it stops (run the bench itself with
 * `node --cpu-prof --cpu-prof-dir=… --import tsx --conditions=react-server bench/run.ts` for the studio's side). */
function profileFlags(): string[] {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

/** What a bench run changes: each record before import (by its index), and the run's options. */
export interface FullRunOptions {
  record?: (value: Record<string, unknown>, index: number) => Record<string, unknown>;
  run?: Partial<RunOptions>;
  /** The fake LLM's process, to say how much CPU it took. */
  llmPid?: number;
}

/** Imports the first `count` records of the set (each changed by `change`) into a fresh dataset; returns its name. */
export async function importBenchSet(file: string, count: number, change?: FullRunOptions["record"]): Promise<string> {
  const dataset = `bench-pipeline-${Date.now()}`;
  const records = (async function* () {
    // The first `count` records of the generated JSON array, as JSON Lines.
    let n = 0;
    for await (const record of readRecords(createReadStream(file))) {
      if (!record.ok) continue;
      const value = record.value as Record<string, unknown>;
      yield JSON.stringify(change ? change(value, n) : value) + "\n";
      if (++n >= count) return;
    }
  })();
  await importSamples({ datasetName: dataset, fileName: "bench.jsonl", format: "xlam", input: records });
  return dataset;
}

/** Imports `count` samples of the set into a fresh dataset and runs the full pipeline; returns rate and LLM calls. */
export async function fullRun(file: string, count: number, concurrency: number, url: string, options: FullRunOptions = {}) {
  const dataset = await importBenchSet(file, count, options.record);
  process.env.STUDIO_LLM_BASE_URL = url;
  process.env.STUDIO_LLM_MODEL ??= "fake-judge";
  const worker = await startWorker();
  const cpu = await cpuMeter(options.llmPid);
  const started = performance.now();
  const { runId } = await createRun({ datasetName: dataset, stages: "all", concurrency, skipStages: BFCL_SET, ...options.run });
  // Watched as a curator watches it: the Runs page asks for the run's details once a second (GET /api/runs/:id: the
  // run's samples and their stage outcomes counted, its calls and tokens summed). The end is seen within 100 ms from
  // the run's status alone.
  const pool = await getPool();
  for (let polls = 0; ; polls++) {
    if (polls % 10 === 0) await getRunDetail(runId);
    const { rows } = await pool.query<{ status: string }>("SELECT status FROM pipeline_runs WHERE id = $1", [runId]);
    if (rows[0].status !== "running") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const used = cpu.read();
  const progress = (await getRunProgress(runId))!;
  await worker.stop();
  // The requests each sample's run made, as the run recorded them (a combined judge's call stores three verdicts).
  const calls = await pool.query<{ n: number }>("SELECT coalesce(sum(llm_calls), 0)::int AS n FROM pipeline_run_samples WHERE run_id = $1", [runId]);
  const llmCalls = calls.rows[0].n;
  return { dataset, runId, seconds, rate: count / seconds, callsPerSample: llmCalls / count, status: progress.status, results: progress.results, progress, tokens: await runTokens(runId), cpu: used };
}

/** A run's tokens per sample as the fake LLM billed them, against the samples' own tokens as the prompts show them. */
async function runTokens(runId: number) {
  const pool = await getPool();
  const { rows } = await pool.query<{ query: string; tools: Tool[]; cot: string | null; answer_kind: string; answer: unknown; prompt: number; cached: number; completion: number }>(
    `SELECT s.query, s.tools, s.cot, s.answer_kind, s.answer, rs.prompt_tokens AS prompt, rs.cached_tokens AS cached, rs.completion_tokens AS completion
     FROM pipeline_run_samples rs JOIN samples s ON s.id = rs.sample_id WHERE rs.run_id = $1`,
    [runId],
  );
  let own = 0;
  const sums = { prompt: 0, cached: 0, completion: 0 };
  for (const r of rows) {
    const answer = toAnswer(r.answer_kind as never, r.answer);
    own += countTokens(sampleBlock({ query: r.query, tools: r.tools, cot: r.cot, calls: answer?.kind === "calls" ? answer.calls : null }));
    sums.prompt += r.prompt;
    sums.cached += r.cached;
    sums.completion += r.completion;
  }
  const n = rows.length || 1;
  return { own: own / n, prompt: sums.prompt / n, uncached: (sums.prompt - sums.cached) / n, completion: sums.completion / n };
}

/** The bench set's entries the fake judge passes (`count` of them, next to the bench file). */
export async function passingSet(benchFile: string, count: number): Promise<string> {
  const file = benchFile.replace(/\.json$/, `-passing-${count}.json`);
  await writeXlamSet(await loadBfclEntriesTheFakePasses(path.resolve("fixtures/bfcl")), count, file);
  return file;
}

/**
 * The full pipeline over a set of its own: the bench set's entries that the fake judge passes, so that every sample
 * goes through all five stages (a CoT from the teacher, three judges) as in every earlier figure.
 *
 * The 0 ms figures are taken `rounds` times, per-stage and combined runs in turn (each on a new dataset, with a new
 * fake): on a machine shared with other work identical runs differ by ±10%, and one run says little.
 */
export async function pipelineBench(benchFile: string, report: Report, rounds = 3) {
  const zeroCount = Number(process.env.BENCH_PIPELINE_SAMPLES) || 10_000;
  const slowCount = Number(process.env.BENCH_SLOW_SAMPLES) || 3_000;
  const file = await passingSet(benchFile, Math.max(zeroCount, slowCount));
  const perStage: Awaited<ReturnType<typeof fullRun>>[] = [];
  const combined: Awaited<ReturnType<typeof fullRun>>[] = [];
  for (let round = 0; round < rounds; round++) {
    perStage.push(await withFakeLlm(0, (url, llmPid) => fullRun(file, zeroCount, 64, url, { llmPid })));
    // The same with one judge call for stages 2–4: what fewer calls a sample buy.
    combined.push(await withFakeLlm(0, (url, llmPid) => fullRun(file, zeroCount, 64, url, { llmPid, run: { judgeMode: "combined" } })));
  }
  const zero = perStage[0];
  report(
    "full pipeline, judge at 0 ms, concurrency 64",
    `${zeroRates(perStage)} (${zeroCount} samples a run, ${zero.callsPerSample.toFixed(2)} LLM calls/sample, ${statuses(perStage)}; target ≥ 500/s)`,
  );
  report("full pipeline at 0 ms, where the CPU went", perStage.map((r) => cpuPerSample(r.cpu, zeroCount)).join("; "));
  const t = zero.tokens;
  report(
    "full pipeline, tokens per sample (fake's usage)",
    `prompt ${t.prompt.toFixed(0)}, uncached ${t.uncached.toFixed(0)}, completion ${t.completion.toFixed(0)}; own ${t.own.toFixed(0)} → prompt ${(t.prompt / t.own).toFixed(2)}×, uncached ${(t.uncached / t.own).toFixed(2)}× (target ≤ 2×)`,
  );
  report(
    "full pipeline, combined judge at 0 ms, concurrency 64",
    `${zeroRates(combined)} (${zeroCount} samples a run, ${combined[0].callsPerSample.toFixed(2)} LLM calls/sample, ${statuses(combined)}); ${combined.map((r) => cpuPerSample(r.cpu, zeroCount)).join("; ")}`,
  );
  const latency = 0.2;
  // A constant delay keeps the 64 samples in flight in lockstep: every 200 ms the fake and the studio each take a
  // burst of 64 requests at once. A real server's latency varies; the second figure spreads it ±25% (same mean).
  for (const jitter of [0, 0.25]) {
    const slow = await withFakeLlm(latency * 1000, (url, llmPid) => fullRun(file, slowCount, 64, url, { llmPid }), ["--latency-jitter", String(jitter)]);
    const ideal = 64 / (slow.callsPerSample * latency);
    report(
      `full pipeline, judge at 200 ms${jitter ? ` ± ${jitter * 100}%` : ""}, concurrency 64`,
      `${slow.rate.toFixed(1)} samples/s vs ideal ${ideal.toFixed(1)} (= 64 ÷ ${slow.callsPerSample.toFixed(2)} calls × 0.2 s) → ${Math.round((100 * slow.rate) / ideal)}% (target ≥ 90%; ${slowCount} samples, ${slow.status})`,
    );
  }
  await stopBoss();
}

/** "512 samples/s (median of 3 runs: 498, 512, 540/s)" */
function zeroRates(runs: { rate: number }[]): string {
  const rates = runs.map((r) => Math.round(r.rate));
  return `${Math.round(median(rates))} samples/s (median of ${rates.length} run${rates.length === 1 ? "" : "s"}: ${rates.join(", ")}/s)`;
}

/** "succeeded", or each run's status when one did not. */
function statuses(runs: { status: string }[]): string {
  return runs.every((r) => r.status === "succeeded") ? "succeeded" : runs.map((r) => r.status).join(", ");
}
