// Where the load test's CPU went, from Linux's /proc: the whole machine, the web server's and PostgreSQL's process
// trees and the load generator itself. On two shared cores this is what tells "the server is the bottleneck" from
// "the machine is" (and how much went to other people's processes).
import { readdirSync, readFileSync } from "node:fs";

/** CPU ticks so far (all cores together): the machine's busy and total, the two trees', this process's. */
export interface CpuTicks {
  machineBusy: number;
  machineTotal: number;
  server: number;
  /** null when PostgreSQL's process is not known (a server elsewhere). */
  postgres: number | null;
  self: number;
}

export interface CpuShares {
  machine: number;
  server: number;
  postgres: number | null;
  loadGenerator: number;
}

/** busy and total ticks from /proc/stat's first ("cpu") line; idle and iowait are not busy. */
export function parseMachineTicks(procStat: string): { busy: number; total: number } {
  const fields = procStat.split("\n")[0].trim().split(/\s+/);
  if (fields[0] !== "cpu") throw new Error(`unexpected /proc/stat line: ${fields.join(" ")}`);
  // user nice system idle iowait irq softirq steal (guest time is already counted in user)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.slice(1, 9).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** pid, parent pid and user + system ticks from a /proc/<pid>/stat line (the command name may hold spaces and parens). */
export function parseProcessStat(line: string): { pid: number; ppid: number; ticks: number } {
  const afterName = line.slice(line.lastIndexOf(")") + 2).split(" ");
  // Fields counted from 1 in proc(5): 4 ppid, 14 utime, 15 stime; afterName starts at field 3.
  return { pid: Number(line.slice(0, line.indexOf(" "))), ppid: Number(afterName[1]), ticks: Number(afterName[11]) + Number(afterName[12]) };
}

function processes(): { pid: number; ppid: number; ticks: number }[] {
  const found = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      found.push(parseProcessStat(readFileSync(`/proc/${name}/stat`, "utf8")));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found;
}

/** Ticks of `rootPid` and every process below it (next start may run its server in a child process). */
function treeTicks(all: { pid: number; ppid: number; ticks: number }[], rootPid: number): number {
  const inTree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => inTree.has(p.pid)).reduce((sum, p) => sum + p.ticks, 0);
}

/** A reading now, or null where /proc cannot be read (not Linux). */
export function readCpuTicks(pids: { server: number; postgres: number | null }): CpuTicks | null {
  try {
    const machine = parseMachineTicks(readFileSync("/proc/stat", "utf8"));
    const all = processes();
    return {
      machineBusy: machine.busy,
      machineTotal: machine.total,
      server: treeTicks(all, pids.server),
      postgres: pids.postgres === null ? null : treeTicks(all, pids.postgres),
      self: all.find((p) => p.pid === process.pid)?.ticks ?? 0,
    };
  } catch {
    return null;
  }
}

/** Shares of the machine's CPU (0..1 of all cores) between two readings. */
export function cpuShares(before: CpuTicks | null, after: CpuTicks | null): CpuShares | null {
  if (!before || !after) return null;
  const total = after.machineTotal - before.machineTotal;
  if (total <= 0) return null;
  return {
    machine: (after.machineBusy - before.machineBusy) / total,
    server: (after.server - before.server) / total,
    postgres: before.postgres === null || after.postgres === null ? null : (after.postgres - before.postgres) / total,
    loadGenerator: (after.self - before.self) / total,
  };
}
