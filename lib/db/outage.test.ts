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
