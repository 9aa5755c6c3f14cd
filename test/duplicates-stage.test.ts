// Stage 0, Duplicates & Contamination, in a real run: a dataset holding a sample, its copy with other whitespace, key
// order and number formatting, a copy of a BFCL evaluation query and a clean sample. The run (on by default)
// discards the copy with the first sample's id and the BFCL copy with the benchmark id; a run that leaves the stage
// out does not.
import { useOwnDatabase } from "@/test/own-database";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { processChunk } from "@/lib/jobs/pipeline-chunk";
import { readBfclQueries } from "@/lib/pipeline/stages/duplicates";
import { discardGroups } from "@/lib/review/discard-audit";
import { createRun } from "@/lib/runs/create-run";
import { getRunProgress } from "@/lib/runs/queries";
import { importSamples } from "@/lib/samples/import";

const ownDatabase = await useOwnDatabase("duplicates");
afterAll(async () => {
  await stopBoss();
  await closeDb();
  await ownDatabase.drop();
});

const TOOLS = [{ name: "get_weather", description: "Weather.", parameters: { city: { type: "str", description: "City.", default: "" }, days: { type: "int, optional", description: "Days.", default: 1 } } }];
const bfcl = readBfclQueries().find((q) => q.source === "BFCL_v4_live_simple.json")!;

// JSON Lines written by hand: the copy's key order and number formatting differ from the original's as text.
const LINES = [
  `{"id": "first", "query": "Weather in Lyon for 2 days?", "tools": ${JSON.stringify(JSON.stringify(TOOLS))}, "answers": [{"name": "get_weather", "arguments": {"city": "Lyon", "days": 2}}]}`,
  `{"id": "copy", "query": "Weather  in Lyon\\tfor 2 days? ", "tools": ${JSON.stringify(JSON.stringify(TOOLS))}, "answers": [{"arguments": {"days": 2.0, "city": "Lyon"}, "name": "get_weather"}]}`,
  `{"id": "bfcl", "query": ${JSON.stringify(bfcl.query)}, "tools": ${JSON.stringify(JSON.stringify(TOOLS))}, "answers": [{"name": "get_weather", "arguments": {"city": "Oslo"}}]}`,
  `{"id": "clean", "query": "Weather in Oslo?", "tools": ${JSON.stringify(JSON.stringify(TOOLS))}, "answers": [{"name": "get_weather", "arguments": {"city": "Oslo"}}]}`,
];

async function runOver(dataset: string, skipStages?: number[]) {
  const { runId } = await createRun({ datasetName: dataset, stages: "rules", statuses: ["pending", "discarded"], skipStages });
  const pool = await getPool();
  const { rows } = await pool.query<{ sample_id: number }>("SELECT sample_id FROM pipeline_run_samples WHERE run_id = $1", [runId]);
  await processChunk({ runId, sampleIds: rows.map((r) => r.sample_id) });
  return runId;
}

async function samplesOf(dataset: string) {
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number; source_id: string; status: string; status_stage: number | null; status_code: string | null; stage_outcomes: string[] }>(
    `SELECT s.id, s.source_id, s.status::text, s.status_stage, s.status_code, s.stage_outcomes FROM samples s
     JOIN datasets d ON d.id = s.dataset_id WHERE d.name = $1 ORDER BY s.id`,
    [dataset],
  );
  return new Map(rows.map((r) => [r.source_id, r]));
}

async function failingEvidence(sampleId: number) {
  const pool = await getPool();
  const { rows } = await pool.query<{ decided_by: string; evidence: Record<string, unknown> }>(
    `SELECT decided_by, evidence FROM stage_verdicts WHERE sample_id = $1 AND stage = 0 AND outcome = 'fail'`,
    [sampleId],
  );
  return rows;
}

describe("a run with stage 0 (duplicates & contamination)", () => {
  it("discards a normalised duplicate with the first sample's id and a BFCL query copy with the benchmark id", async () => {
    const dataset = `dups-${process.pid}`;
    const summary = await importSamples({ datasetName: dataset, fileName: "dups.jsonl", input: Readable.from([LINES.join("\n") + "\n"]) });
    expect(summary).toMatchObject({ ok: true, inserted: 4 });

    const runId = await runOver(dataset);
    const samples = await samplesOf(dataset);
    const first = samples.get("first")!;
    expect(samples.get("copy")).toMatchObject({ status: "discarded", status_stage: 0, status_code: "rule:duplicate", stage_outcomes: ["0:fail"] });
    expect(await failingEvidence(samples.get("copy")!.id)).toEqual([{ decided_by: "rule:duplicate", evidence: { duplicateOf: first.id } }]);
    expect(samples.get("bfcl")).toMatchObject({ status: "discarded", status_stage: 0, status_code: "rule:contamination" });
    expect(await failingEvidence(samples.get("bfcl")!.id)).toEqual([
      { decided_by: "rule:contamination", evidence: { benchmark: "BFCL v4", benchmarkId: bfcl.id, source: bfcl.source, match: "exact" } },
    ]);
    // The first and the clean one go on to the other stages (a rules-only run leaves them pending for a full one).
    for (const kept of ["first", "clean"]) {
      expect(samples.get(kept)!.status).toBe("pending");
      expect(samples.get(kept)!.stage_outcomes.slice(0, 2)).toEqual(["0:pass", "1:pass"]);
    }
    // Two rule verdicts per sample (duplicate, contamination), but the run counts samples: 2 passed, 2 failed.
    expect((await getRunProgress(runId))!.stages_["0"]).toEqual({ pass: 2, fail: 2 });
    // The discard audit groups them under stage 0, by rule.
    const groups = (await discardGroups()).filter((g) => g.stage === 0).map((g) => [g.code, g.count]);
    expect(groups.sort()).toEqual([["rule:contamination", 1], ["rule:duplicate", 1]]);
  });

  it("is left out when the run says so: nothing is discarded, and the run records it", async () => {
    const dataset = `dups-off-${process.pid}`;
    await importSamples({ datasetName: dataset, fileName: "dups.jsonl", input: Readable.from([LINES.join("\n") + "\n"]) });
    const runId = await runOver(dataset, [0]);
    const samples = [...(await samplesOf(dataset)).values()];
    expect(samples.map((s) => s.status)).toEqual(["pending", "pending", "pending", "pending"]);
    expect(samples.every((s) => !s.stage_outcomes.some((o) => o.startsWith("0:")))).toBe(true);
    expect((await getRunProgress(runId))!.skippedStages).toEqual([0]);
  });

  it("refuses to leave out a stage that is not optional, naming the optional ones", async () => {
    await expect(createRun({ datasetName: "whatever", stages: "rules", skipStages: [4] })).rejects.toThrow(/only optional stages can be left out: 0 \(Duplicates & Contamination\)/);
  });
});
