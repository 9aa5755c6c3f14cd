// The browser upload, measured (issue 9 §1): the generated set through `next start`'s POST /api/import exactly as
// the Datasets page sends it (the raw file as the body, with Content-Length, an import id whose progress is polled
// every 500 ms), against a CLI import of the same file in the same run. The web server's memory is read from
// /proc while the upload runs: the body must stream through, never be held whole.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, openSync, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { addUser, generatePassword } from "@/lib/auth/users";
import { buildIsStale, buildNext, webServerCommand } from "@/lib/cli/start";
import { PIPELINE_NODE_FLAGS } from "@/lib/process/node-flags";
import type { Report } from "./stats";

const PORT = Number(process.env.BENCH_WEB_PORT) || 3300;
const BASE = `http://127.0.0.1:${PORT}`;
const POLL_MS = 500;
const RSS_EVERY_MS = 100;

/** CLI import and upload alternate, ROUNDS times, so that both see the same machine (it is shared and noisy). */
const ROUNDS = Number(process.env.BENCH_UPLOAD_ROUNDS) || 2;

export async function uploadBench(file: string, samples: number, report: Report, outDir: string): Promise<void> {
  const size = (await stat(file)).size;
  const tag = `${Date.now()}`;
  if (await buildIsStale()) await buildNext();
  const email = `bench-${tag}@bench.local`;
  const password = generatePassword();
  await addUser({ email, name: "Bench admin", role: "admin", password }, "cli:bench");
  const server = await startServer(path.join(outDir, "upload-server.log"));
  try {
    const cookie = await signIn(email, password);
    const pid = nextServerPid(server.pid!);
    const before = memory(pid);
    const rounds: { cli: number; upload: number; cliCpu: number; serverCpu: number }[] = [];
    let peakRss = before.rss;
    let polls = { answered: 0, withRecords: 0 };
    for (let round = 1; round <= ROUNDS; round++) {
      const cli = await cliImport(file, `bench-cli-${tag}-${round}`);
      const cpuBefore = cpuSeconds(pid);
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, memory(pid).rss)), RSS_EVERY_MS);
      polls = { answered: 0, withRecords: 0 };
      let upload: number;
      try {
        upload = await uploadAsThePageDoes(file, size, samples, cookie, `bench-upload-${tag}-${round}`, polls);
      } finally {
        clearInterval(sampler);
      }
      const serverCpu = cpuSeconds(pid) - cpuBefore;
      rounds.push({ cli: cli.seconds, upload, cliCpu: cli.cpu, serverCpu });
      report(
        `round ${round}: CLI import / browser upload`,
        `${cli.seconds.toFixed(2)} s / ${upload.toFixed(2)} s → ${(upload / cli.seconds).toFixed(2)}×; ` +
          `CPU ${cli.cpu.toFixed(1)} s (CLI process) / ${serverCpu.toFixed(1)} s (web server) → ${(serverCpu / cli.cpu).toFixed(2)}×`,
      );
    }
    const after = memory(pid);
    const total = (key: keyof (typeof rounds)[number]) => rounds.reduce((sum, r) => sum + r[key], 0);
    report(`browser upload ${samples}: time`, `${(total("upload") / ROUNDS).toFixed(2)} s on average (all ${samples} imported each time)`);
    report(`browser upload ${samples} ÷ CLI import`, `${(total("upload") / total("cli")).toFixed(2)}× over ${ROUNDS} rounds (target ≤ 1.2)`);
    // CPU time is what the machine's load does not stretch: the web server's work against the CLI's, same file.
    report(`  in CPU time (web server ÷ CLI process)`, `${(total("serverCpu") / total("cliCpu")).toFixed(2)}×`);
    report(
      "web server RSS during the uploads",
      `peak ${mb(Math.max(peakRss, after.rss))} MB (VmHWM ${mb(after.hwm)} MB; ${mb(before.rss)} MB before; target < 400 MB)`,
    );
    report("progress polls answered during the last upload", `${polls.answered} (${polls.withRecords} with records read)`);
  } finally {
    await stopServer(server);
  }
}

/**
 * `studio import`, in its own process as people run it: the import's own time (from its JSON line) and the
 * process's CPU time (read from /proc until it exits).
 */
