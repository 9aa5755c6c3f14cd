// Self-refinement rounds on the real database, an in-process worker (pg-boss) and the project's fake LLM playing the
// policy model (real HTTP, through the openai SDK): BFCL queries with their reference answers are answered, compared,
// refined by a pipeline run; a second round is compared with the first.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorker } from "@/lib/jobs/worker";
import { readPolicyKey } from "@/lib/llm/fake-policy-key";
import { importSamples } from "@/lib/samples/import";
import { useFakeLlm } from "@/test/fake-llm";
import { useOwnDatabase } from "@/test/own-database";
import { waitFor } from "@/test/run-helpers";
import { disagreeingRefined, generateRoundChunk, getRound, listRounds, startRound, type RoundSummary } from "./rounds";

const database = await useOwnDatabase("rounds");
const SOURCE = "bfcl-src";
const QUERIES = 80;
const llm = useFakeLlm({ latencyMs: 0, policyKey: await readPolicyKey("fixtures/bfcl") }, { env: true });
let worker: { stop(): Promise<void> };

/** The first `n` records of a BFCL file (one JSON object a line). */
async function firstRecords(file: string, n: number): Promise<Readable> {
  const lines = (await readFile(`fixtures/bfcl/${file}`, "utf8")).split("\n").filter(Boolean).slice(0, n);
  return Readable.from([lines.join("\n")]);
}

beforeAll(async () => {
  for (const [file, n] of [["BFCL_v4_simple_python.json", QUERIES / 2], ["BFCL_v4_parallel_multiple.json", QUERIES / 2]] as const) {
    await importSamples({
      datasetName: SOURCE,
      fileName: file,
      format: "bfcl",
      input: await firstRecords(file, n),
      answers: createReadStream(`fixtures/bfcl/possible_answer/${file}`),
      actor: "system",
    });
  }
  worker = await startWorker();
});
afterAll(async () => {
  await worker.stop();
  await stopBoss();
  await closeDb();
  await database.drop();
});

const finished = (round: RoundSummary) => !["generating", "refining"].includes(round.status);

async function runRound(model: string, extra: { samplesPerQuery?: number; temperature?: number } = {}): Promise<RoundSummary> {
  const started = await startRound({ source: SOURCE, model, author: "human:test", ...extra });
  return waitFor(`round ${started.id}`, () => getRound(started.id), finished, 180_000);
}

