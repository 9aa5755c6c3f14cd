// The hard-data pool's price (issue 13 §2): a set whose every answer fails stage 4's rules (an argument the tool
// does not take), run in the v3 flow at K = 4 and, for comparison, in the v1 flow (up to 4 regenerations, as many tries), both
// against the fake LLM at 0 ms. The teacher is scripted per sample: its first i % 6 answers after the CoT are bad,
// so a sample is rescued by its 1st to 4th candidate or by none, as in v1 by its 1st to 4th regeneration or none.
import path from "node:path";
import { getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import type { RunOptions } from "@/lib/runs/create-run";
import { loadBfclEntriesTheFakePasses, writeXlamSet } from "./generate-xlam";
import { fullRun, withFakeLlm } from "./pipeline";
import type { Report } from "./stats";

/** Every answer gets an argument its tool does not take; the teacher's answers are scripted by the sample's index. */
function failingStage4(value: Record<string, unknown>, index: number): Record<string, unknown> {
  const answers = JSON.parse(String(value.answers)) as { name: string; arguments: Record<string, unknown> }[];
  answers[0].arguments = { ...answers[0].arguments, colour: "blue" };
  // The index keeps each sample's query its own: the fake counts the teacher's answers per query.
  return { ...value, query: `${value.query} (#${index}) [[fake:teacher-fixes-after=${index % 6}]]`, answers: JSON.stringify(answers) };
}

/** What the samples that needed a new answer cost, and how many of them ended with one (passed). */
async function rescueCost(runId: number) {
  const pool = await getPool();
  const { rows } = await pool.query<{ needed: number; rescued: number; calls: number; tokens: string }>(
    `WITH needed AS (
       SELECT sample_id, result, prompt_tokens + completion_tokens AS tokens, pool IS NOT NULL AS pooled FROM pipeline_run_samples
       WHERE run_id = $1 AND (pool IS NOT NULL OR regenerations > 0 OR result = 'discarded')
     )
     SELECT count(*)::int AS needed, count(*) FILTER (WHERE result = 'passed')::int AS rescued, sum(tokens)::bigint AS tokens,
       ((SELECT count(*) FROM stage_verdicts v WHERE v.run_id = $1 AND v.decided_by LIKE 'llm:%' AND v.sample_id IN (SELECT sample_id FROM needed))
        -- Teacher requests: one per revision, except the pool's candidates, which come K to one request.
        + (SELECT count(*) FROM sample_revisions r WHERE r.run_id = $1 AND r.author LIKE 'llm:%' AND r.reason NOT LIKE 'Hard pool:%'
             AND r.sample_id IN (SELECT sample_id FROM needed))
        + (SELECT count(*) FROM needed WHERE pooled))::int AS calls
     FROM needed`,
    [runId],
  );
  const { needed, rescued, calls, tokens } = rows[0];
  return { needed, rescued, callsPerRescued: calls / Math.max(1, rescued), tokensPerRescued: Number(tokens) / Math.max(1, rescued) };
}

export async function hardPoolBench(benchFile: string, report: Report) {
  const count = Number(process.env.BENCH_POOL_SAMPLES) || 1_200;
  const file = benchFile.replace(/\.json$/, "-pool.json");
  await writeXlamSet(await loadBfclEntriesTheFakePasses(path.resolve("fixtures/bfcl")), count, file);
  const flows: [string, Partial<RunOptions>][] = [
    ["v3 hard-data pool, K = 4", { hardPool: { candidates: 4 }, maxRegenerations: 3 }],
    ["v1 regeneration, up to 4 (as many tries)", { maxRegenerations: 4 }],
  ];
  for (const [label, run] of flows) {
    const result = await withFakeLlm(0, (url) => fullRun(file, count, 64, url, { record: failingStage4, run }));
    const cost = await rescueCost(result.runId);
    report(
      `${label}: cost per rescued sample (judge at 0 ms)`,
      `${cost.callsPerRescued.toFixed(2)} LLM calls, ${Math.round(cost.tokensPerRescued)} tokens (${cost.rescued} of ${cost.needed} stage-4 failures rescued, ` +
        `every one of the ${cost.needed} samples' calls and tokens counted; ${Math.round(result.rate)} samples/s, ${result.status})`,
    );
  }
  await stopBoss();
}
