import { embeddedPostgresRuns, stopEmbeddedPostgres } from "@/lib/db/embedded";
import { CliError } from "./output";
import { isAlive } from "@/lib/process/alive";
import { runningStudio } from "./serve";

export const usage = "stop                          (stops the studio `npm start` runs here, then the embedded PostgreSQL)";

const WAIT_MS = 30_000;

/**
 * Stops a studio started elsewhere (another terminal, or detached): SIGTERM to `npm start`, which stops the web
 * server and, if it started it, the embedded PostgreSQL; then the embedded PostgreSQL if it still runs (left by a
 * start that was killed, or started by a CLI command). Says what it stopped.
 */
export async function run(): Promise<number> {
  const pid = runningStudio();
  if (pid !== null) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + WAIT_MS;
    while (isAlive(pid)) {
      if (Date.now() > deadline) throw new CliError(`the studio (pid ${pid}) did not stop within ${WAIT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    log(`stopped the studio (pid ${pid})`);
  }
  const database = !process.env.DATABASE_URL && (await embeddedPostgresRuns());
  if (database) {
    await stopEmbeddedPostgres();
    log("stopped the embedded PostgreSQL");
  }
  if (pid === null && !database) log("nothing to stop: no studio and no embedded PostgreSQL run here");
  return 0;
}

function log(message: string) {
  process.stderr.write(`${message}\n`);
}
