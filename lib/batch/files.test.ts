// Batch files by hand (run mode offline): export a stage's requests, run them elsewhere (here: each line answered by
// the fake's chat completions, as `vllm run-batch` answers them), import the output, until the run is finished; an
// output file with bad lines is refused whole, naming each line and field, and so is an old output of requests
// exported again since its errors were imported.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { createRun } from "@/lib/runs/create-run";
import { getRunProgress } from "@/lib/runs/queries";
import { useFakeLlm } from "@/test/fake-llm";
import { seedDataset, type SeedSample } from "@/test/seed";
import { runBatchElsewhere } from "@/test/studio-cli";
import { BatchFileError, exportBatchFile, importBatchFile } from "./files";
import { getRunBatchView } from "./store";
import type { WalkOptions } from "./pass";
import type { StageId } from "@/lib/pipeline/stage-registry";

const llm = useFakeLlm({ prefixCache: null }, { env: true });
afterAll(() => closeDb());

const options: WalkOptions = {
  refine: { stages: "all", modelFor: (stage) => `judge-stage${stage}`, maxRegenerations: 2 },
  judgeModel: "fake-judge",
  teacherModel: "fake-teacher",
  maxRetries: 2,
};

const dir = await mkdtemp(path.join(tmpdir(), "batch-files-"));
afterAll(() => rm(dir, { recursive: true, force: true }));
let files = 0;

/** Exports stage `stage`'s requests to a new file: the report, and the file's text ("" when no file was written). */
async function exportStage(runId: number, stage: StageId, walkOptions = options, model?: string) {
  const out = path.join(dir, `export-${++files}.jsonl`);
  const report = await exportBatchFile(runId, stage, out, walkOptions, model);
  expect(existsSync(`${out}.partial`)).toBe(false);
  // Every file names one model.
  expect(new Set(modelsOf(existsSync(out) ? await readFile(out, "utf8") : "")).size).toBeLessThanOrEqual(1);
  return { ...report, out, jsonl: existsSync(out) ? await readFile(out, "utf8") : "" };
}

/** Imports `text` as an output file. */
async function importText(runId: number, text: string) {
  const file = path.join(dir, `import-${++files}.jsonl`);
  await writeFile(file, text);
  return importBatchFile(runId, file, options);
}

async function offlineRun(samples: SeedSample[]): Promise<number> {
  const { name } = await seedDataset(samples, "batch-files");
  const { runId } = await createRun({ datasetName: name, stages: "all", mode: "offline", skipStages: [0] });
  return runId;
}

const modelsOf = (jsonl: string): string[] =>
  jsonl
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line).body.model);

const bodiesOf = (jsonl: string) =>
  jsonl
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line).body);

const promptsOf = (jsonl: string) =>
  jsonl
    .split("\n")
    .filter(Boolean)
    .map((line) => /prompt: ([\w-]+)/.exec(JSON.parse(line).body.messages[1].content)?.[1]);