describe("two rounds over BFCL queries", () => {
  let first: RoundSummary;
  let second: RoundSummary;

  it("answers every query from the query and the tools alone, compares each answer with the reference and refines them", async () => {
    first = await runRound("policy-r1");
    expect(first).toMatchObject({ number: 1, dataset: `${SOURCE} · round 1`, source: SOURCE, previousRoundId: null, model: "policy-r1", status: "succeeded" });
    expect(first).toMatchObject({ queries: QUERIES, answers: QUERIES, generated: QUERIES, generationFailed: 0, compared: QUERIES });
    // The fake policy is right on 70% of queries (by a per-query draw): about that share agrees.
    expect(first.agreement).toBeGreaterThan(0.5);
    expect(first.agreement).toBeLessThan(0.9);
    // Every answer went through the stages; what passed is the refined set.
    expect(first.refinedFinished).toBe(QUERIES);
    expect(Object.keys(first.stages).sort()).toEqual(["1", "2", "3", "4", "5"]);
    const pool = await getPool();
    const refined = await pool.query(`SELECT count(*)::int AS n FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = $1 AND s.status IN ('passed', 'text', 'approved')`, [first.dataset]);
    expect(first.refined).toBe(refined.rows[0].n);
    expect(first.refined).toBeGreaterThan(0);
    expect(first.refined).toBeLessThan(QUERIES);
    // The policy's requests never carried a reference answer.
    const policyRequests = llm.requests.filter((r) => r.task === "policy");
    expect(policyRequests.length).toBeGreaterThan(0);
    for (const r of policyRequests) expect(JSON.stringify(r.body.messages)).not.toMatch(/reference/i);
  });

  it("links each answer to the source sample it answers, with its agreement and the reason it differs", async () => {
    const pool = await getPool();
    const { rows } = await pool.query(
      `SELECT rs.agrees, rs.agreement_reason, s.query = src.query AS same_query, s.source_id = src.source_id AS same_id, s.cot IS NOT NULL AS has_cot
       FROM round_samples rs JOIN samples s ON s.id = rs.sample_id JOIN samples src ON src.id = rs.source_sample_id WHERE rs.round_id = $1`,
      [first.id],
    );
    expect(rows).toHaveLength(QUERIES);
    for (const r of rows) expect(r).toMatchObject({ same_query: true, same_id: true, has_cot: true });
    expect(rows.filter((r) => r.agrees).length).toBe(first.agreeing);
    for (const r of rows.filter((x) => !x.agrees)) expect(r.agreement_reason).toMatch(/where the reference|leaves out|is not in the reference|calls? where/);
  });

  it("a second round is linked to the first and says which queries it rescued and lost", async () => {
    second = await runRound("policy-r2");
    expect(second).toMatchObject({ number: 2, dataset: `${SOURCE} · round 2`, previousRoundId: first.id, status: "succeeded" });
    const pool = await getPool();
    const refinedQueries = async (roundId: number) =>
      new Set(
        (
          await pool.query(
            `SELECT DISTINCT rs.source_sample_id AS id FROM round_samples rs JOIN samples s ON s.id = rs.sample_id WHERE rs.round_id = $1 AND s.status IN ('passed', 'text', 'approved')`,
            [roundId],
          )
        ).rows.map((r) => r.id as number),
      );
    const [a, b] = [await refinedQueries(first.id), await refinedQueries(second.id)];
    expect(second.rescued).toBe([...b].filter((id) => !a.has(id)).length);
    expect(second.lost).toBe([...a].filter((id) => !b.has(id)).length);
    // Two models of the same skill get different queries right: something changes between the rounds.
    expect((second.rescued ?? 0) + (second.lost ?? 0)).toBeGreaterThan(0);
    expect((await listRounds(SOURCE)).map((r) => r.number)).toEqual([2, 1]);
  });

  it("lists the refined answers that disagree with the reference", async () => {
    const list = await disagreeingRefined(second.id);
    expect(list.length).toBe(second.disagreeingRefined);
    for (const item of list) expect(["passed", "text", "approved"]).toContain(item.status);
  });

  it("a retried generation job writes nothing twice", async () => {
    const pool = await getPool();
    const ids = (await pool.query(`SELECT source_sample_id AS id FROM round_samples WHERE round_id = $1 ORDER BY id LIMIT 10`, [first.id])).rows.map((r) => r.id);
    await pool.query(`UPDATE rounds SET status = 'generating' WHERE id = $1`, [first.id]);
    await generateRoundChunk({ roundId: first.id, sourceSampleIds: ids });
    await pool.query(`UPDATE rounds SET status = 'refining' WHERE id = $1`, [first.id]);
    expect((await getRound(first.id)).generated).toBe(QUERIES);
  });

  it("N samples per query at a temperature: N different answers of each query", async () => {
    const third = await runRound("policy-r3", { samplesPerQuery: 2, temperature: 0.8 });
    expect(third).toMatchObject({ number: 3, answers: 2 * QUERIES, generated: 2 * QUERIES, status: "succeeded" });
    const pool = await getPool();
    const { rows } = await pool.query(
      `SELECT rs.source_sample_id, count(DISTINCT rs.sample_number)::int AS n FROM round_samples rs WHERE rs.round_id = $1 GROUP BY 1`,
      [third.id],
    );
    expect(rows).toHaveLength(QUERIES);
    for (const r of rows) expect(r.n).toBe(2);
  });
});

describe("starting a round", () => {
  it("refuses what it cannot do before writing anything, naming the field", async () => {
    const pool = await getPool();
    const before = (await pool.query(`SELECT count(*)::int AS n FROM datasets`)).rows[0].n;
    await expect(startRound({ source: "nope", model: "m", author: "human:t" })).rejects.toThrow('dataset "nope" does not exist');
    await expect(startRound({ source: SOURCE, author: "human:t" })).rejects.toThrow(/model: name the policy model/);
    await expect(startRound({ source: `${SOURCE} · round 1`, model: "m", author: "human:t" })).rejects.toThrow(/is itself a round/);
    await expect(startRound({ source: SOURCE, model: "m", samplesPerQuery: 0, author: "human:t" })).rejects.toThrow(/samplesPerQuery must be at least 1/);
    expect((await pool.query(`SELECT count(*)::int AS n FROM datasets`)).rows[0].n).toBe(before);
  });
});
