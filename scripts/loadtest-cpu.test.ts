import { describe, expect, it } from "vitest";
import { cpuShares, parseMachineTicks, parseProcessStat, readCpuTicks } from "./loadtest-cpu";

describe("reading /proc", () => {
  it("counts user, nice, system, irq, softirq and steal as busy; idle and iowait only in the total", () => {
    expect(parseMachineTicks("cpu  100 5 50 800 40 3 2 1 0 0\ncpu0 50 2 25 400 20 1 1 0 0 0\n")).toEqual({ busy: 161, total: 1001 });
  });

  it("reads pid, parent and CPU ticks even when the command name holds spaces and parentheses", () => {
    const line = "4242 (next-server (v16) x) S 4200 4242 4200 0 -1 4194304 100 0 0 0 750 125 0 0 20 0 11 0 1000 0 0";
    expect(parseProcessStat(line)).toEqual({ pid: 4242, ppid: 4200, ticks: 875 });
  });

  it("reads this machine: busy within total, a tree's ticks including its root's, none for an unknown PostgreSQL", () => {
    const ticks = readCpuTicks({ server: process.pid, postgres: null });
    if (!ticks) return expect(process.platform).not.toBe("linux");
    expect(ticks.machineBusy).toBeLessThanOrEqual(ticks.machineTotal);
    expect(ticks.self).toBeGreaterThan(0);
    expect(ticks.server).toBeGreaterThanOrEqual(ticks.self);
    expect(ticks.postgres).toBeNull();
  });
});

describe("cpuShares", () => {
  it("divides each delta by the machine's total delta", () => {
    const before = { machineBusy: 1_000, machineTotal: 2_000, server: 100, postgres: 50, self: 10 };
    const after = { machineBusy: 1_180, machineTotal: 2_200, server: 200, postgres: 110, self: 30 };
    expect(cpuShares(before, after)).toEqual({ machine: 0.9, server: 0.5, postgres: 0.3, loadGenerator: 0.1 });
    expect(cpuShares({ ...before, postgres: null }, { ...after, postgres: null })?.postgres).toBeNull();
    expect(cpuShares(null, after)).toBeNull();
  });
});
