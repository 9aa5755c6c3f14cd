// A pipeline run whose stage 4 is judged by a panel (issue 13 §1), on the real database against the fake LLM: the
// members disagree through directives scoped to their model; each member's vote is stored (`llm:<model>`), then the
// panel's verdict (`panel:<name>`, the rule and the vote in its evidence), which alone decides the stage; a member
// that errors is neither a pass nor a fail; each member's tokens are its own and the run's total counts them all.
// The same panel in a batch run stores the same verdicts, its member on a server of its own asked in batches there
// with its own key.
import { useOwnDatabase } from "@/test/own-database";
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRunBatchView } from "@/lib/batch/store";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorker } from "@/lib/jobs/worker";
import { createRun } from "@/lib/runs/create-run";
import { getRunProgress, type RunProgress } from "@/lib/runs/queries";
import { getSample, type SampleVerdict } from "@/lib/samples/queries";
import { importSamples } from "@/lib/samples/import";
import { getJudgePanelsView, saveJudgePanels } from "@/lib/settings/panels-store";
import { waitFor } from "./run-helpers";
import { useFakeLlm } from "@/test/fake-llm";
import { fileDir } from "./temp-dir";

const ownDatabase = await useOwnDatabase("panels");

const TOOLS = [{ name: "get_weather", description: "Current weather for a city.", parameters: { city: { description: "The city name.", type: "str", default: "" } } }];
const LYON = [{ name: "get_weather", arguments: { city: "Lyon" } }];
const xlam = (id: string, query: string) => ({ id, query, tools: JSON.stringify(TOOLS), answers: JSON.stringify(LYON), cot: "The user names Lyon: get_weather." });

const RECORDS = [
  xlam("all-pass", "What is the weather in Lyon?"),
  xlam("one-fails", "What is the weather in Lyon? [[fake:fail@model=judge-b]]"),
  xlam("two-fail", "What is the weather in Lyon? [[fake:fail@model=judge-b]] [[fake:fail@model=judge-remote]]"),
  xlam("one-errors", "What is the weather in Lyon? [[fake:fail@model=judge-b]] [[fake:500@model=judge-remote]]"),
];

// The judge's key, to tell it from the member's; batch passes a fifth of a second apart.
const llm = useFakeLlm({}, { env: { STUDIO_LLM_API_KEY: "sk-judge", STUDIO_BATCH_POLL_SECONDS: "0.2" } });
// One member lives on a server of its own, with a key saved for it.
const remote = useFakeLlm();
let runId: number;
let progress: RunProgress;
const samples = new Map<string, { id: number; status: string; statusReason: string; decidedBy: string | null; verdicts: SampleVerdict[] }>();

const dir = await fileDir("studio-panels-");

beforeAll(async () => {
  await saveJudgePanels(
    {
      panels: [
        {
          name: "trio",
          rule: "majority",
          members: [{ model: "judge-a" }, { model: "judge-b", promptVersion: 1 }, { model: "judge-remote", baseURL: remote.url, apiKey: "sk-remote-judge" }],
        },
      ],
    },
    "human:test@example.org",
  );
  const file = path.join(dir, "panels.jsonl");
  await writeFile(file, RECORDS.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await importSamples({ datasetName: "panels", fileName: "panels.jsonl", input: createReadStream(file) });
  await startWorker();
  ({ runId } = await createRun({ datasetName: "panels", stages: "all", concurrency: 2, maxRegenerations: 0, skipStages: [0], judgePanels: { "4": "Trio" } }));
  progress = await waitFor("the panel run", () => getRunProgress(runId), (p) => p?.status !== "running", 60_000).then((p) => p!);
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number; source_id: string }>("SELECT id, source_id FROM samples");
  for (const row of rows) {
    const sample = (await getSample(row.id))!;
    samples.set(row.source_id, { id: row.id, status: sample.status, statusReason: sample.statusReason ?? "", decidedBy: sample.decidedBy, verdicts: sample.verdicts });
  }
}, 120_000);

afterAll(async () => {
  await stopBoss();
  await closeDb();
  await ownDatabase.drop();
});

