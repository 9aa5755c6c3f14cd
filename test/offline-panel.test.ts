// An offline run with a judge panel (issue 15 §4), from the CLI on the real database: the panel's two members have
// different models (one at an endpoint of its own: offline, endpoints do not matter, the studio sends nothing), so
// each member's requests go in a file of their own model, answered where that model is (here: the fake LLM each
// member's live run asks). The stage waits until every member's answers are imported, and the verdicts stored are
// exactly a live run's of the same panel over the same samples: each member's vote, then the panel's verdict.
import { useOwnDatabase } from "@/test/own-database";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import type { WaitingRequests } from "@/lib/batch/waiting";
import { saveJudgePanels } from "@/lib/settings/panels-store";
import { useFakeLlm } from "./fake-llm";
import { seedDataset, type SeedSample } from "./seed";
import { runBatchElsewhere, studio } from "./studio-cli";
import { fileDir } from "./temp-dir";

const ownDatabase = await useOwnDatabase("offline_panel");
const llm = useFakeLlm({ prefixCache: null }, { env: true });
// judge-b's server.
const remote = useFakeLlm({ prefixCache: null });

const SAMPLES: SeedSample[] = [
  {},
  // The members disagree: the panel (majority of two: both) fails stage 4, the teacher answers again, it fails again.
  { query: "What is the weather in city 1? [[fake:fail@model=judge-b]]" },
  // The teacher writes the CoT before stage 2.
  { cot: null },
  // A member that errors: the panel cannot decide.
  { query: "What is the weather in city 3? [[fake:500@model=judge-a]]" },
];

const RUN = ["--panel", "4=duo", "--skip-stage", "0", "--max-regenerations", "1"];
const dir = await fileDir("offline-panel-");

beforeAll(async () => {
  await saveJudgePanels(
    { panels: [{ name: "duo", rule: "majority", members: [{ model: "judge-a" }, { model: "judge-b", promptVersion: 1, baseURL: remote.url }] }] },
    "human:test@example.org",
  );
});

afterAll(async () => {
  await closeDb();
  await ownDatabase.drop();
});

/** What the run stored, per sample in order (the two datasets have the same samples): verdicts and the run's counts. */
async function stored(runId: number) {
  const pool = await getPool();
  const verdicts = await pool.query(
    `SELECT s.query, v.stage, v.turn, v.attempt, v.decided_by, v.member_of, v.outcome, v.reason, v.evidence, v.prompt_version,
       v.prompt_tokens, v.cached_tokens, v.completion_tokens
     FROM stage_verdicts v JOIN samples s ON s.id = v.sample_id WHERE v.run_id = $1 ORDER BY s.id, v.id`,
    [runId],
  );
  const samples = await pool.query(
    `SELECT s.status, s.status_reason, s.answer, s.cot, m.result, m.regenerations, m.llm_calls, m.prompt_tokens, m.completion_tokens, m.stage_outcomes
     FROM pipeline_run_samples m JOIN samples s ON s.id = m.sample_id WHERE m.run_id = $1 ORDER BY s.id`,
    [runId],
  );
  return { verdicts: verdicts.rows, samples: samples.rows };
}

/** The run's requests: state, attempts and answer of each. */
async function requestStates(runId: number) {
  return (await (await getPool()).query("SELECT custom_id, state, attempts, answer FROM batch_requests WHERE run_id = $1 ORDER BY custom_id", [runId])).rows;
}

let files = 0;

/** Exports one model's requests at one stage, answers them where the model is, and returns the output file. */
async function exportAndAnswer(runId: number, { stage, model }: Pick<WaitingRequests, "stage" | "model">) {
  const input = path.join(dir, `run-${runId}-${++files}.jsonl`);
  const exported = await studio("batch", "export", "--run", String(runId), "--stage", String(stage), "--model", model, "--out", input);
  expect(exported.code, exported.stderr).toBe(0);
  const jsonl = await readFile(input, "utf8");
  expect(new Set(jsonl.trim().split("\n").map((line) => JSON.parse(line).body.model))).toEqual(new Set([model]));
  const output = path.join(dir, `run-${runId}-${files}-out.jsonl`);
  await writeFile(output, await runBatchElsewhere(model === "judge-b" ? remote.url : llm.url, jsonl));
  return { model, stage, output, exported };
}

