import { describe, expect, it } from "vitest";
import { isDatabaseOutage } from "./outage";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("isDatabaseOutage", () => {
  it("recognises a server that is shutting down, restarting or unreachable", () => {
    expect(isDatabaseOutage(withCode("the database system is shutting down", "57P03"))).toBe(true);
    expect(isDatabaseOutage(withCode("terminating connection due to administrator command", "57P01"))).toBe(true);
    expect(isDatabaseOutage(withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isDatabaseOutage(withCode("connection failure", "08006"))).toBe(true);
    expect(isDatabaseOutage(new Error("Connection terminated unexpectedly"))).toBe(true);
  });

  it("recognises Prisma's errors for the same (a real one is in lib/http/route.test.ts), and the driver's under a cause", () => {
    const prisma = (code: string, message: string, kind?: string) => Object.assign(new Error(message), { code, meta: kind ? { driverAdapterError: { cause: { kind } } } : {} });
    expect(isDatabaseOutage(prisma("P1017", "Server has closed the connection."))).toBe(true);
    expect(isDatabaseOutage(prisma("P2010", "Raw query failed. Code: `N/A`. Message: `Connection closed`", "ConnectionClosed"))).toBe(true);
    expect(isDatabaseOutage(prisma("P2002", "Unique constraint failed on the fields: (`email`)", "UniqueConstraintViolation"))).toBe(false);
  });

  it("looks one level into a library's error (better-auth's session lookup), not into an LLM client's", async () => {
    const { isDatabaseOutageOrCause } = await import("./outage");
    const refused = () => withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED");
    expect(isDatabaseOutageOrCause(new Error("Failed to get session", { cause: refused() }))).toBe(true);
    // The OpenAI client's "Connection error." wraps fetch's "fetch failed", which wraps the socket's refusal.
    expect(isDatabaseOutageOrCause(new Error("Connection error.", { cause: new TypeError("fetch failed", { cause: refused() }) }))).toBe(false);
  });

  it("does not hide real bugs", () => {
    expect(isDatabaseOutage(withCode('relation "samples" does not exist', "42P01"))).toBe(false);
    expect(isDatabaseOutage(withCode("duplicate key value violates unique constraint", "23505"))).toBe(false);
    expect(isDatabaseOutage(new TypeError("cannot read properties of undefined"))).toBe(false);
    expect(isDatabaseOutage("a string")).toBe(false);
  });
});

describe("retryThroughOutage", () => {
  it("waits out an outage, and gives up at once on anything else", async () => {
    const { retryThroughOutage } = await import("./outage");
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls < 3) throw withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED");
      return "written";
    };
    expect(await retryThroughOutage(flaky, { intervalMs: 1 })).toBe("written");
    expect(calls).toBe(3);
    let bugCalls = 0;
    const buggy = async () => {
      bugCalls++;
      throw withCode("duplicate key", "23505");
    };
    await expect(retryThroughOutage(buggy, { intervalMs: 1 })).rejects.toThrow("duplicate key");
    expect(bugCalls).toBe(1);
  });
});

describe("logDatabaseError", () => {
  it("says an outage once, then every few minutes while it lasts, not once per failed attempt, and when it ends", async () => {
    const { OUTAGE_REMINDER_MS, logDatabaseError, logDatabaseReachable } = await import("./outage");
    const lines: string[] = [];
    const log = (line: string) => void lines.push(line);
    const start = 1_000_000_000;
    // Twelve minutes without the database: a pooled connection lost at once, the queue's maintenance failing every 30 s.
    logDatabaseError("database: idle connection lost", new Error("terminating connection due to unexpected postmaster exit"), log, start);
    for (let t = 0; t <= 12 * 60_000; t += 30_000) logDatabaseError("job queue", withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"), log, start + t);
    expect(lines).toHaveLength(1 + Math.floor((12 * 60_000) / OUTAGE_REMINDER_MS)); // 0, 5 and 10 minutes in
    expect(lines[0]).toBe(
      "database unreachable (database: idle connection lost: terminating connection due to unexpected postmaster exit); carrying on, work resumes when it is back (said again in 5 minutes if it lasts)",
    );
    // Back: said once; the next outage is said at once.
    logDatabaseReachable(log);
    logDatabaseReachable(log);
    expect(lines.slice(3)).toEqual(["database reachable again"]);
    logDatabaseError("job queue", withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"), log, start + 12 * 60_000 + 1);
    expect(lines).toHaveLength(5);
    // Any other error is said each time.
    logDatabaseError("job queue", withCode('relation "pgboss.job" does not exist', "42P01"), log, start + 12 * 60_000);
    expect(lines.at(-1)).toBe('job queue: relation "pgboss.job" does not exist');
  });
});
