// Calibrating a judge on the real database and the project's fake LLM (real HTTP, through the openai SDK): the
// slice is the samples whose standing decision speaks to the stage; the judge's verdicts are compared with them;
// nothing about the samples changes; two configurations are compared on the same samples.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { useOwnDatabase } from "@/test/own-database";
import { saveJudgePanels } from "@/lib/settings/panels-store";
import { seedDataset } from "@/test/seed";
import { calibrationPromptVersions, compareCalibrations, createCalibration, getCalibration, judgeCalibration, listCalibrations } from "./calibrations";
import { useFakeLlm } from "@/test/fake-llm";

const database = await useOwnDatabase("calibration");
// The fake judge fails stage 2 for queries that say "offtopic"; the "strict" model fails "borderline" ones too;
// "flaky" ones get no usable answer.
const llm = useFakeLlm(
  {
    latencyMs: 0,
    script: ({ user, body }) => {
      if (user.includes("flaky")) return "garbage";
      if (user.includes("offtopic") || (body.model === "strict-judge" && user.includes("borderline"))) return "fail";
      return "pass";
    },
  },
  { env: true },
);
afterAll(async () => {
  await closeDb();
  await database.drop();
});

type Decision = { action: "approve" | "discard"; stage?: number; bulk?: boolean; undone?: boolean; vote?: "open" };

/** Records a person's decision the way lib/review does: status before and after, the version it was made on. */
async function decide(sampleId: number, decision: Decision): Promise<void> {
  const pool = await getPool();
  const status = decision.action === "approve" ? "approved" : "discarded";
  const after = decision.vote === "open" ? "passed" : status;
  let bulkJobId: number | null = null;
  if (decision.bulk) {
    const job = await pool.query<{ id: number }>(
      `INSERT INTO bulk_jobs (actor, action, options, target, status, total) VALUES ('human:ann', $1, '{}', '{}', 'succeeded', 1) RETURNING id`,
      [decision.action],
    );
    bulkJobId = job.rows[0].id;
  }
  await pool.query(
    `INSERT INTO review_decisions (sample_id, action, author, stage, status_before, status_after, version, bulk_job_id, undone_at, kind)
     VALUES ($1, $2, 'human:ann', $3, 'passed', $4, 1, $5, $6, $7)`,
    [sampleId, decision.action, decision.stage ?? null, after, bulkJobId, decision.undone ? new Date() : null, decision.vote ? "vote" : null],
  );
  if (!decision.undone) await pool.query(`UPDATE samples SET status = $2 WHERE id = $1`, [sampleId, after]);
}

