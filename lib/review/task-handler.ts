// The worker side of review tasks (lib/review/tasks.ts asks for them): regenerate a sample's answer (or its CoT
// and answer, optionally following a reviewer's instruction) and judge the result, or re-check a sample with the
// rule stages or all five. It uses the pipeline's own pieces (askTeacher, refineSample) and writes the result in
// ONE statement with a version check (lib/pipeline/store.ts storeTaskResult): a sample edited or decided since the
// task was asked for ends the task as `conflict` and nothing is written.
//
// A task either completes or changes nothing: when the teacher or a judge cannot answer, the task ends `failed`
// with the reason and the sample stays exactly as it was (unlike a pipeline run, which flags the sample), so the
// reviewer sees why and can ask again.
import { getPool } from "@/lib/db/client";
import { createLlmClient } from "@/lib/llm/client";
import { clientConfigFor, modelFor, type LlmConfig } from "@/lib/llm/config";
import { askTeacher, recordCut, refineSample, type AttemptVerdict, type RefineOptions, type RefineOutcome, type RefineResult, type Revision } from "@/lib/pipeline/run";
import { storeTaskResult } from "@/lib/pipeline/store";
import { summarizeOutcome, type DeciderKind } from "@/lib/pipeline/summary";
import { replaceTurn, turnViews } from "@/lib/pipeline/turns";
import type { PipelineSample } from "@/lib/pipeline/types";
import { toAnswer } from "@/lib/samples/export";
import { getLlmConfig, isLlmAvailable } from "@/lib/settings/store";
import type { FollowUpMessage, SampleStatus } from "@/lib/samples/types";
import { TaskOptionsSchemas, type TaskKind, type TaskStatus } from "./tasks";

interface TaskRow {
  id: number;
  sample_id: number;
  kind: TaskKind;
  options: unknown;
  requested_by: string;
  sample_version: number;
}

interface SampleRow {
  query: string;
  tools: PipelineSample["tools"];
  answer_kind: "calls" | "text" | null;
  answer: unknown;
  cot: string | null;
  follow_up: FollowUpMessage[] | null;
  version: number;
  status: SampleStatus;
  decided_by: DeciderKind | null;
  status_stage: number | null;
  status_code: string | null;
  status_reason: string | null;
  /** The highest attempt among the sample's verdicts (0 without any): a task's verdicts come after it. */
  last_attempt: number;
}

/** Runs task `taskId` to its end; returns how it ended (or null when it was not open: done already, or gone). */
export async function handleSampleTask(taskId: number): Promise<TaskStatus | null> {
  const pool = await getPool();
  // `running` too: a job handed out again after its worker died picks its task up where it was.
  const { rows } = await pool.query<TaskRow>(
    `UPDATE sample_tasks SET status = 'running' WHERE id = $1 AND status IN ('queued', 'running')
     RETURNING id, sample_id, kind, options, requested_by, sample_version`,
    [taskId],
  );
  const task = rows[0];
  if (!task) return null;
  try {
    return await runTask(task);
  } catch (error) {
    // A bug or a lost database: say so on the task; if even that fails, the job's retry picks the task up again.
    const message = error instanceof Error ? error.message : String(error);
    await endTask(task.id, "failed", `The task stopped on an error: ${message}`);
    return "failed";
  }
}

