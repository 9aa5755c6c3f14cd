// The life of `npm start` after its preparations: the web server runs in the foreground until Ctrl-C or SIGTERM,
// which it passes on; the web server (and the pipeline worker inside it) stops, then the embedded PostgreSQL this
// process started, and `npm start` ends with 0 — a stop asked for is not a failure. A pid file says a studio runs
// here, so `npm run studio -- stop` can stop one started elsewhere (another terminal, detached).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { closeDb } from "@/lib/db/client";
import { startedEmbeddedPostgres, stopEmbeddedPostgres } from "@/lib/db/embedded";
import { isAlive } from "@/lib/process/alive";
import { CliError } from "./output";

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Where a running studio writes its pid: STUDIO_PID_FILE, else .data/studio.pid. */
export function pidFile(): string {
  return path.resolve(process.env.STUDIO_PID_FILE || ".data/studio.pid");
}

/** The pid of the studio running here, or null (no pid file, or its process is gone: the file is removed). */
export function runningStudio(): number | null {
  const file = pidFile();
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").trim());
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return pid;
  rmSync(file, { force: true });
  return null;
}

/**
 * Runs `command args` in the foreground until it exits, passing Ctrl-C / SIGTERM / SIGHUP on to it; then stops the
 * embedded PostgreSQL if this process started it. Resolves when everything stopped after a signal or a clean exit;
 * rejects (after the same clean-up) when the server failed on its own.
 */
export async function serve(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = pidFile();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${process.pid}\n`);
  try {
    await runForeground(command, args, env);
  } finally {
    rmSync(file, { force: true });
    await closeDb();
    if (startedEmbeddedPostgres()) {
      await stopEmbeddedPostgres();
      log("stopped the embedded PostgreSQL this start had started");
    }
  }
}

/** `command args` in the foreground, stop signals passed on; resolves on a clean exit or a stop asked for. */
export function runForeground(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const child = spawn(command, args, { stdio: "inherit", env });
  let asked: NodeJS.Signals | null = null;
  const forward = (signal: NodeJS.Signals) => {
    if (!asked) log(`stopping (${signal})…`);
    asked = signal;
    child.kill(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, forward);
  // `kill <npm's pid>`: npm dies without passing the signal on, and this process is handed to another parent.
  // That is a stop too, or the web server and PostgreSQL would outlive the `npm start` that was stopped.
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid !== parent) forward("SIGTERM");
  }, 500);
  orphaned.unref();
  return new Promise((resolve, reject) => {
    child.on("error", (error) => reject(new CliError(`could not start ${path.basename(command)}: ${error.message}`)));
    child.on("exit", (code, signal) => {
      clearInterval(orphaned);
      for (const s of STOP_SIGNALS) process.off(s, forward);
      // Asked to stop, a server exits by the signal or with 128 + its number (Next: 143 for SIGTERM): both are a stop.
      if (code === 0 || (asked && (signal !== null || (code !== null && code > 128)))) resolve();
      else reject(new CliError(`${path.basename(args[0] ?? command)} ${args[1] ?? ""} exited with ${code ?? signal}`.replace("  ", " ")));
    });
  });
}

function log(message: string) {
  process.stderr.write(`${message}\n`);
}
