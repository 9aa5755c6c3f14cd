// A web server whose log reader is gone — the terminal closed, or the process reading its output died (a stopped
// Playwright run leaves its `next start` behind) — gets EPIPE on every write to stdout or stderr. Unhandled, each
// such error is an uncaught exception, which Next logs to that same stream, which fails again: a loop that took a
// whole core for as long as the orphan lived, set off by any log line (a database outage writes several). Node's
// stdout and stderr undo their own destruction, so the loop never ends by itself.
//
// Such a server is an orphan nobody watches or stops, and it keeps its port, its database connections and its
// queue workers. It stops the way a command whose pipe closed does, gracefully (SIGTERM: Next's own shutdown).

/** How long the graceful stop may take before the process ends anyway (a request that never finishes). */
const FORCED_EXIT_MS = 15_000;

let installed = false;

/** Stops the process once writing its output fails (the reader is gone) instead of looping on the write errors. */
export function stopWhenOutputIsGone(): void {
  if (installed) return;
  installed = true;
  let stopping = false;
  const onError = () => {
    // Nothing to log: the output is what failed. Later writes fail the same way, quietly, until the process ends.
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
    process.kill(process.pid, "SIGTERM");
  };
  process.stdout.on("error", onError);
  process.stderr.on("error", onError);
}
