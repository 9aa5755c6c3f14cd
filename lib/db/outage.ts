// A database restart must not kill a worker: its state is in the database, and pg-boss and our pool reconnect
// once the server is back. But the queue library lets some promises reject unhandled while the server is away
// (e.g. marking a failed job), and Node ends the process on those. This guard keeps the process up for errors
// that only mean "the database is unreachable right now", and still ends it for anything else.

/** SQLSTATE classes and socket errors that mean the server is down, restarting or unreachable. */
export function isDatabaseOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    // 08: connection exception; 57P01–57P03: admin shutdown, crash shutdown, cannot connect now.
    if (code.startsWith("08") || ["57P01", "57P02", "57P03"].includes(code)) return true;
    if (["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"].includes(code)) return true;
  }
  return /Connection terminated|terminating connection|connection is closed|Client has encountered a connection error/i.test(error.message);
}

type Log = (message: string) => void;
const toStderr: Log = (message) => process.stderr.write(`${message}\n`);

/** While the database stays unreachable, the reminder after the first line; sooner would be one per failed attempt. */
export const OUTAGE_REMINDER_MS = 5 * 60_000;
// When the outage under way was last logged (none: undefined). On globalThis: Next bundles this module more than
// once (instrumentation, routes), and the queue, the pool and the pages must share one outage.
const said = globalThis as { __studioOutageLoggedAt?: number };

/**
 * Logs a database error as `<context>: <message>`. The database being unreachable is said once, then at most every
 * OUTAGE_REMINDER_MS while it lasts: the queue's maintenance alone fails every 30 s, each pooled connection and
 * each job in hand once, and nothing of that is news after the first line.
 */
export function logDatabaseError(context: string, error: Error, log: Log = toStderr, now = Date.now()): void {
  if (!isDatabaseOutage(error)) return log(`${context}: ${error.message}`);
  if (said.__studioOutageLoggedAt !== undefined && now - said.__studioOutageLoggedAt < OUTAGE_REMINDER_MS) return;
  said.__studioOutageLoggedAt = now;
  const minutes = OUTAGE_REMINDER_MS / 60_000;
  log(`database unreachable (${context}: ${error.message}); carrying on, work resumes when it is back (said again in ${minutes} minutes if it lasts)`);
}

/** A connection succeeded: ends the outage logged, if any, with a line saying so (the next outage is said anew). */
export function logDatabaseReachable(log: Log = toStderr): void {
  if (said.__studioOutageLoggedAt === undefined) return;
  said.__studioOutageLoggedAt = undefined;
  log("database reachable again");
}

let installed = false;

/** Logs database-outage rejections instead of crashing; other unhandled rejections still end the process. */
export function keepRunningThroughDatabaseOutages(): void {
  if (installed) return;
  installed = true;
  process.on("unhandledRejection", (reason) => {
    if (isDatabaseOutage(reason)) {
      logDatabaseError("unhandled rejection", reason as Error);
      return;
    }
    // What Node would have done without this listener.
    process.stderr.write(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
    process.exit(1);
  });
}

/**
 * Runs `fn`, and while it fails because the database is unreachable, waits and runs it again (up to `maxWaitMs`).
 * Only for work that is safe to repeat: a write that is exactly-once by construction, or a read.
 */
export async function retryThroughOutage<T>(fn: () => Promise<T>, { maxWaitMs = 10 * 60_000, intervalMs = 1_000 } = {}): Promise<T> {
  const until = Date.now() + maxWaitMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!isDatabaseOutage(error) || Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
