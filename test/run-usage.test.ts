// A run's tokens and cost (issue 15 §1), on the real database against the fake LLM through the real SDK: every LLM
// verdict keeps the prompt, cached and completion tokens the server reported; each run sample its calls and sums;
// the Runs page's usage (GET /api/runs/:id) shows per stage and for the teacher calls, prompt / cached / completion
// tokens and the cost at the prices an admin saved (PUT /api/settings/prices); no price, no cost.
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as pricesRoute from "@/app/api/settings/prices/route";
import * as runRoute from "@/app/api/runs/[id]/route";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorker } from "@/lib/jobs/worker";
import type { FakeRequestLog } from "@/lib/llm/fake-server";
import { createRun } from "@/lib/runs/create-run";
import { getRunProgress } from "@/lib/runs/queries";
import { RUN_JUDGE_USAGE_SQL, type RunUsage } from "@/lib/runs/usage";
import * as estimateRoute from "@/app/api/runs/estimate/route";
import type { RunEstimate } from "@/lib/cost/estimate";
import { importSamples } from "@/lib/samples/import";
import { useFakeLlm } from "./fake-llm";
import { useOwnDatabase } from "./own-database";
import { routeContext, studioRequest } from "./route-request";
import { waitFor } from "./run-helpers";
import { fileDir } from "./temp-dir";

const session = vi.hoisted(() => ({ role: "admin" as "admin" | "viewer" }));
vi.mock("@/lib/auth/session", () => ({
  sessionUser: async () => ({ id: "usage-user", email: "usage@test", name: "Usage", role: session.role }),
}));

const ownDatabase = await useOwnDatabase("run_usage");

const TOOLS = [{ name: "get_weather", description: "Current weather for a city.", parameters: { city: { description: "The city name.", type: "str", default: "" } } }];
// No CoT: the teacher writes one for each sample, then stages 2, 3 and 4 are judged.
const RECORDS = ["Lyon", "Paris", "Rome"].map((city) => ({
  id: city,
  query: `What is the weather in ${city}?`,
  tools: JSON.stringify(TOOLS),
  answers: JSON.stringify([{ name: "get_weather", arguments: { city } }]),
}));

const llm = useFakeLlm({ logLimit: 10_000 }, { env: true });
let runId: number;
let served: FakeRequestLog[];
let estimate: RunEstimate;

async function estimateOf(dataset: string): Promise<RunEstimate> {
  const res = await estimateRoute.GET(studioRequest(`/api/runs/estimate?dataset=${dataset}&skipStages=0`), routeContext());
  expect(res.status).toBe(200);
  return (await res.json()).estimate;
}

const dir = await fileDir("studio-usage-");

