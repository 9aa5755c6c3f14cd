// Calibrating a judge before it decides a large run: the samples of a dataset that a person decided in a way that
// speaks to one stage (an approval passes every stage; a discard fails the stage it blames) are judged again by a
// judge configuration, with the stage's own code and prompt, and the two are compared (./metrics.ts). No sample,
// verdict or status changes: the judge's answers are kept on the calibration's own items.
import "server-only";
import pLimit from "p-limit";
import { getPool } from "@/lib/db/client";
import { CALIBRATION_QUEUE, getBoss, type CalibrationJob } from "@/lib/jobs/boss";
import { ConflictError, InvalidRequestError, NotFoundError, UnprocessableError } from "@/lib/errors";
import { createLlmClient } from "@/lib/llm/client";
import { clientConfigFor } from "@/lib/llm/config";
import { panelWithClients } from "@/lib/judges/panel-clients";
import { withoutKeys, type SavedPanel } from "@/lib/judges/panels";
import { JUDGE_PROMPTS, judgePromptVersions } from "@/lib/llm/prompts";
import { PANEL_STAGE_IDS, STAGE_REGISTRY, stageInfo, type StageId } from "@/lib/pipeline/stage-registry";
import { STAGES } from "@/lib/pipeline/stages";
import { deciding, stageOutcome, type PipelineSample, type StageContext } from "@/lib/pipeline/types";
import { toAnswer } from "@/lib/samples/export";
import { getJudgePanels } from "@/lib/settings/panels-store";
import { getLlmConfig, isLlmAvailable } from "@/lib/settings/store";
import { calibrationMetrics, compareConfigurations, type CalibrationMetrics, type HumanLabel, type JudgeLabel, type PairedComparison } from "./metrics";

/** The stages a judge decides (their registry entry names a judge prompt): the ones there is something to calibrate. */
export const JUDGED_STAGES = STAGE_REGISTRY.filter((stage) => stage.judges.length > 0).map((stage) => stage.id as StageId);

/** Samples judged at once by one calibration (its judge's requests in flight). */
const CONCURRENCY = 8;
/** Disagreements a calibration's page lists (the counts cover all). */
const DISAGREEMENTS_SHOWN = 500;

export interface CalibrationRequest {
  dataset: string;
  /** Checked here: a stage with a judge (JUDGED_STAGES). */
  stage: number;
  /** The judge model (on the Settings endpoint); left out: the stage's model from Settings. */
  model?: string;
  /** A judge panel saved on the Settings page, asked instead of one model. */
  panel?: string;
  /** The version of the stage's judge prompt the model is asked with; left out: the current one. Not with a panel. */
  promptVersion?: number;
  includeBulk: boolean;
  author: string;
}

export type CalibrationStatus = "running" | "succeeded" | "failed";

export interface CalibrationSummary {
  id: number;
  dataset: string;
  stage: StageId;
  model: string;
  promptVersion: string | null;
  includeBulk: boolean;
  status: CalibrationStatus;
  failure: string | null;
  /** Samples in the calibration, and how many the judge has answered so far. */
  total: number;
  done: number;
  createdBy: string;
  createdAt: Date;
  finishedAt: Date | null;
  metrics: CalibrationMetrics;
}

export interface Disagreement {
  sampleId: number;
  human: HumanLabel;
  judge: "pass" | "fail";
  reason: string | null;
  query: string;
}

/**
 * The people's labels for a stage: per sample of the dataset, the latest decision that still stands (not undone;
 * not an open vote of several reviewers), made on the version the sample still has (a sample edited since was
 * decided on other text), approving it or discarding it for this stage. Bulk decisions only when asked: nobody read
 * those samples. $1 dataset id, $2 stage, $3 include bulk decisions.
 */
const LABELS_SQL = `
  SELECT l.sample_id, CASE WHEN l.action = 'approve' THEN 'pass' ELSE 'fail' END AS human
  FROM (
    SELECT DISTINCT ON (d.sample_id) d.sample_id, d.action, d.stage, d.bulk_job_id
    FROM review_decisions d JOIN samples s ON s.id = d.sample_id
    WHERE s.dataset_id = $1 AND d.undone_at IS NULL AND d.action IN ('approve', 'discard')
      AND d.status_after = s.status AND d.version = s.version
      AND (d.kind IS DISTINCT FROM 'vote' OR d.status_after <> d.status_before)
    ORDER BY d.sample_id, d.id DESC
  ) l
  WHERE ($3 OR l.bulk_job_id IS NULL) AND (l.action = 'approve' OR l.stage = $2)`;

