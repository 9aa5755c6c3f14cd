// The dashboard's numbers, for one dataset or all. Each is one aggregate over columns written for this purpose
// (status, stage_outcomes, status_stage/status_code, token columns, the decisions' judge snapshot grouped whole):
// nothing reads a sample's JSON or walks its verdicts one by one. Timed at 60k samples / 300k verdicts by
// bench/dashboard.ts.
import { modelCost } from "@/lib/cost/prices";
import { getModelPrices } from "@/lib/cost/prices-store";
import { getPool } from "@/lib/db/client";
import { addTokens } from "@/lib/llm/client";
import { getLlmConfig } from "@/lib/settings/store";
import { compareStages } from "@/lib/pipeline/stage-registry";
import { getRunProgress, type RunProgress } from "@/lib/runs/queries";
import { JUDGE_USAGE_SUMS } from "@/lib/runs/usage";
import type { SampleStatus } from "@/lib/samples/types";
import { judgeAgreement, type StageAgreement } from "./agreement";
import { interAnnotatorAgreement, type InterAnnotatorAgreement } from "./inter-annotator";
import { buildFunnel, failureGroups, type FailureGroup, type Funnel, type SampleGroup } from "./funnel";
import { decisionDays, type DecisionDay } from "./timeline";

/** null = every dataset. */
export type Scope = number | null;

/**
 * The condition that keeps rows of tables keyed by sample (verdicts, decisions) to one dataset, or nothing for all.
 * Two texts rather than `$1 IS NULL OR …`: an OR around the subquery would stop PostgreSQL from planning it as a
 * join and make it hash every sample id of the dataset for each query.
 */
function sampleScope(scope: Scope): { sql: string; params: number[] } {
  return scope === null ? { sql: "", params: [] } : { sql: "AND sample_id IN (SELECT id FROM samples WHERE dataset_id = $1)", params: [scope] };
}

/**
 * Every sample of the scope, grouped by what the funnel and the failure reasons need: few groups, however many
 * samples. Samples the pipeline never touched (pending, no stage outcome: what an import leaves) are only
 * counted, from the (dataset, status) index; the others are grouped whole — with the dashboard's partial index
 * (samples_dashboard_idx) an index-only scan that imports do not pay for. Grouped by dataset too, in the index's
 * order, so the groups stream out of it without hashing every row's outcome array (the callers sum the groups).
 */
