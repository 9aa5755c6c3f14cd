// Dashboard figures: every dashboard query at BENCH_SAMPLES samples (default 60k) with five verdicts each
// (300k), runs, and human decisions, seeded straight in SQL in a dataset of their own; each query timed warm
// (median of 5), for one dataset and for all. Standalone: `npx tsx bench/dashboard.ts` (own embedded database).
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Report } from "./stats";

const TOOLS = JSON.stringify(
  Array.from({ length: 3 }, (_, i) => ({
    name: `tool_${i}`,
    description: "Looks something up for the user and returns the matching records with their details. ".repeat(3),
    parameters: { city: { type: "str", description: "The city name." }, days: { type: "int, optional", description: "How many days.", default: 1 } },
  })),
);

/** Seeds `samples` samples in a new dataset: statuses, stage outcomes, verdicts with tokens, 3 runs, decisions. */
async function seed(samples: number): Promise<number> {
  const { getPool } = await import("@/lib/db/client");
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number }>(`INSERT INTO datasets (name) VALUES ($1) RETURNING id`, [`bench-dashboard-${Date.now()}`]);
  const datasetId = rows[0].id;
  // Status by position: 35% passed, 10% approved, 5% text, 25% discarded (a third at stage 2, the rest at 4),
  // 10% flagged (stage 3 errors), 15% pending.
  await pool.query(
    `INSERT INTO samples (dataset_id, query, tools, answer_kind, answer, cot, status, content_hash, tool_names, stage_outcomes,
       decided_by, status_stage, status_code, status_reason)
     SELECT $1, 'What is the weather going to be like in city number ' || g || ' over the next few days? ' || md5(g::text),
       $3::json, 'calls', json_build_array(json_build_object('name', 'tool_0', 'arguments', json_build_object('city', 'City ' || g))),
       CASE WHEN k.status <> 'pending' THEN repeat('The user wants the forecast, so the tool takes the city. ', 12) END,
       k.status::"SampleStatus", md5('bench-dashboard' || g), '{tool_0,tool_1,tool_2}', k.outcomes, k.decided_by, k.stage, k.code, k.reason
     FROM generate_series(1, $2) AS g
     CROSS JOIN LATERAL (SELECT (g % 100) AS p) AS b
     CROSS JOIN LATERAL (SELECT
       CASE WHEN p < 35 THEN 'passed' WHEN p < 45 THEN 'approved' WHEN p < 50 THEN 'text' WHEN p < 75 THEN 'discarded'
            WHEN p < 85 THEN 'flagged' ELSE 'pending' END AS status,
       CASE WHEN p < 45 THEN '{1:pass,2:pass,3:pass,4:pass,5:pass}'::text[] WHEN p < 50 THEN '{1:pass}'::text[]
            WHEN p < 58 THEN '{1:pass,2:fail}'::text[] WHEN p < 75 THEN '{1:pass,2:pass,3:pass,4:fail}'::text[]
            WHEN p < 85 THEN '{1:pass,2:pass,3:error}'::text[] ELSE '{}'::text[] END AS outcomes,
       CASE WHEN p < 50 THEN 'rule' WHEN p < 58 THEN 'llm' WHEN p < 75 THEN 'rule' WHEN p < 85 THEN 'llm' END AS decided_by,
       CASE WHEN p BETWEEN 50 AND 57 THEN 2 WHEN p BETWEEN 58 AND 74 THEN 4 WHEN p BETWEEN 75 AND 84 THEN 3 END AS stage,
       CASE WHEN p BETWEEN 50 AND 57 THEN 'llm' WHEN p BETWEEN 58 AND 74 THEN 'rule:unknown-argument' WHEN p BETWEEN 75 AND 84 THEN 'llm' END AS code,
       CASE WHEN p >= 50 AND p < 85 THEN 'Stage ' || (CASE WHEN p < 58 THEN 2 WHEN p < 75 THEN 4 ELSE 3 END) || ': the bench says so (' || g || ')' END AS reason
     ) AS k`,
    [datasetId, samples, TOOLS],
  );
  for (let i = 0; i < 3; i++) {
    await pool.query(
      `INSERT INTO pipeline_runs (dataset_id, stages, concurrency, max_regenerations, status, total) VALUES ($1, 'all', 16, 3, 'succeeded', 0)`,
      [datasetId],
    );
  }
  // Five verdicts per pipelined sample, each run taking a third of the samples; stages 2–4 are judged by the LLM.
  await pool.query(
    `WITH runs AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM pipeline_runs WHERE dataset_id = $1),
     picked AS (SELECT s.id, runs.id AS run_id FROM samples s JOIN runs ON runs.n = s.id % 3 WHERE s.dataset_id = $1 AND s.status <> 'pending')
     INSERT INTO pipeline_run_samples (run_id, sample_id, sample_version, result, prompt_tokens, completion_tokens, finished_at)
     SELECT run_id, id, 1, 'passed', 2400, 300, now() FROM picked`,
    [datasetId],
  );
  await pool.query(
    `INSERT INTO stage_verdicts (sample_id, run_id, stage, outcome, reason, evidence, decided_by, prompt_tokens, completion_tokens, latency_ms)
     SELECT m.sample_id, m.run_id, g.stage, 'pass', 'The bench verdict for this stage.', '{"bench": true}',
       CASE WHEN g.stage IN (2, 3, 4) THEN 'llm:bench' ELSE 'rule:bench' END,
       CASE WHEN g.stage IN (2, 3, 4) THEN 700 END, CASE WHEN g.stage IN (2, 3, 4) THEN 60 END, 120
     FROM pipeline_run_samples m JOIN pipeline_runs r ON r.id = m.run_id CROSS JOIN generate_series(1, 5) AS g(stage) WHERE r.dataset_id = $1`,
    [datasetId],
  );
  // One decision per approved sample and per fifth discarded one, spread over 30 days.
  await pool.query(
    `INSERT INTO review_decisions (sample_id, action, author, stage, status_before, status_after, version, judge_outcomes, created_at)
     SELECT id, CASE WHEN status = 'approved' THEN 'approve' ELSE 'discard' END, 'human:bench',
       CASE WHEN status = 'discarded' THEN 4 END, 'passed', status, 2,
       CASE WHEN id % 7 = 0 THEN '{"2": "pass", "3": "pass", "4": "fail"}' ELSE '{"2": "pass", "3": "pass", "4": "pass"}' END::jsonb,
       now() - (id % 30) * interval '1 day'
     FROM samples WHERE dataset_id = $1 AND (status = 'approved' OR (status = 'discarded' AND id % 5 = 0))`,
    [datasetId],
  );
  await pool.query("VACUUM ANALYZE samples, stage_verdicts, pipeline_run_samples, review_decisions");
  return datasetId;
}