describe("calibrating the stage-2 judge", () => {
  const slice: Record<string, Decision> = {
    "weather in Paris": { action: "approve" },
    "weather in Rome": { action: "approve" },
    "borderline weather in Oslo": { action: "approve" },
    "offtopic: bake a cake": { action: "discard", stage: 2 },
    "offtopic: sing a song": { action: "discard", stage: 2 },
    "the weather, off by a word": { action: "discard", stage: 2 }, // the judge misses this one
    "flaky weather in Bern": { action: "approve" },
    // Not in the slice: a discard blaming another stage, a bulk approval, an undone decision, an open vote.
    "weather with a wrong value": { action: "discard", stage: 4 },
    "bulk weather in Nice": { action: "approve", bulk: true },
    "undone weather in Lima": { action: "approve", undone: true },
    "voted weather in Kyiv": { action: "approve", vote: "open" },
  };
  let dataset: { name: string; ids: number[] };
  const before: unknown[] = [];

  beforeAll(async () => {
    dataset = await seedDataset(Object.keys(slice).map((query) => ({ query, status: "passed" as const })), "calib");
    const entries = Object.values(slice);
    for (const [i, id] of dataset.ids.entries()) await decide(id, entries[i]);
    const pool = await getPool();
    before.push(...(await pool.query("SELECT id, status, version, stage_outcomes FROM samples WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1) ORDER BY id", [dataset.name])).rows);
  });

  it("judges the samples whose standing decision speaks to the stage, and compares", async () => {
    const { id, total } = await createCalibration({ dataset: dataset.name, stage: 2, includeBulk: false, author: "human:admin" });
    expect(total).toBe(7);
    await judgeCalibration(id);
    const { calibration, disagreements } = await getCalibration(id);
    expect(calibration).toMatchObject({ status: "succeeded", model: "fake-judge", total: 7, done: 7, promptVersion: "judge-query-tools.v2" });
    expect(calibration.metrics.confusion).toEqual({ bothFail: 2, humanFailJudgePass: 1, humanPassJudgeFail: 0, bothPass: 3 });
    expect(calibration.metrics).toMatchObject({ judged: 6, errors: 1, precision: 1 });
    expect(calibration.metrics.recall).toBeCloseTo(2 / 3);
    expect(disagreements.map((d) => [d.query, d.human, d.judge])).toEqual([["the weather, off by a word", "fail", "pass"]]);

    // The samples are as they were: status, version, stage outcomes.
    const pool = await getPool();
    const after = (await pool.query("SELECT id, status, version, stage_outcomes FROM samples WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1) ORDER BY id", [dataset.name])).rows;
    expect(after).toEqual(before);
    expect((await pool.query("SELECT count(*)::int AS n FROM stage_verdicts WHERE sample_id = ANY($1)", [dataset.ids])).rows[0].n).toBe(0);
  });

  it("counts bulk decisions only when asked", async () => {
    const { total } = await createCalibration({ dataset: dataset.name, stage: 2, includeBulk: true, author: "human:admin" });
    expect(total).toBe(8);
  });

  it("compares two judge models on the same samples, with McNemar's test", async () => {
    const lenient = await createCalibration({ dataset: dataset.name, stage: 2, includeBulk: false, author: "human:admin" });
    const strict = await createCalibration({ dataset: dataset.name, stage: 2, model: "strict-judge", includeBulk: false, author: "human:admin" });
    await judgeCalibration(lenient.id);
    await judgeCalibration(strict.id);
    const compared = await compareCalibrations(lenient.id, strict.id);
    // The strict model also fails the borderline approval: one sample only the lenient one got right.
    expect(compared).toMatchObject({ pairs: 6, onlyA: 1, onlyB: 0, pValue: 1, beyondNoise: false });
    expect(compared.b.model).toBe("strict-judge");
    expect((await listCalibrations()).map((c) => c.id).slice(0, 2)).toEqual([strict.id, lenient.id]);
  });

  it("calibrates a judge panel saved in Settings: the panel's vote decides, every member's tokens count", async () => {
    await saveJudgePanels({ panels: [{ name: "duo", rule: "all", members: [{ model: "fake-judge" }, { model: "strict-judge" }] }] }, "human:admin");
    const single = await createCalibration({ dataset: dataset.name, stage: 2, includeBulk: false, author: "human:admin" });
    const duo = await createCalibration({ dataset: dataset.name, stage: 2, panel: "duo", includeBulk: false, author: "human:admin" });
    await judgeCalibration(single.id);
    await judgeCalibration(duo.id);
    const { calibration } = await getCalibration(duo.id);
    expect(calibration).toMatchObject({ model: "panel:duo", status: "succeeded", done: 7 });
    // "all must pass": the strict member's fail on the borderline approval is the panel's.
    expect(calibration.metrics.confusion).toEqual({ bothFail: 2, humanFailJudgePass: 1, humanPassJudgeFail: 1, bothPass: 2 });
    const pool = await getPool();
    const tokens = async (id: number) => (await pool.query("SELECT sum(prompt_tokens)::int AS n FROM calibration_items WHERE run_id = $1", [id])).rows[0].n as number;
    expect(await tokens(duo.id)).toBeGreaterThan(1.5 * (await tokens(single.id)));
    await expect(createCalibration({ dataset: dataset.name, stage: 2, panel: "nobody", includeBulk: false, author: "human:admin" })).rejects.toThrow(/no judge panel is saved under the name nobody/);
  });

  it("asks with the prompt version chosen, recorded from the start; refuses one that does not exist, and one with a panel", async () => {
    const { id } = await createCalibration({ dataset: dataset.name, stage: 2, promptVersion: 1, includeBulk: false, author: "human:admin" });
    expect((await getCalibration(id)).calibration).toMatchObject({ promptVersion: "judge-query-tools.v1", done: 0 });
    llm.reset();
    await judgeCalibration(id);
    expect(new Set(llm.requests.map((r) => r.promptId))).toEqual(new Set(["judge-query-tools.v1"]));
    await expect(createCalibration({ dataset: dataset.name, stage: 4, promptVersion: 9, includeBulk: false, author: "human:admin" })).rejects.toThrow(
      "promptVersion: there is no judge-values.v9; stage 4's judge prompt has versions 1, 2",
    );
    await expect(createCalibration({ dataset: dataset.name, stage: 2, panel: "duo", promptVersion: 1, includeBulk: false, author: "human:admin" })).rejects.toThrow(
      /a panel's members are asked with their own prompt versions/,
    );
    expect(calibrationPromptVersions()).toEqual({ 1: [1], 2: [1, 2], 3: [1, 2], 4: [1, 2] });
  });

  it("runs from the CLI: calibrate, then compare, each ending with one JSON line", async () => {
    const studio = async (...args: string[]) => {
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/main.ts", "calibrate", ...args], { env: process.env });
      return JSON.parse(stdout.trim().split("\n").at(-1)!);
    };
    const lenient = await studio("--dataset", dataset.name, "--stage", "2");
    expect(lenient).toMatchObject({ command: "calibrate", status: "succeeded", samples: 7, judged: 6, errors: 1, precision: 1, confusion: { bothFail: 2, humanFailJudgePass: 1 } });
    const strict = await studio("--dataset", dataset.name, "--stage", "2", "--model", "strict-judge");
    expect(strict.confusion).toMatchObject({ humanPassJudgeFail: 1 });
    const compared = await studio("--compare", `${lenient.id},${strict.id}`);
    expect(compared).toMatchObject({ pairs: 6, onlyA: 1, onlyB: 0, beyondNoise: false });
  });

  it("refuses a slice with nothing to compare, a stage without a judge, and an unknown dataset, writing nothing", async () => {
    const pool = await getPool();
    const count = async () => (await pool.query("SELECT count(*)::int AS n FROM calibration_runs")).rows[0].n as number;
    const runs = await count();
    await expect(createCalibration({ dataset: dataset.name, stage: 3, includeBulk: false, author: "human:admin" })).resolves.toMatchObject({ total: 4 }); // the approvals
    const empty = await seedDataset([{ status: "passed" }], "calib-empty");
    await expect(createCalibration({ dataset: empty.name, stage: 2, includeBulk: false, author: "human:admin" })).rejects.toThrow(/nothing to compare/);
    await expect(createCalibration({ dataset: dataset.name, stage: 5, includeBulk: false, author: "human:admin" })).rejects.toThrow(/no judge/);
    await expect(createCalibration({ dataset: "no-such", stage: 2, includeBulk: false, author: "human:admin" })).rejects.toThrow(/does not exist/);
    expect(await count()).toBe(runs + 1);
  });
});