export async function sampleGroups(scope: Scope): Promise<SampleGroup[]> {
  const pool = await getPool();
  const [touched, pending] = await Promise.all([
    pool.query<{ status: SampleStatus; stage: number | null; code: string | null; stage_outcomes: string[] | null; count: number }>(
      `SELECT status, status_stage AS stage, status_code AS code, stage_outcomes, count(*)::int AS count
       FROM samples WHERE (status <> 'pending' OR stage_outcomes <> '{}') AND ($1::int IS NULL OR dataset_id = $1)
       GROUP BY dataset_id, status, status_stage, status_code, stage_outcomes`,
      [scope],
    ),
    pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM samples WHERE status = 'pending' AND ($1::int IS NULL OR dataset_id = $1)`, [scope]),
  ]);
  const groups: SampleGroup[] = touched.rows.map((r) => ({ status: r.status, stage: r.stage, code: r.code, stageOutcomes: r.stage_outcomes ?? [], count: r.count }));
  const untouched = pending.rows[0].count - groups.filter((g) => g.status === "pending").reduce((n, g) => n + g.count, 0);
  if (untouched > 0) groups.push({ status: "pending", stage: null, code: null, stageOutcomes: [], count: untouched });
  return groups;
}

export interface FailureReason extends FailureGroup {
  /** One sample of the group and its reason, as an example. */
  exampleId: number | null;
  example: string;
}

/** The largest groups of discarded and flagged samples per stage, each with an example sample and its reason. */
export async function failureReasons(scope: Scope, groups: readonly SampleGroup[], perStage = 5): Promise<FailureReason[]> {
  const top = failureGroups(groups, perStage);
  if (top.length === 0) return [];
  const pool = await getPool();
  const { rows } = await pool.query<{ n: string; id: number; reason: string | null }>(
    `SELECT g.n, e.id, e.status_reason AS reason
     FROM unnest($2::text[], $3::int[], $4::text[]) WITH ORDINALITY AS g(status, stage, code, n)
     CROSS JOIN LATERAL (
       SELECT id, status_reason FROM samples
       WHERE status = g.status::"SampleStatus" AND status_stage IS NOT DISTINCT FROM g.stage
         AND coalesce(status_code, 'unknown') = g.code AND ($1::int IS NULL OR dataset_id = $1)
       LIMIT 1
     ) AS e`,
    [scope, top.map((g) => g.status), top.map((g) => g.stage), top.map((g) => g.code)],
  );
  const examples = new Map(rows.map((r) => [Number(r.n) - 1, r]));
  return top.map((group, i) => ({ ...group, exampleId: examples.get(i)?.id ?? null, example: examples.get(i)?.reason ?? "" }));
}

/** Runs in progress (running or paused), newest first, with their live counts. */
export async function liveRuns(scope: Scope, limit = 10): Promise<RunProgress[]> {
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number }>(
    `SELECT id FROM pipeline_runs WHERE status IN ('running', 'paused') AND ($1::int IS NULL OR dataset_id = $1) ORDER BY id DESC LIMIT $2`,
    [scope, limit],
  );
  const runs = await Promise.all(rows.map((r) => getRunProgress(r.id)));
  return runs.filter((run): run is RunProgress => run !== null);
}

export interface TokenUsage {
  prompt: number;
  /** The part of `prompt` the server's prefix cache served. */
  cached: number;
  completion: number;
}

export interface StageTokens extends TokenUsage {
  stage: number;
  /** LLM verdicts (judge calls, retries counted once). */
  calls: number;
  /** US dollars at the prices saved in Settings; null when a model asked has no price. */
  cost: number | null;
}

export interface RunTokens {
  id: number;
  dataset: string;
  status: RunProgress["status"];
  createdAt: Date;
  /** The judges: the LLM verdicts' tokens. */
  judge: TokenUsage;
  /** Everything the run spent (judges, CoT generation, regeneration): the teacher is the difference. */
  total: TokenUsage;
  /** The judges at their models' prices, the teacher at the teacher model's; null when one has no price. */
  cost: number | null;
}

export interface TokenReport {
  stages: StageTokens[];
  runs: RunTokens[];
}

const NONE: TokenUsage = { prompt: 0, cached: 0, completion: 0 };
const plusCost = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);

/**
 * LLM tokens per stage (the judges) and per recent full run (judges and teacher), with their cost at the saved
 * prices. Rule verdicts have no tokens.
 */
export async function tokenUsage(scope: Scope, runLimit = 8): Promise<TokenReport> {
  const pool = await getPool();
  const [judged, runs, prices, teacherModel] = await Promise.all([
    // The judges' tokens per run, stage and model: run by run, each an index-only range of the run's LLM verdicts
    // in stage order (summed as the Runs page sums them: JUDGE_USAGE_SUMS); then the verdicts written outside any run
    // (re-checks), few, checked one by one.
    pool.query<{ run_id: number | null; stage: number; model: string; calls: number; prompt: string; cached: string; completion: string }>(
      `SELECT r.id AS run_id, v.stage, v.model, v.calls, v.prompt, v.cached, v.completion
       FROM pipeline_runs r CROSS JOIN LATERAL (
         SELECT stage, ${JUDGE_USAGE_SUMS}
         FROM stage_verdicts WHERE run_id = r.id AND prompt_tokens IS NOT NULL GROUP BY stage, decided_by
       ) v
       WHERE ($1::int IS NULL OR r.dataset_id = $1)
       UNION ALL
       SELECT NULL, stage, ${JUDGE_USAGE_SUMS}
       FROM stage_verdicts v
       WHERE run_id IS NULL AND prompt_tokens IS NOT NULL
         AND ($1::int IS NULL OR EXISTS (SELECT 1 FROM samples s WHERE s.id = v.sample_id AND s.dataset_id = $1))
       GROUP BY stage, decided_by`,
      [scope],
    ),
    pool.query<{ id: number; dataset: string; status: RunProgress["status"]; created_at: Date; prompt: string | null; cached: string | null; completion: string | null }>(
      `SELECT r.id, d.name AS dataset, r.status, r.created_at, t.prompt, t.cached, t.completion
       FROM (SELECT * FROM pipeline_runs WHERE stages = 'all' AND ($1::int IS NULL OR dataset_id = $1) ORDER BY id DESC LIMIT $2) r
       JOIN datasets d ON d.id = r.dataset_id
       LEFT JOIN LATERAL (
         SELECT sum(prompt_tokens)::bigint AS prompt, sum(cached_tokens)::bigint AS cached, sum(completion_tokens)::bigint AS completion
         FROM pipeline_run_samples WHERE run_id = r.id
       ) t ON true
       ORDER BY r.id DESC`,
      [scope, runLimit],
    ),
    getModelPrices(),
    getLlmConfig().then((config) => config.teacherModel, () => "teacher"),
  ]);
  const stages = new Map<number, StageTokens>();
  const judgeByRun = new Map<number, TokenUsage & { cost: number | null }>();
  for (const row of judged.rows) {
    const tokens = { prompt: Number(row.prompt), cached: Number(row.cached), completion: Number(row.completion) };
    const cost = modelCost(prices, row.model, tokens);
    const stage = stages.get(row.stage) ?? { stage: row.stage, calls: 0, ...NONE, cost: 0 };
    stage.calls += row.calls;
    addTokens(stage, tokens);
    stage.cost = plusCost(stage.cost, cost);
    stages.set(row.stage, stage);
    if (row.run_id === null) continue;
    const run = judgeByRun.get(row.run_id) ?? { ...NONE, cost: 0 };
    addTokens(run, tokens);
    run.cost = plusCost(run.cost, cost);
    judgeByRun.set(row.run_id, run);
  }
  return {
    stages: [...stages.values()].sort((a, b) => compareStages(a.stage, b.stage)),
    runs: runs.rows.map((r) => {
      const { cost: judgeCost, ...judge } = judgeByRun.get(r.id) ?? { ...NONE, cost: 0 };
      const total = { prompt: Number(r.prompt ?? 0), cached: Number(r.cached ?? 0), completion: Number(r.completion ?? 0) };
      const teacher = { prompt: Math.max(0, total.prompt - judge.prompt), cached: Math.max(0, total.cached - judge.cached), completion: Math.max(0, total.completion - judge.completion) };
      const teacherCost = teacher.prompt + teacher.completion > 0 ? modelCost(prices, teacherModel, teacher) : 0;
      return { id: r.id, dataset: r.dataset, status: r.status, createdAt: r.created_at, judge, total, cost: plusCost(judgeCost, teacherCost) };
    }),
  };
}

/** Human decisions per UTC day and action over the last `days` days (today included). */
export async function decisionsOverTime(scope: Scope, days = 30, now = new Date()): Promise<DecisionDay[]> {
  const pool = await getPool();
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const inScope = sampleScope(scope);
  const { rows } = await pool.query<{ day: string; action: string; count: number }>(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, action, count(*)::int AS count
     FROM review_decisions WHERE created_at >= $${inScope.params.length + 1} AND undone_at IS NULL AND action <> 'undo' ${inScope.sql}
     GROUP BY 1, 2`,
    [...inScope.params, since],
  );
  return decisionDays(rows, days, now);
}

export interface JudgeHumanAgreement {
  /** Per stage, over the approves and discards of samples a person looked at. */
  stages: StageAgreement[];
  /** Approves and discards of judged samples made in bulk actions: not counted above (nobody read those samples). */
  bulkDecisions: number;
}

/** Judge–human agreement per stage over every looked-at approve and discard (see agreement.ts for the counting rule). */
export async function agreement(scope: Scope): Promise<JudgeHumanAgreement> {
  const pool = await getPool();
  // Grouped by the whole snapshot: a handful of distinct snapshots, however many decisions.
  const inScope = sampleScope(scope);
  const { rows } = await pool.query<{ action: string; stage: number | null; judge_outcomes: Record<string, unknown>; bulk: boolean; count: number }>(
    `SELECT action, stage, judge_outcomes, bulk_job_id IS NOT NULL AS bulk, count(*)::int AS count FROM review_decisions
     WHERE action IN ('approve', 'discard') AND undone_at IS NULL AND judge_outcomes <> '{}'::jsonb ${inScope.sql}
     GROUP BY action, stage, judge_outcomes, bulk_job_id IS NOT NULL`,
    inScope.params,
  );
  const looked = rows.filter((r) => !r.bulk);
  return {
    stages: judgeAgreement(looked.map((r) => ({ action: r.action, stage: r.stage, judgeOutcomes: r.judge_outcomes, count: r.count }))),
    bulkDecisions: rows.filter((r) => r.bulk).reduce((n, r) => n + r.count, 0),
  };
}

/**
 * Inter-annotator agreement over the samples several people reviewed (lib/review/overlap.ts): each round's votes
 * (review_votes at one sample version) with two or more of them. An empty result when no dataset has k > 1.
 */
export async function annotatorAgreement(scope: Scope): Promise<InterAnnotatorAgreement> {
  const pool = await getPool();
  const inScope = sampleScope(scope);
  const { rows } = await pool.query<{ votes: { rater: string; category: string }[] }>(
    `SELECT json_agg(json_build_object('rater', user_name, 'category', action)) AS votes FROM review_votes
     WHERE action IS NOT NULL ${inScope.sql}
     GROUP BY sample_id, version HAVING count(*) >= 2`,
    inScope.params,
  );
  return interAnnotatorAgreement(rows.map((r) => ({ ratings: r.votes })));
}

export interface DatasetOption {
  id: number;
  name: string;
}

export async function datasetOptions(): Promise<DatasetOption[]> {
  const pool = await getPool();
  const { rows } = await pool.query<DatasetOption>(`SELECT id, name FROM datasets ORDER BY name`);
  return rows;
}

export interface Dashboard {
  funnel: Funnel;
  failures: FailureReason[];
  liveRuns: RunProgress[];
  tokens: TokenReport;
  decisions: DecisionDay[];
  agreement: JudgeHumanAgreement;
  annotators: InterAnnotatorAgreement;
}

export async function getDashboard(scope: Scope): Promise<Dashboard> {
  const [[funnel, failures], runs, tokens, decisions, agree, annotators] = await Promise.all([
    sampleGroups(scope).then(async (groups) => [buildFunnel(groups), await failureReasons(scope, groups)] as const),
    liveRuns(scope),
    tokenUsage(scope),
    decisionsOverTime(scope),
    agreement(scope),
    annotatorAgreement(scope),
  ]);
  return { funnel, failures, liveRuns: runs, tokens, decisions, agreement: agree, annotators };
}