async function runTask(task: TaskRow): Promise<TaskStatus | null> {
  const sample = await loadSample(task.sample_id);
  if (!sample) return endTask(task.id, "failed", "The sample no longer exists.");
  if (sample.version !== task.sample_version) {
    return endTask(task.id, "conflict", `The sample changed since the task was asked for (version ${task.sample_version} → ${sample.version}): nothing was written.`);
  }
  const pipelineSample: PipelineSample = {
    id: task.sample_id,
    query: sample.query,
    tools: sample.tools,
    answer: toAnswer(sample.answer_kind, sample.answer),
    cot: sample.cot,
    ...(sample.follow_up ? { followUp: sample.follow_up } : {}),
  };
  const full = task.kind === "regenerate" || TaskOptionsSchemas.recheck.parse(task.options).stages === "all";
  if (full && !(await isLlmAvailable())) return endTask(task.id, "failed", "No LLM is configured: set one on the Settings page (or STUDIO_LLM_BASE_URL).");
  // The config in force now (saved settings over the environment), as a run taken up now would use.
  const clients = refineClients(full ? await getLlmConfig() : null);
  // One look at the sample, never an automatic regeneration: a reviewer asked for exactly this.
  const refine = (input: PipelineSample) => refineSample(input, { stages: full ? "all" : "rules", ...clients, maxRegenerations: 0 });

  let outcome: RefineOutcome;
  const revisions: Revision[] = [];
  let done: string;
  if (task.kind === "regenerate") {
    const options = TaskOptionsSchemas.regenerate.parse(task.options);
    const turn = options.turn ?? 1;
    const view = turnViews(pipelineSample)[turn - 1];
    if (!view) return endTask(task.id, "failed", `The sample has no turn ${turn} (any more): nothing was written.`);
    const taught = await askTeacher(clients.teacher!, view, {
      kind: "regenerate",
      failures: await latestFailures(task.sample_id, turn),
      instruction: options.instruction,
    });
    if (!taught.ok) return endTask(task.id, "failed", `The teacher gave no usable answer (${taught.message}): nothing was written.`);
    const after = { answer: taught.answer, cot: options.scope === "answer" ? view.cot : taught.cot };
    const what = options.scope === "answer" ? "answer" : "CoT and answer";
    const revision: Revision = {
      before: { answer: view.answer, cot: view.cot },
      after,
      reason: `Regenerated the ${what}${turn > 1 ? ` of turn ${turn}` : ""} at ${task.requested_by}'s request${options.instruction ? `: "${options.instruction}"` : "."}`,
      author: taught.author,
      turn,
    };
    revisions.push(revision);
    // The repair policy (lib/pipeline/turns.ts): new calls end the conversation after the turn.
    const regenerated = replaceTurn(pipelineSample, turn, after)!;
    if (regenerated.cut) recordCut(revision, regenerated.cut, turn);
    outcome = await refine(regenerated.sample);
    done = `Regenerated the ${what}`;
  } else {
    outcome = await refine(pipelineSample);
    done = `Re-checked with ${full ? "all stages" : "the rule stages"}`;
  }

  const unanswered = unansweredJudge(outcome);
  if (unanswered) return endTask(task.id, "failed", `${unanswered}: nothing was written.`);

  const base = sample.last_attempt;
  const verdicts: AttemptVerdict[] = outcome.verdicts.map((v) => ({ ...v, attempt: base + v.attempt }));
  const status = statusAfter(outcome.result);
  const fresh = summarizeOutcome(outcome);
  // A result that keeps the status keeps who decided it and why; only the stages' latest outcomes change.
  const summary =
    status === null
      ? { ...fresh, decidedBy: sample.decided_by, statusStage: sample.status_stage, statusCode: sample.status_code, statusReason: sample.status_reason ?? "" }
      : fresh;
  const message = `${done}: ${status ?? `still ${sample.status}`}. ${outcome.reason}`;
  const stored = await storeTaskResult(
    task.id,
    {
      sampleId: task.sample_id,
      version: task.sample_version,
      status,
      sample: outcome.sample,
      verdicts,
      revisions: [...revisions, ...outcome.revisions],
      summary,
      runId: null,
    },
    message,
  );
  if (!stored.gated) return null;
  return stored.version === null ? "conflict" : "succeeded";
}

/** The judge and teacher clients and per-stage models (as a pipeline run builds them); none for rules only. */
function refineClients(config: LlmConfig | null): Pick<RefineOptions, "judge" | "teacher" | "modelFor"> {
  if (!config) return { judge: null, teacher: null, modelFor: () => "rules" };
  return {
    judge: createLlmClient(clientConfigFor(config, "judge")),
    teacher: createLlmClient(clientConfigFor(config, "teacher")),
    modelFor: (stage) => modelFor(config, stage),
  };
}

/** The sample's status after a task: what the stages say, or null (kept) when a rules-only look leaves it to a full run. */
function statusAfter(result: RefineResult): SampleStatus | null {
  return result === "pending" ? null : result;
}

/** Why the task cannot complete when the teacher or an LLM judge gave no usable answer (null when they all did). */
function unansweredJudge(outcome: RefineOutcome): string | null {
  if (outcome.code === "generation-failed") return outcome.reason;
  const failed = outcome.verdicts.find((v) => v.outcome === "error" && v.decidedBy.startsWith("llm:"));
  return failed ? `Stage ${failed.stage}: ${failed.reason}` : null;
}

async function loadSample(id: number): Promise<SampleRow | null> {
  const pool = await getPool();
  const { rows } = await pool.query<SampleRow>(
    `SELECT s.query, s.tools, s.answer_kind, s.answer, s.cot, s.follow_up, s.version, s.status, s.decided_by, s.status_stage, s.status_code,
       s.status_reason, coalesce((SELECT max(attempt) FROM stage_verdicts WHERE sample_id = s.id), 0)::int AS last_attempt
     FROM samples s WHERE s.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** The failing verdicts of each stage's latest attempt: what the regenerated answer must fix. */
async function latestFailures(sampleId: number, turn: number): Promise<{ stage: number; reason: string }[]> {
  const pool = await getPool();
  const { rows } = await pool.query<{ stage: number; reason: string }>(
    `SELECT v.stage, v.reason FROM stage_verdicts v
     WHERE v.sample_id = $1 AND v.turn = $2 AND v.outcome = 'fail' AND v.member_of IS NULL
       AND v.attempt = (SELECT max(attempt) FROM stage_verdicts WHERE sample_id = $1 AND stage = v.stage AND turn = $2)
     ORDER BY v.stage, v.id`,
    [sampleId, turn],
  );
  return rows;
}

async function endTask(taskId: number, status: "failed" | "conflict", message: string): Promise<TaskStatus> {
  const pool = await getPool();
  await pool.query(`UPDATE sample_tasks SET status = $2, message = $3, finished_at = now() WHERE id = $1 AND status = 'running'`, [
    taskId,
    status,
    message,
  ]);
  return status;
}
