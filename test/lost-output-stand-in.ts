// A stand-in for the `next start` process: Next's handlers for uncaught exceptions (each is logged to stderr) and
// for SIGTERM (exit 143), what instrumentation.ts installs about lost output, and a log line whenever the test asks
// (as a database outage writes them). Counts the uncaught exceptions it logs over the IPC channel, which stays up.
import { stopWhenOutputIsGone } from "@/lib/process/lost-output";

let uncaught = 0;
process.on("uncaughtException", (error) => {
  process.send!({ uncaught: ++uncaught });
  console.error("uncaughtException:", error);
});
process.on("SIGTERM", () => process.exit(143));
stopWhenOutputIsGone();
process.on("message", () => process.stderr.write("job queue: connect ECONNREFUSED 127.0.0.1:54349\n"));
process.send!("ready");