describe("batch files by hand", () => {
  it("export a stage's requests, import their answers, stage after stage, until every sample is finished once", async () => {
    const runId = await offlineRun([{}, { query: "What is the weather in city 1? [[fake:fail@judge-query-tools]]" }, { cot: null }]);
    // Stage 2 first: the judge's questions, and the CoT the teacher writes before them; nothing of stage 3 yet. One
    // model per file (OpenAI's Batch API requires it; vllm run-batch serves one): the judge's, then the teacher's.
    const stage2 = await exportStage(runId, 2);
    expect(promptsOf(stage2.jsonl)).toEqual(["judge-query-tools", "judge-query-tools"]);
    expect(modelsOf(stage2.jsonl)).toEqual(["judge-stage2", "judge-stage2"]);
    // What waits: the judge's requests in this file, the teacher's not exported yet.
    expect(stage2).toMatchObject({
      model: "judge-stage2",
      waiting: [
        { stage: 2, model: "judge-stage2", file: stage2.batchId, requests: 2 },
        { stage: 2, model: "fake-teacher", file: null, requests: 1 },
      ],
    });
    // The Runs page says the same (the run's detail: what to export next), and names the file's model.
    expect((await getRunBatchView(runId))!.waitingFor).toEqual(stage2.waiting);
    expect((await getRunBatchView(runId))!.latest).toMatchObject({ batchId: stage2.batchId, model: "judge-stage2", status: "exported" });
    // Nothing of stage 4 waits yet: the export says where the requests are, and writes nothing.
    expect(await exportStage(runId, 4)).toMatchObject({ requests: 0, batchId: null, waiting: stage2.waiting });

    const stage2Again = await exportStage(runId, 2); // the file was lost: the same requests again
    expect(bodiesOf(stage2Again.jsonl)).toEqual(bodiesOf(stage2.jsonl));
    const teacher = await exportStage(runId, 2, options, "fake-teacher");
    expect((await getRunBatchView(runId))!.latest).toMatchObject({ batchId: teacher.batchId, model: "fake-teacher" });
    expect(promptsOf(teacher.jsonl)).toEqual(["teacher-cot"]);
    expect(teacher.waiting).toEqual([
      { stage: 2, model: "judge-stage2", file: stage2Again.batchId, requests: 2 },
      { stage: 2, model: "fake-teacher", file: teacher.batchId, requests: 1 },
    ]);
    const imported = await importText(runId, await runBatchElsewhere(llm.url, stage2Again.jsonl + teacher.jsonl));
    expect(imported).toMatchObject({ applied: 3, failed: 0, finished: 1, done: false }); // the stage-2 fail is discarded

    // Then stage by stage, always the earliest stage that has requests waiting, as a person would.
    const progress = () => getRunProgress(runId).then((p) => p!);
    let stage = 2;
    for (let done = false, files = 0; !done && files < 10; files++) {
      const file = await exportStage(runId, stage as 2);
      if (file.requests === 0) stage = file.waiting[0].stage!;
      else done = (await importText(runId, await runBatchElsewhere(llm.url, file.jsonl))).done;
    }
    expect(await progress()).toMatchObject({ status: "succeeded", finished: 3, results: { passed: 2, discarded: 1 } });
    expect((await getRunBatchView(runId))!.waitingFor).toBeNull(); // a run that is not running waits for nothing
    const verdicts = await (await getPool()).query(
      `SELECT sample_id, stage, attempt, decided_by, count(*)::int AS n FROM stage_verdicts WHERE run_id = $1 GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`,
      [runId],
    );
    expect(verdicts.rows).toEqual([]);
    const batches = await (await getPool()).query(`SELECT pass, status FROM run_batches WHERE run_id = $1 ORDER BY pass`, [runId]);
    expect(batches.rows.map((b) => b.status)).toEqual(["exported", ...batches.rows.slice(1).map(() => "imported")]);
  });

  it("writes the export as the walk goes, a chunk's requests at a time, never the file whole in memory", async () => {
    const runId = await offlineRun([0, 1, 2, 3].map((i) => ({ query: `What is the weather in city ${i}?` })));
    const out = path.join(dir, `streamed-${++files}.jsonl`);
    // Whenever the walk names a judge's model (each sample asks stage 2's judge first), the lines written by then.
    const written: number[] = [];
    const modelFor = (stage: number) => {
      written.push(existsSync(`${out}.partial`) ? readFileSync(`${out}.partial`, "utf8").split("\n").filter(Boolean).length : 0);
      return `judge-stage${stage}`;
    };
    const report = await exportBatchFile(runId, 2, out, { ...options, refine: { ...options.refine, modelFor }, chunkSize: 1 });
    expect(report.requests).toBe(4);
    // While the last sample is walked, the three before it are in the file.
    expect(written).toEqual([0, 1, 2, 3]);
    expect((await readFile(out, "utf8")).split("\n").filter(Boolean)).toHaveLength(4);
  });

  it("refuses an output file with bad lines whole, naming each line and field, and applies nothing", async () => {
    const runId = await offlineRun([{}, {}]);
    const file = await exportStage(runId, 2);
    const [good, second] = (await runBatchElsewhere(llm.url, file.jsonl)).split("\n");
    const noStatus = JSON.parse(second);
    delete noStatus.response.status_code;
    const bad = [
      good,
      good.slice(0, 40),
      JSON.stringify(noStatus),
      JSON.stringify({ ...JSON.parse(second), custom_id: "req-from-elsewhere" }),
      JSON.stringify({ ...JSON.parse(second), response: { status_code: 200, body: { object: "not a completion" } } }),
      good,
    ].join("\n");
    const error = await importText(runId, bad).catch((e) => e);
    expect(error).toBeInstanceOf(BatchFileError);
    expect(error.message).toMatch(/5 lines at fault, nothing was applied/);
    expect(error.message).toMatch(/line 2: not JSON/);
    expect(error.message).toMatch(/line 3: response\.status_code: must be a number/);
    expect(error.message).toMatch(/line 4: custom_id "req-from-elsewhere" is not a request of run \d+ waiting for an answer/);
    expect(error.message).toMatch(/line 5: response\.body\.choices: must be a list/);
    expect(error.message).toMatch(/line 6: custom_id "req-\w+" is also on line 1/);
    const requests = await (await getPool()).query(`SELECT state, attempts FROM batch_requests WHERE run_id = $1`, [runId]);
    expect(requests.rows).toEqual([
      { state: "sent", attempts: 0 },
      { state: "sent", attempts: 0 },
    ]);
    expect((await getRunProgress(runId))!.finished).toBe(0);
  });

  it("refuses an old output whose errors were imported once its requests were exported again, naming the line; a lost file's output still counts", async () => {
    const runId = await offlineRun([{ query: "What is the weather in city 1? [[fake:500x1@judge-query-tools]]" }]);
    const first = await exportStage(runId, 2);
    const errorsOnly = await runBatchElsewhere(llm.url, first.jsonl);
    expect(await importText(runId, errorsOnly)).toMatchObject({ applied: 1, failed: 1, finished: 0 });
    // Asked again, in a file that is lost, then again.
    const again = await exportStage(runId, 2);
    const third = await exportStage(runId, 2);
    expect([again.requests, third.requests]).toEqual([1, 1]);
    const requests = async () => (await (await getPool()).query(`SELECT state, attempts FROM batch_requests WHERE run_id = $1`, [runId])).rows;
    const before = await requests();

    const error = await importText(runId, errorsOnly).catch((e) => e);
    expect(error).toBeInstanceOf(BatchFileError);
    expect(error.message).toMatch(
      new RegExp(`line 1: custom_id "req-\\w+-p1" answers file ${first.batchId}, older than the request's last answer: the request waits for the output of file ${third.batchId}`),
    );
    expect(await requests()).toEqual(before);
    // The output of the lost file answers the request (exported since its last answer), once.
    expect(await importText(runId, await runBatchElsewhere(llm.url, again.jsonl))).toMatchObject({ applied: 1, failed: 0, finished: 0 });
    expect(await requests()).toEqual([{ state: "answered", attempts: 2 }]);
  });

  it("acts only on a running offline run", async () => {
    const { name } = await seedDataset([{}], "batch-files");
    const { runId } = await createRun({ datasetName: name, stages: "all", mode: "batch", skipStages: [0] });
    await (await getPool()).query(`UPDATE pipeline_runs SET status = 'cancelled' WHERE id = $1`, [runId]);
    await expect(exportStage(runId, 2)).rejects.toThrow(`run ${runId} is a batch run: batch files are for runs started with --mode offline`);
    await expect(importText(999_999, "")).rejects.toThrow("run 999999 does not exist");
  });
});
