// The web server of a stopped Playwright run outlived it, its stdout and stderr connected to nobody. The next log
// line (its database had gone too) failed with EPIPE, Next logged that uncaught error to the same dead stream, which
// failed again: ~70% of a core for 50 minutes until it was killed by hand. Now the server stops, as a command whose
// pipe closed does. The stand-in runs in its own process with Next's error and signal handlers.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";

describe("a web server whose output reader is gone", () => {
  it("stops gracefully at its next log line instead of logging its own write errors in a loop", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/lost-output-stand-in.ts"], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
    let uncaught = 0;
    child.on("message", (message: { uncaught?: number }) => (uncaught = Math.max(uncaught, message.uncaught ?? 0)));
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      await once(child, "message"); // ready
      child.stdout!.destroy();
      child.stderr!.destroy();
      child.send("log a line");
      const stopped = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000))]);
      expect(uncaught, "write errors logged as uncaught exceptions").toBe(0);
      expect(stopped, "the stand-in stopped").toEqual([143, null]);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
