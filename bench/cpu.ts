// Where a run's CPU went, per process: this one (the studio's worker and LLM client), the fake LLM server, and
// PostgreSQL (its server process, its live backends, and those that exited meanwhile). On a machine shared by the
// three, the wall-clock rate is bounded by their sum; each one's share says what to make cheaper. Read from /proc
// (Linux; elsewhere the figures are left out).
import { readdirSync, readFileSync } from "node:fs";
import { getPool } from "@/lib/db/client";

/** Clock ticks per second of /proc's times: 100 on every Linux build this runs on (sysconf(_SC_CLK_TCK)). */
const TICKS = 100;

export interface CpuSnapshot {
  studio: number;
  llm: number | null;
  postgres: number | null;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces): field 3 is index 0. */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** utime + stime (+ cutime + cstime: children reaped) of a process's stat fields, in seconds. */
function secondsOf(f: string[], withReaped = false): number {
  return (Number(f[11]) + Number(f[12]) + (withReaped ? Number(f[13]) + Number(f[14]) : 0)) / TICKS;
}

function processSeconds(pid: number, withReaped = false): number | null {
  const f = statFields(pid);
  return f ? secondsOf(f, withReaped) : null;
}

/** PostgreSQL's server process: the parent of a backend. */
async function postmasterPid(): Promise<number | null> {
  const pool = await getPool();
  const { rows } = await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const f = statFields(rows[0].pid);
  return f ? Number(f[1]) : null;
}

function postgresSeconds(postmaster: number): number | null {
  let total = processSeconds(postmaster, true);
  if (total === null) return null;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[1]) === postmaster) total += secondsOf(f);
  }
  return total;
}

/** A meter of the three processes' CPU: `read()` gives seconds used since it was made. */
export async function cpuMeter(llmPid: number | undefined) {
  const postmaster = process.platform === "linux" ? await postmasterPid() : null;
  const now = (): CpuSnapshot => {
    const own = process.cpuUsage();
    return {
      studio: (own.user + own.system) / 1e6,
      llm: llmPid ? processSeconds(llmPid) : null,
      postgres: postmaster ? postgresSeconds(postmaster) : null,
    };
  };
  const start = now();
  return {
    read(): CpuSnapshot {
      const end = now();
      const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
      return { studio: end.studio - start.studio, llm: diff(end.llm, start.llm), postgres: diff(end.postgres, start.postgres) };
    },
  };
}

/** "studio 4.1, fake LLM 3.2, PostgreSQL 2.0 ms CPU per sample". */
export function cpuPerSample(cpu: CpuSnapshot, samples: number): string {
  const ms = (seconds: number | null) => (seconds === null ? "?" : ((1000 * seconds) / samples).toFixed(1));
  return `studio ${ms(cpu.studio)}, fake LLM ${ms(cpu.llm)}, PostgreSQL ${ms(cpu.postgres)} ms CPU per sample`;
}