async function cliImport(file: string, dataset: string): Promise<{ seconds: number; cpu: number }> {
  const child = spawn(process.execPath, [...PIPELINE_NODE_FLAGS, "--import", "tsx", "--conditions=react-server", "lib/cli/main.ts", "import", file, "--dataset", dataset], {
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  let cpu = 0;
  const sampler = setInterval(() => {
    try {
      cpu = cpuSeconds(child.pid!);
    } catch {
      // Gone: the last reading stands.
    }
  }, RSS_EVERY_MS);
  const code = await new Promise((resolve) => child.once("exit", resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`CLI import failed: ${stderr}`);
  return { seconds: JSON.parse(stdout.trim().split("\n").at(-1)!).seconds, cpu };
}

/** Seconds from the first byte sent to the import's answer, with the page's progress polls running meanwhile. */
async function uploadAsThePageDoes(
  file: string,
  size: number,
  samples: number,
  cookie: string,
  dataset: string,
  polls: { answered: number; withRecords: number },
): Promise<number> {
  const importId = randomBytes(16).toString("hex");
  const query = new URLSearchParams({ dataset, format: "auto", strict: "false", fileName: path.basename(file), importId });
  const poller = setInterval(() => void pollProgress(importId, cookie, polls), POLL_MS);
  const started = performance.now();
  let answer: { status: number; body: string };
  try {
    answer = await post(`/api/import?${query}`, file, size, cookie);
  } finally {
    clearInterval(poller);
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = JSON.parse(answer.body) as { ok?: boolean; inserted?: number };
  if (answer.status !== 200 || !summary.ok || summary.inserted !== samples) {
    throw new Error(`the browser upload went wrong: HTTP ${answer.status} ${answer.body.slice(0, 500)}`);
  }
  return seconds;
}

function startServer(log: string): Promise<ChildProcess> {
  const out = openSync(log, "w");
  // The web server as `npm start` starts it (its Node flags included), without the worker: the upload is measured.
  const [command, args, env] = webServerCommand(["-p", String(PORT), "-H", "127.0.0.1"], { STUDIO_WEB_WORKER: "0" });
  const child = spawn(command, args, { env, stdio: ["ignore", out, out] });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 120_000;
    child.once("exit", (code) => reject(new Error(`the web server exited (${code}); see ${log}`)));
    const check = async () => {
      if (await fetch(`${BASE}/api/health`).then((r) => r.ok, () => false)) return resolve(child);
      if (Date.now() > deadline) return reject(new Error(`the web server did not start within 120 s; see ${log}`));
      setTimeout(check, 250);
    };
    void check();
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function signIn(email: string, password: string): Promise<string> {
  const response = await fetch(`${BASE}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: BASE },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`signing in: HTTP ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

/** The file as the page sends it: the raw body with its Content-Length, as an octet stream, with the page's Origin. */
function post(route: string, file: string, size: number, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A connection of its own: one kept alive from the previous round may be closed by the server as it is reused.
    const request = http.request(`${BASE}${route}`, {
      method: "POST",
      agent: false,
      // A browser sends its Origin with every POST; the studio refuses one without (lib/http/origin.ts).
      headers: { cookie, origin: BASE, "content-type": "application/octet-stream", "content-length": size },
    });
    request.on("response", async (response) => {
      let body = "";
      for await (const chunk of response) body += chunk;
      resolve({ status: response.statusCode ?? 0, body });
    });
    request.on("error", reject);
    createReadStream(file).pipe(request);
  });
}

async function pollProgress(id: string, cookie: string, polls: { answered: number; withRecords: number }) {
  const response = await fetch(`${BASE}/api/import/progress?id=${id}`, { headers: { cookie } }).catch(() => null);
  if (!response?.ok) return;
  const progress = (await response.json().catch(() => null)) as { records: number } | null;
  polls.answered++;
  if (progress && progress.records > 0) polls.withRecords++;
}

/** `next start` serves from a child process titled next-server; fall back to the started process itself. */
function nextServerPid(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  for (const child of children) {
    if (readFileSync(`/proc/${child}/comm`, "utf8").startsWith("next-server")) return child;
  }
  return pid;
}

/** Resident memory now and its high-water mark, in bytes (Linux /proc). */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** User + system CPU seconds a process has used (Linux /proc; 100 clock ticks a second). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