const stage4 = (source: string) => samples.get(source)!.verdicts.filter((v) => v.stage === 4 && !v.decidedBy.startsWith("rule:"));

describe("a run with a judge panel on stage 4", () => {
  it("stores each member's vote, then the panel's verdict with the rule and the vote", () => {
    expect(stage4("one-fails").map((v) => [v.decidedBy, v.outcome, v.memberOf])).toEqual([
      ["llm:judge-a", "pass", "trio"],
      ["llm:judge-b", "fail", "trio"],
      ["llm:judge-remote", "pass", "trio"],
      ["panel:trio", "pass", null],
    ]);
    expect(stage4("one-fails").at(-1)!.evidence).toMatchObject({ panel: "trio", rule: "majority", vote: "2 of 3 passed" });
  });

  it("files each sample by the panel's verdict: a member's fail decides nothing alone, an error is neither", () => {
    const statuses = Object.fromEntries([...samples].map(([source, s]) => [source, s.status]));
    expect(statuses).toEqual({ "all-pass": "passed", "one-fails": "passed", "two-fail": "discarded", "one-errors": "flagged" });
    expect(samples.get("two-fail")!.statusReason).toMatch(/Panel "trio": 1 of 3 passed, 2 needed \(majority\) — judge-b: .* · judge-remote: /);
    expect(samples.get("one-errors")!.statusReason).toMatch(/Panel "trio" could not decide: 1 of 3 passed, 2 needed \(majority\); 1 of 3 gave no verdict/);
    expect(stage4("one-errors").some((v) => v.decidedBy === "panel:trio" && v.outcome === "fail")).toBe(false);
    // The run's counts per stage count each sample once, by the panel's verdict.
    expect(progress.stages_["4"]).toEqual({ pass: 2, fail: 1, error: 1 });
  });

  it("asks each member on its own server with its own key, and counts each member's tokens", () => {
    expect(new Set(remote.requests.map((r) => r.model))).toEqual(new Set(["judge-remote"]));
    expect(llm.requests.some((r) => r.model === "judge-remote")).toBe(false);
    for (const model of ["judge-a", "judge-b", "judge-remote"]) {
      const served = [...llm.requests, ...remote.requests].filter((r) => r.model === model && r.status === 200);
      const billed = served.reduce((n, r) => n + r.usage!.prompt_tokens + r.usage!.completion_tokens, 0);
      const stored = [...samples.values()].flatMap((s) => s.verdicts).filter((v) => v.decidedBy === `llm:${model}`);
      expect(stored.reduce((n, v) => n + (v.promptTokens ?? 0) + (v.completionTokens ?? 0), 0), model).toBe(billed);
    }
    const all = [...llm.requests, ...remote.requests].reduce((n, r) => n + (r.usage ? r.usage.prompt_tokens + r.usage.completion_tokens : 0), 0);
    expect(progress.tokens.prompt + progress.tokens.completion).toBe(all);
  });

  it("records the panel with the run, without its keys; the settings show the key only as set", async () => {
    const pool = await getPool();
    const { rows } = await pool.query("SELECT judge_panels FROM pipeline_runs WHERE id = $1", [runId]);
    expect(rows[0].judge_panels["4"]).toMatchObject({ name: "trio", rule: "majority", members: [{ model: "judge-a" }, { model: "judge-b", promptVersion: 1 }, { model: "judge-remote", baseURL: remote.url }] });
    expect(JSON.stringify(rows[0].judge_panels)).not.toContain("sk-remote-judge");
    const [view] = await getJudgePanelsView();
    expect(view.members.map((m) => m.keySet)).toEqual([false, false, true]);
    expect(JSON.stringify(await getJudgePanelsView())).not.toContain("sk-remote-judge");
    const audit = await pool.query("SELECT after::text FROM audit_log WHERE action = 'settings.panels'");
    expect(audit.rows[0].after).not.toContain("sk-remote-judge");
  });

  it("refuses a run naming a panel that does not exist, a rules-only run with a panel, and a panel for stage 1", async () => {
    await expect(createRun({ datasetName: "panels", stages: "all", judgePanels: { "4": "quartet" } })).rejects.toThrow('judgePanels.4: there is no judge panel "quartet"');
    await expect(createRun({ datasetName: "panels", stages: "rules", judgePanels: { "4": "trio" } })).rejects.toThrow(/judge panels need a full run/);
    await expect(createRun({ datasetName: "panels", stages: "all", judgePanels: { "1": "trio" } })).rejects.toThrow(/only these stages can have a panel: 2 \(Query & Tool Identification\), 3 \(CoT Identification\), 4/);
  });

});

