import { PIPELINE_QUEUE, getBoss, stopBoss, type ChunkJob } from "./boss";
import { processChunk } from "./pipeline-chunk";

/** Chunks one worker process works on at once (each shares its run's concurrency limit). */
const PARALLEL_CHUNKS = Number(process.env.STUDIO_WORKER_CHUNKS) || 4;

/** Starts pulling pipeline chunks from the queue in this process; `stop` finishes the chunks in hand. */
export async function startWorker(): Promise<{ stop(): Promise<void> }> {
  const boss = await getBoss();
  for (let i = 0; i < PARALLEL_CHUNKS; i++) {
    await boss.work<ChunkJob>(PIPELINE_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      await processChunk(job.data);
    });
  }
  return { stop: stopBoss };
}