async function time(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2];
}

export async function dashboardBench(samples: number, report: Report) {
  const q = await import("@/lib/dashboard/queries");
  const datasetId = await seed(samples);
  const queries: Record<string, (scope: number | null) => Promise<unknown>> = {
    "funnel (samples grouped)": q.sampleGroups,
    "failure reasons' examples": async (scope) => q.failureReasons(scope, await q.sampleGroups(scope)),
    "judge tokens": q.tokenUsage,
    "decisions over time": q.decisionsOverTime,
    "judge–human agreement": q.agreement,
    "whole page": q.getDashboard,
  };
  for (const [name, query] of Object.entries(queries)) {
    const one = await time(() => query(datasetId));
    const all = await time(() => query(null));
    report(`dashboard ${name}: one dataset / all`, `${one.toFixed(1)} ms / ${all.toFixed(1)} ms`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (!process.env.DATABASE_URL) {
    process.env.STUDIO_PG_PORT ??= "54359";
    process.env.STUDIO_PG_DATA ??= path.resolve(".data/bench-postgres");
  }
  const { closeDb } = await import("@/lib/db/client");
  await dashboardBench(Number(process.env.BENCH_SAMPLES) || 60_000, (name, value) => process.stdout.write(`${name.padEnd(50)} ${value}\n`));
  await closeDb();
}