/** Starts a calibration: its items (the people's labels) are written now; judging them is `judgeCalibration`. */
export async function createCalibration(request: CalibrationRequest): Promise<{ id: number; total: number }> {
  if (!JUDGED_STAGES.includes(request.stage as StageId)) throw new InvalidRequestError(`stage ${request.stage} has no judge to calibrate (judged stages: ${JUDGED_STAGES.join(", ")})`);
  if (!(await isLlmAvailable())) throw new ConflictError("No LLM endpoint is configured: an admin sets one on the Settings page before a judge can be calibrated.");
  const panel = request.panel ? await savedPanel(request.panel, request.stage as StageId) : null;
  if (panel && request.promptVersion !== undefined) {
    throw new InvalidRequestError("promptVersion: a panel's members are asked with their own prompt versions (set on the Settings page)");
  }
  // A panel's members may differ: their versions are on the panel recorded with the calibration.
  const promptVersion = panel ? null : stagePromptVersion(request.stage as StageId, request.promptVersion);
  const model = panel ? `panel:${panel.name}` : request.model?.trim() || clientConfigFor(await getLlmConfig(), request.stage as StageId).model;
  const pool = await getPool();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const dataset = (await client.query<{ id: number }>("SELECT id FROM datasets WHERE name = $1", [request.dataset])).rows[0];
    if (!dataset) throw new NotFoundError(`dataset ${request.dataset} does not exist`);
    const { rows } = await client.query<{ id: number }>(
      "INSERT INTO calibration_runs (dataset_id, stage, model, panel, prompt_version, include_bulk, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      [dataset.id, request.stage, model, panel && withoutKeys(panel), promptVersion, request.includeBulk, request.author],
    );
    const id = rows[0].id;
    const items = await client.query(`INSERT INTO calibration_items (run_id, sample_id, human) SELECT $4, sample_id, human FROM (${LABELS_SQL}) labels`, [
      dataset.id,
      request.stage,
      request.includeBulk,
      id,
    ]);
    const total = items.rowCount ?? 0;
    if (total === 0) {
      throw new UnprocessableError(
        `No sample of ${request.dataset} has a decision by a person that speaks to stage ${request.stage} (an approval, or a discard blaming stage ${request.stage})${request.includeBulk ? "" : ", leaving out bulk decisions"}: there is nothing to compare the judge with.`,
      );
    }
    await client.query("UPDATE calibration_runs SET total = $2 WHERE id = $1", [id, total]);
    await client.query("COMMIT");
    return { id, total };
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

/** The versions of each judged stage's prompt a calibration can ask with, oldest first. */
export function calibrationPromptVersions(): Record<number, number[]> {
  return Object.fromEntries(JUDGED_STAGES.map((stage) => [stage, judgePromptVersions(stageInfo(stage).judges[0])]));
}

/** The stage's judge prompt at `version` ("judge-values.v2"), the current one when none is asked. */
function stagePromptVersion(stage: StageId, version: number | undefined): string {
  const current = stageInfo(stage).judges[0];
  if (version === undefined) return current;
  const wanted = current.replace(/\.v\d+$/, `.v${version}`);
  if (!JUDGE_PROMPTS.has(wanted)) {
    const versions = judgePromptVersions(current);
    throw new InvalidRequestError(`promptVersion: there is no ${wanted}; stage ${stage}'s judge prompt has version${versions.length === 1 ? "" : "s"} ${versions.join(", ")}`);
  }
  return wanted;
}

/** The panel saved under `name`, for a stage that can have one. */
async function savedPanel(name: string, stage: StageId): Promise<SavedPanel> {
  if (!PANEL_STAGE_IDS.includes(stage)) throw new InvalidRequestError(`stage ${stage} cannot have a judge panel (stages with panels: ${PANEL_STAGE_IDS.join(", ")})`);
  const panel = (await getJudgePanels()).find((p) => p.name === name);
  if (!panel) throw new NotFoundError(`no judge panel is saved under the name ${name}: define it on the Settings page`);
  return panel;
}

/** Creates the calibration and queues its judging for a worker (the page follows it). */
export async function startCalibration(request: CalibrationRequest): Promise<{ id: number; total: number }> {
  const created = await createCalibration(request);
  const boss = await getBoss();
  // A worker that dies mid-way hands the job on after this; the next one judges only what is left.
  await boss.send(CALIBRATION_QUEUE, { calibrationId: created.id } satisfies CalibrationJob, { expireInSeconds: 60 * 60 });
  return created;
}

/**
 * Judges every item not judged yet (safe to run again: a retried job picks up where it stopped), then marks the
 * calibration done. The stage runs as in a pipeline run (its rule first, then the judge); the item keeps the stage's
 * outcome and the judge's reason.
 */
export async function judgeCalibration(id: number): Promise<void> {
  const pool = await getPool();
  const run = (
    await pool.query<{ stage: StageId; model: string; panel: SavedPanel | null; prompt_version: string | null; status: string }>(
      "SELECT stage, model, panel, prompt_version, status FROM calibration_runs WHERE id = $1",
      [id],
    )
  ).rows[0];
  if (!run || run.status !== "running") return;
  try {
    const config = await getLlmConfig();
    // A panel's stage still has its single judge: the stages ask a judge only when there is one.
    const judge = createLlmClient(run.panel ? clientConfigFor(config, run.stage) : { ...clientConfigFor(config, run.stage), model: run.model });
    const panel = run.panel ? panelWithClients(run.panel, await getJudgePanels(), config) : null;
    const version = run.prompt_version ? Number(/\.v(\d+)$/.exec(run.prompt_version)?.[1]) : undefined;
    const ctx: StageContext = {
      judge,
      modelFor: () => run.model,
      panelFor: (stage) => (stage === run.stage ? panel : null),
      promptVersionFor: (stage) => (stage === run.stage ? version : undefined),
    };
    const stage = STAGES.find((s) => s.id === run.stage)!;
    const { rows } = await pool.query(
      `SELECT s.id, s.query, s.tools, s.answer_kind, s.answer, s.cot, s.follow_up FROM calibration_items i JOIN samples s ON s.id = i.sample_id
       WHERE i.run_id = $1 AND i.judge IS NULL ORDER BY s.id`,
      [id],
    );
    const limit = pLimit(CONCURRENCY);
    await Promise.all(
      rows.map((row) =>
        limit(async () => {
          const sample: PipelineSample = { id: row.id, query: row.query, tools: row.tools, answer: toAnswer(row.answer_kind, row.answer), cot: row.cot, ...(row.follow_up ? { followUp: row.follow_up } : {}) };
          const verdicts = await stage.run(sample, ctx);
          const outcome = stageOutcome(verdicts) as JudgeLabel;
          // The deciding verdict's reason (the judge's, or the panel's with its vote); every member's tokens.
          const decisive = deciding(verdicts).findLast((v) => v.outcome === outcome) ?? verdicts.at(-1);
          const tokens = (key: "promptTokens" | "cachedTokens" | "completionTokens") => verdicts.reduce((sum, v) => sum + (v[key] ?? 0), 0);
          await pool.query(
            `UPDATE calibration_items SET judge = $3, reason = $4, prompt_tokens = $5, completion_tokens = $6, cached_tokens = $7 WHERE run_id = $1 AND sample_id = $2`,
            [id, row.id, outcome, decisive?.reason ?? null, tokens("promptTokens"), tokens("completionTokens"), tokens("cachedTokens")],
          );
        }),
      ),
    );
    await pool.query("UPDATE calibration_runs SET status = 'succeeded', finished_at = now() WHERE id = $1 AND status = 'running'", [id]);
  } catch (error) {
    await pool.query("UPDATE calibration_runs SET status = 'failed', failure = $2, finished_at = now() WHERE id = $1", [id, (error as Error).message]);
    throw error;
  }
}

interface SummaryRow {
  id: number;
  dataset: string;
  stage: StageId;
  model: string;
  prompt_version: string | null;
  include_bulk: boolean;
  status: CalibrationStatus;
  failure: string | null;
  total: number;
  created_by: string;
  created_at: Date;
  finished_at: Date | null;
  done: number;
  both_fail: number;
  human_fail_judge_pass: number;
  human_pass_judge_fail: number;
  both_pass: number;
  errors: number;
  skipped: number;
}

const SUMMARY_SQL = `
  SELECT c.id, d.name AS dataset, c.stage, c.model, c.prompt_version, c.include_bulk, c.status, c.failure, c.total,
    c.created_by, c.created_at, c.finished_at, n.*
  FROM calibration_runs c JOIN datasets d ON d.id = c.dataset_id
  CROSS JOIN LATERAL (
    SELECT count(i.judge)::int AS done,
      count(*) FILTER (WHERE i.human = 'fail' AND i.judge = 'fail')::int AS both_fail,
      count(*) FILTER (WHERE i.human = 'fail' AND i.judge = 'pass')::int AS human_fail_judge_pass,
      count(*) FILTER (WHERE i.human = 'pass' AND i.judge = 'fail')::int AS human_pass_judge_fail,
      count(*) FILTER (WHERE i.human = 'pass' AND i.judge = 'pass')::int AS both_pass,
      count(*) FILTER (WHERE i.judge = 'error')::int AS errors,
      count(*) FILTER (WHERE i.judge = 'skip')::int AS skipped
    FROM calibration_items i WHERE i.run_id = c.id
  ) n`;

function summaryOf(row: SummaryRow): CalibrationSummary {
  const confusion = { bothFail: row.both_fail, humanFailJudgePass: row.human_fail_judge_pass, humanPassJudgeFail: row.human_pass_judge_fail, bothPass: row.both_pass };
  return {
    id: row.id,
    dataset: row.dataset,
    stage: row.stage,
    model: row.model,
    promptVersion: row.prompt_version,
    includeBulk: row.include_bulk,
    status: row.status,
    failure: row.failure,
    total: row.total,
    done: row.done,
    createdBy: row.created_by,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    metrics: calibrationMetrics(confusion, row.errors, row.skipped),
  };
}

/** Every calibration, newest first: a judge configuration's track record. */
export async function listCalibrations(limit = 200): Promise<CalibrationSummary[]> {
  const pool = await getPool();
  const { rows } = await pool.query<SummaryRow>(`${SUMMARY_SQL} ORDER BY c.id DESC LIMIT $1`, [limit]);
  return rows.map(summaryOf);
}

/** One calibration with the samples where the judge and the person disagree. */
export async function getCalibration(id: number): Promise<{ calibration: CalibrationSummary; disagreements: Disagreement[] }> {
  const pool = await getPool();
  const row = (await pool.query<SummaryRow>(`${SUMMARY_SQL} WHERE c.id = $1`, [id])).rows[0];
  if (!row) throw new NotFoundError(`calibration ${id} does not exist`);
  const { rows } = await pool.query<{ sample_id: number; human: HumanLabel; judge: "pass" | "fail"; reason: string | null; query: string }>(
    `SELECT i.sample_id, i.human, i.judge, i.reason, left(s.query, 300) AS query FROM calibration_items i JOIN samples s ON s.id = i.sample_id
     WHERE i.run_id = $1 AND i.judge IN ('pass', 'fail') AND i.judge <> i.human ORDER BY i.sample_id LIMIT $2`,
    [id, DISAGREEMENTS_SHOWN],
  );
  return { calibration: summaryOf(row), disagreements: rows.map((r) => ({ sampleId: r.sample_id, human: r.human, judge: r.judge, reason: r.reason, query: r.query })) };
}

/** Two calibrations of the same dataset and stage, on the samples both judged: McNemar's test on where they differ. */
export async function compareCalibrations(a: number, b: number): Promise<PairedComparison & { a: CalibrationSummary; b: CalibrationSummary }> {
  const [first, second] = await Promise.all([getCalibration(a), getCalibration(b)]);
  if (first.calibration.dataset !== second.calibration.dataset || first.calibration.stage !== second.calibration.stage) {
    throw new InvalidRequestError(`calibrations ${a} and ${b} are of different slices (${first.calibration.dataset}, stage ${first.calibration.stage} vs ${second.calibration.dataset}, stage ${second.calibration.stage}): compare configurations on the same dataset and stage`);
  }
  const pool = await getPool();
  const rightness = async (id: number) => {
    const { rows } = await pool.query<{ sample_id: number; right: boolean }>(
      "SELECT sample_id, judge = human AS right FROM calibration_items WHERE run_id = $1 AND judge IN ('pass', 'fail')",
      [id],
    );
    return new Map(rows.map((r) => [r.sample_id, r.right]));
  };
  const [rightA, rightB] = await Promise.all([rightness(a), rightness(b)]);
  return { ...compareConfigurations(rightA, rightB), a: first.calibration, b: second.calibration };
}