describe("an offline run with a judge panel", () => {
  it("is taken with a member at an endpoint of its own (nothing is sent), and records the panel", async () => {
    const { name } = await seedDataset([{}], "offline-panel-accepted");
    const started = await studio("run", "--dataset", name, "--mode", "offline", ...RUN);
    expect(started.code, started.stderr).toBe(0);
    const { rows } = await (await getPool()).query("SELECT mode, judge_panels FROM pipeline_runs WHERE id = $1", [started.summary.runId]);
    expect(rows[0]).toMatchObject({ mode: "offline", judge_panels: { 4: { name: "duo", members: [{ model: "judge-a" }, { model: "judge-b", baseURL: remote.url }] } } });
  });

  it("exports each member's requests in a file of its model, waits for both, and stores what a live run of the panel stores", async () => {
    const live = await seedDataset(SAMPLES, "panel-live");
    const liveRun = await studio("run", "--dataset", live.name, ...RUN);
    expect(liveRun.summary, liveRun.stderr).toMatchObject({ status: "succeeded", total: 4 });

    const offline = await seedDataset(SAMPLES, "panel-offline");
    const started = await studio("run", "--dataset", offline.name, "--mode", "offline", ...RUN);
    const runId: number = started.summary.runId;
    const run = String(runId);

    // A model nothing waits for: an error naming it and what does wait, no file.
    const nothing = await studio("batch", "export", "--run", run, "--stage", "2", "--model", "judge-c", "--out", path.join(dir, "judge-c.jsonl"));
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("error: no request of stage 2 (Query & Tool Identification) for model judge-c waits, nothing was written; waiting:");
    expect(nothing.stderr).toMatch(/4 for model fake-judge at stage 2 \(Query & Tool Identification\): not exported yet \(studio batch export --run \d+ --stage 2 --model fake-judge --out <file>\)/);

    // Round after round, as a person would: export every model's requests waiting, answer each file, import each.
    let waiting: WaitingRequests[] = nothing.summary.waiting;
    let panelWaits: { finished: number; waiting: WaitingRequests[]; stderr: string } | null = null;
    for (let round = 0; waiting.length > 0 && round < 12; round++) {
      expect(waiting.every((w) => w.file === null)).toBe(true); // every file out was imported
      const outputs = [];
      for (const w of waiting) outputs.push(await exportAndAnswer(runId, w));
      for (const { model, stage, output, exported } of outputs) {
        const result = await studio("batch", "import", "--run", run, output);
        expect(result.code, result.stderr).toBe(0);
        waiting = result.summary.waiting;
        // Stage 4's panel: judge-a's answers are in, judge-b's file is out; the export said both wait.
        if (stage === 4 && model === "judge-a" && !panelWaits) {
          expect(exported.stderr).toContain("A sample at stage 4 moves on once the answers of every model it asks are in.");
          panelWaits = { finished: result.summary.finished, waiting, stderr: result.stderr };
          // The same file again: refused, naming the model and stage it answers; nothing changes.
          const before = await requestStates(runId);
          const again = await studio("batch", "import", "--run", run, output);
          expect(again.code).toBe(1);
          expect(again.stderr).toMatch(/line 1: custom_id "req-\w+": the request of model judge-a at stage 4 \([^)]+\) was answered already \(file run-\d+-pass-\d+\): was this file imported before\?/);
          expect(await requestStates(runId)).toEqual(before);
        }
      }
    }
    expect(waiting).toEqual([]);
    // No sample moved on with one member's vote: judge-b's answers were still out.
    expect(panelWaits!.finished).toBe(0);
    expect(panelWaits!.waiting).toContainEqual(expect.objectContaining({ stage: 4, model: "judge-b", file: expect.any(String) }));
    expect(panelWaits!.stderr).toMatch(/waiting:\n {2}\d+ for model judge-b at stage 4 \([^)]+\): in file run-\d+-pass-\d+, import its output/);

    const progress = await (await getPool()).query("SELECT status FROM pipeline_runs WHERE id = $1", [runId]);
    expect(progress.rows[0].status).toBe("succeeded");
    const [offlineStored, liveStored] = [await stored(runId), await stored(liveRun.summary.runId)];
    expect(offlineStored.verdicts.filter((v) => v.decided_by === "panel:duo").length).toBeGreaterThan(0);
    expect(offlineStored).toEqual(liveStored);
  }, 300_000);
});
