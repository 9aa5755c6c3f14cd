// `npm run worker`: a pipeline worker process. Run as many as you like, on as many machines, against one DATABASE_URL.
import { closeDb } from "@/lib/db/client";
import { keepRunningThroughDatabaseOutages } from "@/lib/db/outage";
import { startWorker } from "./worker";

keepRunningThroughDatabaseOutages();
const worker = await startWorker();
process.stderr.write(`pipeline worker ${process.pid} started\n`);

async function shutdown(signal: string) {
  process.stderr.write(`pipeline worker ${process.pid}: ${signal}, finishing the chunks in hand…\n`);
  await worker.stop();
  await closeDb();
  process.exit(0);
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
