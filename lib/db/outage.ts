// A database restart must not kill a worker: its state is in the database, and pg-boss and our pool reconnect
// once the server is back. But the queue library lets some promises reject unhandled while the server is away
// (e.g. marking a failed job), and Node ends the process on those. This guard keeps the process up for errors
// that only mean "the database is unreachable right now", and still ends it for anything else.

/** Socket errors, and PostgreSQL's SQLSTATEs of a server that is shutting down, restarting or refusing connections. */
const OUTAGE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "57P01", "57P02", "57P03"]);
/** Prisma's: can't reach the server, timed out reaching it, the server closed the connection. */
const PRISMA_OUTAGE_CODES = new Set(["P1001", "P1002", "P1017"]);
/** How Prisma's pg adapter names a socket failure (meta.driverAdapterError.cause.kind), also under a raw query's P2010. */
const ADAPTER_OUTAGE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
const OUTAGE_MESSAGE = /Connection terminated|terminating connection|connection is closed|Client has encountered a connection error|Can't reach database server/i;

/** Whether the error means the database is unreachable right now (a wait, not a bug): the pg driver's or Prisma's. */
export function isDatabaseOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } } };
  if (typeof code === "string" && (code.startsWith("08") || OUTAGE_CODES.has(code) || PRISMA_OUTAGE_CODES.has(code))) return true;
  const adapterCause = meta?.driverAdapterError?.cause;
  if (typeof adapterCause?.kind === "string" && ADAPTER_OUTAGE_KINDS.has(adapterCause.kind)) return true;
  // A PostgreSQL error the adapter passes on as it came (kind "postgres"), e.g. 57P01 on a server shutting down.
  if (typeof adapterCause?.code === "string" && (adapterCause.code.startsWith("08") || OUTAGE_CODES.has(adapterCause.code))) return true;
  return OUTAGE_MESSAGE.test(error.message);
}

/**
 * The same, or a library's error around it: better-auth's "Failed to get session" carries the driver's as its cause.
 * One level down only: an LLM client's connection error carries an ECONNREFUSED deeper, and is no database outage.
 */
export function isDatabaseOutageOrCause(error: unknown): boolean {
  return isDatabaseOutage(error) || (error instanceof Error && isDatabaseOutage(error.cause));
}

/** The message on one line: Prisma's start with where the call was made and end with what happened. */
export function lastLine(error: Error): string {
  return error.message.trim().split("\n").at(-1)?.trim() ?? "";
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
  if (!isDatabaseOutageOrCause(error)) return log(`${context}: ${error.message}`);
  if (said.__studioOutageLoggedAt !== undefined && now - said.__studioOutageLoggedAt < OUTAGE_REMINDER_MS) return;
  said.__studioOutageLoggedAt = now;
  const minutes = OUTAGE_REMINDER_MS / 60_000;
  log(`database unreachable (${context}: ${lastLine(error)}); carrying on, work resumes when it is back (said again in ${minutes} minutes if it lasts)`);
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
