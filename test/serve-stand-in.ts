// `npm start`'s serving half (lib/cli/serve.ts) with a stand-in for the web server: the database is prepared as
// start prepares it (STUDIO_PG_PORT / STUDIO_PG_DATA / STUDIO_PID_FILE come from the test), then a small server that
// exits as Next does on a stop signal (143 for SIGTERM) — or, with STAND_IN_FAIL, fails on its own.
import { serve } from "@/lib/cli/serve";
import { databaseUrl } from "@/lib/db/client";

await databaseUrl();
const server = process.env.STAND_IN_FAIL
  ? `setTimeout(() => process.exit(3), 200)`
  : `process.on("SIGTERM", () => process.exit(143)); process.on("SIGINT", () => process.exit(130)); console.log("stand-in ready"); setInterval(() => {}, 1000)`;
try {
  await serve(process.execPath, ["-e", server]);
  process.exitCode = 0;
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
