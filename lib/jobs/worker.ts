import "server-only";
import { judgeCalibration } from "@/lib/calibration/calibrations";
import { handleSampleTask } from "@/lib/review/task-handler";
import { generateRoundChunk } from "@/lib/rounds/rounds";
import { processBatchPass } from "@/lib/batch/job";
import { BATCH_QUEUE, CALIBRATION_QUEUE, PIPELINE_QUEUE, ROUND_QUEUE, SAMPLE_TASK_QUEUE, stopBoss, workJobs, type BatchPassJob, type CalibrationJob, type ChunkJob, type RoundChunkJob, type SampleTaskJob } from "./boss";
import { processChunk } from "./pipeline-chunk";

/** Chunks one worker process works on at once (each shares its run's concurrency limit). */
const PARALLEL_CHUNKS = Number(process.env.STUDIO_WORKER_CHUNKS) || 4;
/** Review tasks (regenerate, re-check) one worker process works on at once: a reviewer waits on each. 0: none here. */
const PARALLEL_TASKS = Number(process.env.STUDIO_WORKER_TASKS ?? 2) || 0;

/** Starts pulling pipeline chunks, batch passes, review tasks, calibrations and round generation from the queue in this process; `stop` finishes the work in hand. */
export async function startWorker(): Promise<{ stop(): Promise<void> }> {
  for (let i = 0; i < PARALLEL_CHUNKS; i++) await workJobs<ChunkJob>(PIPELINE_QUEUE, (job) => processChunk(job.data));
  for (let i = 0; i < PARALLEL_TASKS; i++) await workJobs<SampleTaskJob>(SAMPLE_TASK_QUEUE, (job) => handleSampleTask(job.data.taskId));
  await workJobs<CalibrationJob>(CALIBRATION_QUEUE, (job) => judgeCalibration(job.data.calibrationId));
  // A round's generation chunks, as many at once as pipeline chunks (each asks the policy model `concurrency` at a time).
  for (let i = 0; i < PARALLEL_CHUNKS; i++) await workJobs<RoundChunkJob>(ROUND_QUEUE, (job) => generateRoundChunk(job.data));
  // Batch runs' passes: each one walks its run's unfinished samples, so one at a time per process is plenty.
  await workJobs<BatchPassJob>(BATCH_QUEUE, processBatchPass);
  return { stop: stopBoss };
}
