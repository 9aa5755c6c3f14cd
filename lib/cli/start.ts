import { existsSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { ensureFirstAdmin, firstAdminMessage } from "@/lib/auth/bootstrap";
import { databaseUrl, getPool } from "@/lib/db/client";
import { builtInFakeEnv } from "@/lib/llm/built-in-fake";
import { startFakeLlm, type FakeLlm } from "@/lib/llm/fake-server";
import { readPolicyKey } from "@/lib/llm/fake-policy-key";
import { BFCL_FIXTURES_DIR, DEMO_DATASET, loadDemoDataset } from "@/lib/samples/demo";
import { PIPELINE_NODE_FLAGS } from "@/lib/process/node-flags";
import { isLlmAvailable } from "@/lib/settings/store";
import { runForeground, serve } from "./serve";

export const usage = "start [--demo] [--port N]   (database, migrations, optional demo data, then the web app)";

const SOURCE_DIRS = ["app", "components", "lib", "public"];
const SOURCE_FILES = ["package.json", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "proxy.ts", "instrumentation.ts"];

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { demo: { type: "boolean", default: false }, port: { type: "string", default: process.env.PORT ?? "3000" } },
  });
  const url = await databaseUrl();
  log(`database ready: ${redact(url)}${process.env.DATABASE_URL ? "" : " (embedded; set DATABASE_URL to use your own)"}`);
  const login = await ensureFirstAdmin();
  if (login) log(firstAdminMessage(login));
  await offerDemo(values.demo);
  if (await buildIsStale()) {
    log("building the web app (first start, or the sources changed)…");
    await buildNext();
  }
  const fake = await startBuiltInFakeLlm();
  const listen = listenPlan(values.port);
  log(listen.message);
  try {
    await serve(...webServerCommand(listen.args, fake?.env));
  } finally {
    await fake?.llm.close();
  }
  return 0;
}

/**
 * With no judge configured (no STUDIO_LLM_BASE_URL, no base URL saved in Settings), the built-in fake LLM on a local
 * port, so that the demo's runs go through every stage; null when a judge is configured.
 */
async function startBuiltInFakeLlm(): Promise<{ llm: FakeLlm; env: Record<string, string> } | null> {
  if (await isLlmAvailable()) return null;
  // As a policy model (self-refinement rounds) it knows the demo's answers: right on 70% of queries.
  const llm = await startFakeLlm({ host: "127.0.0.1", policyKey: await readPolicyKey(BFCL_FIXTURES_DIR) });
  log(
    `no LLM configured: the judge and teacher are the built-in fake LLM on ${llm.url} — deterministic word matches, not a real judge (every page says so); set STUDIO_LLM_BASE_URL, or a base URL on the Settings page, for a real one`,
  );
  return { llm, env: builtInFakeEnv(llm.url) };
}

/**
 * Where the web server listens: STUDIO_HOST (e.g. 127.0.0.1 to keep the studio on this machine), or — as Next
 * does by default — every interface, which start says out loud.
 */
export function listenPlan(port: string, env: Record<string, string | undefined> = process.env): { args: string[]; message: string } {
  const host = env.STUDIO_HOST?.trim();
  if (!host) {
    return {
      args: ["-p", port],
      message: `FunReason Studio on http://localhost:${port} — listening on all interfaces, so other machines that can reach this one get its sign-in page (set STUDIO_HOST=127.0.0.1 to keep it on this machine)`,
    };
  }
  const shown = host.includes(":") ? `[${host}]` : host;
  return { args: ["-p", port, "-H", host], message: `FunReason Studio on http://${shown}:${port} — listening on ${host} only (STUDIO_HOST)` };
}

async function offerDemo(yes: boolean) {
  const pool = await getPool();
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM datasets");
  if (rows[0].n > 0) return;
  let load = yes;
  if (!load && process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`No datasets yet. Load the demo dataset "${DEMO_DATASET}" (about 3,400 BFCL samples)? [Y/n] `);
    rl.close();
    load = !/^n/i.test(answer.trim());
  }
  if (!load) {
    log(`no datasets yet: load the demo with "npm start -- --demo" or "npm run studio -- demo", or import your own`);
    return;
  }
  const summaries = await loadDemoDataset();
  log(`demo dataset "${DEMO_DATASET}": ${summaries.reduce((n, s) => n + s.inserted, 0)} samples imported`);
}

/** Whether .next is missing or older than a source file (npm start and the load test build first then). */
export async function buildIsStale(): Promise<boolean> {
  const buildId = path.resolve(".next/BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const newest = Math.max(...SOURCE_FILES.map((f) => statSync(f).mtimeMs), ...(await Promise.all(SOURCE_DIRS.map(newestMtime))));
  return newest > builtAt;
}

async function newestMtime(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** `next build` in the foreground (Ctrl-C stops it). */
export function buildNext(): Promise<void> {
  return runForeground(...nextCommand(["build"]));
}

/** `next start` with the pipeline's Node flags: the web server hosts the worker (instrumentation.ts). */
export function webServerCommand(listenArgs: string[], extraEnv: Record<string, string> = {}): [string, string[], NodeJS.ProcessEnv] {
  return nextCommand(["start", ...listenArgs], extraEnv, PIPELINE_NODE_FLAGS);
}

/** `next <args>` as a command, after `nodeFlags` for Node: no telemetry (the studio makes no outside calls). */
function nextCommand(args: string[], extraEnv: Record<string, string> = {}, nodeFlags: readonly string[] = []): [string, string[], NodeJS.ProcessEnv] {
  const env = { ...process.env, ...extraEnv, NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1" };
  return [process.execPath, [...nodeFlags, path.resolve("node_modules/next/dist/bin/next"), ...args], env];
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

function log(message: string) {
  process.stderr.write(`${message}\n`);
}