/** A run's LLM verdicts, per sample and in the order stored, as a batch run must store them too (cached tokens aside: what the fake's cache holds depends on the order it is asked in). */
async function runVerdicts(id: number) {
  const { rows } = await (await getPool()).query(
    `SELECT s.source_id, v.stage, v.decided_by, v.member_of, v.outcome, v.reason, v.evidence, v.attempt, v.prompt_version, v.prompt_tokens, v.completion_tokens
     FROM stage_verdicts v JOIN samples s ON s.id = v.sample_id WHERE v.run_id = $1 ORDER BY s.source_id, v.id`,
    [id],
  );
  return rows;
}

describe("the same panel in a batch run", () => {
  let batchRunId: number;
  beforeAll(async () => {
    remote.reset();
    llm.reset();
    const pool = await getPool();
    const ids = (await pool.query<{ id: number }>("SELECT id FROM samples ORDER BY id")).rows.map((r) => r.id);
    ({ runId: batchRunId } = await createRun({ datasetName: "panels", stages: "all", mode: "batch", sampleIds: ids, maxRegenerations: 0, skipStages: [0], judgePanels: { "4": "Trio" } }));
    await waitFor("the batch run", () => getRunProgress(batchRunId), (p) => p?.status !== "running", 90_000);
  }, 120_000);

  it("stores the verdicts the live run stored", async () => {
    expect((await getRunProgress(batchRunId))!.status).toBe("succeeded");
    const batch = await runVerdicts(batchRunId);
    expect(batch.some((v) => v.decided_by === "llm:judge-remote")).toBe(true);
    expect(batch).toEqual(await runVerdicts(runId));
  });

  it("sends each member's requests in batches at its own endpoint, with the key saved for it", async () => {
    const pool = await getPool();
    const { rows } = await pool.query(`SELECT endpoint, model, status FROM run_batches WHERE run_id = $1 ORDER BY pass`, [batchRunId]);
    expect(rows.every((b) => b.status === "completed")).toBe(true);
    expect(new Set(rows.filter((b) => b.endpoint === remote.url).map((b) => b.model))).toEqual(new Set(["judge-remote"]));
    expect(rows.filter((b) => b.endpoint === "").map((b) => b.model)).toEqual(expect.arrayContaining(["judge-a", "judge-b"]));
    expect(rows.some((b) => b.endpoint === "" && b.model === "judge-remote")).toBe(false);
    // The Runs page says which model and endpoint the latest batch was at.
    const last = rows.at(-1)!;
    expect(await getRunBatchView(batchRunId)).toMatchObject({ severalEndpoints: true, latest: { endpoint: last.endpoint, model: last.model } });
    // Each server answered only its own model's batch lines (the live run asked nothing: the logs were reset).
    expect(new Set(remote.requests.map((r) => r.model))).toEqual(new Set(["judge-remote"]));
    expect(llm.requests.some((r) => r.model === "judge-remote")).toBe(false);
    // Each server got batches, through the Files and Batch API, each with its own key.
    for (const [server, key] of [[remote, "Bearer sk-remote-judge"], [llm, "Bearer sk-judge"]] as const) {
      expect(server.batchApiCalls.filter((c) => c.method === "POST" && c.path === "/v1/batches").length).toBeGreaterThan(0);
      expect(new Set(server.batchApiCalls.map((c) => c.authorization))).toEqual(new Set([key]));
    }
    // And each deleted its files there once their results were stored.
    for (const server of [remote, llm]) expect((await new OpenAI({ baseURL: server.url, apiKey: "x" }).files.list()).data).toEqual([]);
  });
});