beforeAll(async () => {
  const file = path.join(dir, "usage.jsonl");
  await writeFile(file, RECORDS.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await importSamples({ datasetName: "usage", fileName: "usage.jsonl", input: createReadStream(file) });
  await startWorker();
  estimate = await estimateOf("usage");
  ({ runId } = await createRun({ datasetName: "usage", stages: "all", concurrency: 1, maxRegenerations: 0, skipStages: [0] }));
  await waitFor("the run", () => getRunProgress(runId), (p) => p?.status !== "running", 60_000);
  served = llm.requests.filter((r) => r.usage);
}, 120_000);

afterAll(async () => {
  await stopBoss();
  await closeDb();
  await ownDatabase.drop();
});

const sum = (rows: FakeRequestLog[], pick: (u: NonNullable<FakeRequestLog["usage"]>) => number) => rows.reduce((n, r) => n + pick(r.usage!), 0);

async function usageOf(id: number): Promise<RunUsage> {
  const res = await runRoute.GET(studioRequest(`/api/runs/${id}`), routeContext({ id: String(id) }));
  expect(res.status).toBe(200);
  return (await res.json()).usage;
}

async function putPrices(body: unknown) {
  return pricesRoute.PUT(studioRequest("/api/settings/prices", { method: "PUT", body: JSON.stringify(body), headers: { "content-type": "application/json" } }), routeContext());
}

describe("the tokens a run keeps", () => {
  it("keeps each LLM verdict's prompt, cached and completion tokens as the server reported them", async () => {
    const pool = await getPool();
    const { rows } = await pool.query<{ prompt: number; cached: number; completion: number }>(
      `SELECT prompt_tokens AS prompt, cached_tokens AS cached, completion_tokens AS completion FROM stage_verdicts
       WHERE run_id = $1 AND decided_by LIKE 'llm:%' ORDER BY id`,
      [runId],
    );
    const judged = served.filter((r) => r.task === "judge");
    expect(rows).toHaveLength(9); // stages 2, 3, 4 for three samples
    expect(rows.map((r) => [r.prompt, r.cached, r.completion]).sort()).toEqual(
      judged.map((r) => [r.usage!.prompt_tokens, r.usage!.prompt_tokens_details.cached_tokens, r.usage!.completion_tokens]).sort(),
    );
    // The judges' prompts share their system text across samples: the server's cache served part of them.
    expect(rows.reduce((n, r) => n + r.cached, 0)).toBeGreaterThan(0);
  });

  it("sums every call of a sample (judges and teacher) on its run mark, with the number of calls", async () => {
    const pool = await getPool();
    const { rows } = await pool.query(
      `SELECT sum(llm_calls)::int AS calls, sum(prompt_tokens)::int AS prompt, sum(cached_tokens)::int AS cached, sum(completion_tokens)::int AS completion
       FROM pipeline_run_samples WHERE run_id = $1`,
      [runId],
    );
    expect(rows[0]).toEqual({
      calls: served.length,
      prompt: sum(served, (u) => u.prompt_tokens),
      cached: sum(served, (u) => u.prompt_tokens_details.cached_tokens),
      completion: sum(served, (u) => u.completion_tokens),
    });
    expect(served.filter((r) => r.task === "teacher")).toHaveLength(3);
  });
});

describe("the run's usage and cost", () => {
  it("shows calls and tokens per stage and for the teacher, and no cost while no price is saved", async () => {
    const usage = await usageOf(runId);
    expect(usage.stages.map((s) => [s.stage, s.calls])).toEqual([[2, 3], [3, 3], [4, 3]]);
    const teacher = served.filter((r) => r.task === "teacher");
    expect(usage.teacher).toMatchObject({ calls: 3, prompt: sum(teacher, (u) => u.prompt_tokens), cached: sum(teacher, (u) => u.prompt_tokens_details.cached_tokens), cost: null });
    expect(usage.total).toMatchObject({ calls: 12, prompt: sum(served, (u) => u.prompt_tokens), cost: null });
    expect(usage.stages.every((s) => s.cost === null)).toBe(true);
  });

  it("sums the judges' calls and tokens from the index alone, not from the verdicts' rows (the Runs page asks every second)", async () => {
    const pool = await getPool();
    await pool.query("VACUUM stage_verdicts"); // what autovacuum does for a table that grows: its pages marked all-visible
    const client = await pool.connect();
    try {
      // A few verdicts here; a 60k run has 180,000. The planner is kept from reading the table, as it would at that size.
      await client.query("BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off");
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${RUN_JUDGE_USAGE_SQL}`, [runId]);
      const scans: string[] = [];
      const walk = (node: { "Node Type": string; "Index Name"?: string; Plans?: unknown[] }) => {
        if (/Scan/.test(node["Node Type"])) scans.push(`${node["Node Type"]} ${node["Index Name"] ?? ""}`.trim());
        for (const child of node.Plans ?? []) walk(child as typeof node);
      };
      walk(rows[0]["QUERY PLAN"][0].Plan);
      expect(scans).toEqual(["Index Only Scan stage_verdicts_llm_tokens_idx"]);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("prices uncached input, cached input and output at what the admin saved", async () => {
    const res = await putPrices({ prices: [{ model: "fake-judge", input: 2.5, cachedInput: 1.25, output: 10 }] });
    expect(res.status).toBe(200);
    const usage = await usageOf(runId);
    const expected = served.reduce((n, r) => {
      const u = r.usage!;
      const cached = u.prompt_tokens_details.cached_tokens;
      return n + ((u.prompt_tokens - cached) * 2.5 + cached * 1.25 + u.completion_tokens * 10) / 1e6;
    }, 0);
    expect(usage.total.cost).toBeCloseTo(expected, 10);
    expect(usage.stages.reduce((n, s) => n + s.cost!, 0) + usage.teacher.cost!).toBeCloseTo(expected, 10);
  });

  it("refuses a bad price with a 400 naming the field, and keeps the saved prices", async () => {
    const res = await putPrices({ prices: [{ model: "fake-judge", input: -1, output: 10 }] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/input/);
    const saved = await (await pricesRoute.GET(studioRequest("/api/settings/prices"), routeContext())).json();
    expect(saved.prices).toEqual([{ model: "fake-judge", input: 2.5, cachedInput: 1.25, output: 10 }]);
  });

  it("lets only an admin save prices", async () => {
    session.role = "viewer";
    try {
      expect((await putPrices({ prices: [] })).status).toBe(403);
    } finally {
      session.role = "admin";
    }
  });
});

describe("the estimate before a run", () => {
  it("counts the calls the run made and their prompt tokens within 15%, from the same tokenizer and cache", () => {
    expect(estimate).toMatchObject({ samples: 3, sampled: 3, callsPerSample: 4 });
    expect(estimate.total.calls).toBe(served.length);
    const billed = sum(served, (u) => u.prompt_tokens);
    expect(Math.abs(estimate.total.prompt - billed) / billed).toBeLessThan(0.15);
    expect(estimate.total.cached).toBeGreaterThan(0);
    expect(estimate.cost).toBeNull(); // no price was saved yet
  });

  it("prices the estimate once prices are saved, and answers 404 for an unknown dataset", async () => {
    await putPrices({ prices: [{ model: "fake-judge", input: 2.5, cachedInput: 1.25, output: 10 }] });
    const priced = await estimateOf("usage");
    expect(priced.samples).toBe(0); // the run took them all
    expect(priced.cost).toBe(0); // priced (no longer null), at nothing left to run
    const res = await estimateRoute.GET(studioRequest("/api/runs/estimate?dataset=nope"), routeContext());
    expect(res.status).toBe(404);
  });
});
