// `npm run loadtest`: many annotators claiming and deciding at once against a real `next start`, then proof from the
// database that nothing was lost, doubled or overwritten (issue 5, item 4). A script with figures, not a test:
//
//   1. its own database — an embedded PostgreSQL in .data/loadtest-postgres (LOADTEST_PG_PORT, default 54380) with
//      a fresh, migrated `studio` database — unless LOADTEST_DATABASE_URL names one (then only a new dataset and
//      new accounts are added to it);
//   2. a queue: LOADTEST_SAMPLES samples (default 30,000) generated from the BFCL fixtures, imported, and left as a
//      full pipeline run leaves those that passed; LOADTEST_ANNOTATORS annotator accounts (default 50);
//   3. `next start` on 127.0.0.1:LOADTEST_WEB_PORT (default 3200; built first when .next is stale), no pipeline
//      worker, no LLM;
//   4. every annotator signs in and, for LOADTEST_SECONDS (default 300), without pause: claims the next sample,
//      loads it, approves it (or, 15% of the time, discards it with a reason); now and then it re-sends a decision
//      on a sample someone else decided, with the old version, which must be refused with 409. With
//      LOADTEST_REVIEWS_PER_SAMPLE=k > 1 each decision is one of a sample's k blind votes, and the sample is final
//      only when the k agree;
//   5. checks the invariants against the database, prints them, the latencies and a Markdown table for the README,
//      writes bench/out/loadtest.json, and exits 1 if any invariant failed.
//
// Server, pool and embedded PostgreSQL are shut down on success, failure and Ctrl-C (or SIGTERM) alike. The server's output goes
// to bench/out/loadtest-server.log.
import { spawn, type ChildProcess } from "node:child_process";
import { createReadStream, openSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { z } from "zod";
import { loadBfclEntries, writeXlamSet } from "@/bench/generate-xlam";
import { addUser, generatePassword } from "@/lib/auth/users";
import { buildIsStale, buildNext } from "@/lib/cli/start";
import { closeDb, getPool } from "@/lib/db/client";
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { seededRandom } from "@/lib/random";
import { BFCL_FIXTURES_DIR } from "@/lib/samples/demo";
import { ruleFailures } from "@/lib/pipeline/rule-check";
import { toAnswer } from "@/lib/samples/export";
import { importSamples } from "@/lib/samples/import";
import type { Tool } from "@/lib/samples/types";
import { cpuShares, readCpuTicks } from "./loadtest-cpu";
import { checkInvariants, type Ack, type DecisionRow, type SampleState, type StaleAttempt } from "./loadtest-invariants";
import { markdownTable, summarizeLatencies, type LoadtestFigures } from "./loadtest-stats";

const Config = z.object({
  LOADTEST_SECONDS: z.coerce.number().positive().max(3_600).default(300),
  // At least two: a stale write re-sends someone else's decision.
  LOADTEST_ANNOTATORS: z.coerce.number().int().min(2).max(500).default(50),
  LOADTEST_SAMPLES: z.coerce.number().int().min(1).max(1_000_000).default(30_000),
  // Reviews each sample needs (lib/review/overlap.ts): with 2, every sample goes to two annotators, blind.
  LOADTEST_REVIEWS_PER_SAMPLE: z.coerce.number().int().min(1).max(5).default(1),
  LOADTEST_DATABASE_URL: z.url().optional(),
  LOADTEST_PG_PORT: z.coerce.number().int().min(1).max(65_535).default(54_380),
  LOADTEST_WEB_PORT: z.coerce.number().int().min(1).max(65_535).default(3_200),
});
type Config = z.infer<typeof Config>;

const EMBEDDED_DATA_DIR = ".data/loadtest-postgres";
const OUT_DIR = path.resolve("bench/out");
const SERVER_LOG = path.join(OUT_DIR, "loadtest-server.log");
const DISCARD_SHARE = 0.15;
/** Share of loop turns that start with a stale write. */
const STALE_WRITE_SHARE = 0.05;
/** A request unanswered this long counts as failed (and keeps a stalled server from stretching the run). */
const REQUEST_TIMEOUT_MS = 30_000;
const PROGRESS_EVERY_MS = 15_000;

// ---------------------------------------------------------------------------------------------------------------
// Shutting down: whatever was started is stopped in reverse order, once, on success, failure or Ctrl-C.

const cleanups: { what: string; run: () => Promise<void> }[] = [];
let interrupted = false;
let shuttingDown: Promise<void> | undefined;

/** The same promise for every caller: after Ctrl-C, main()'s own exit path must wait for the handler's shutdown. */
function shutDown(): Promise<void> {
  shuttingDown ??= (async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup.run().catch((error: Error) => log(`could not ${cleanup.what}: ${error.message}`));
    }
  })();
  return shuttingDown;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: shutting down`);
    void shutDown().finally(() => process.exit(130));
  });
}

function log(message: string) {
  process.stderr.write(`loadtest: ${message}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Database, queue and people

/** The database the run uses, fresh and migrated when it is the embedded one; DATABASE_URL points lib/ code at it. */
async function prepareDatabase(config: Config): Promise<string> {
  let url = config.LOADTEST_DATABASE_URL;
  if (!url) {
    const options = { dataDir: EMBEDDED_DATA_DIR, port: config.LOADTEST_PG_PORT };
    url = await ensureEmbeddedPostgres(options);
    cleanups.push({ what: "stop the embedded PostgreSQL", run: () => stopEmbeddedPostgres(options) });
    await recreateDatabase(url);
    await migrate(url);
  }
  process.env.DATABASE_URL = url;
  cleanups.push({ what: "close the database pool", run: closeDb });
  return url;
}

/** Drops and recreates the database of `url` (the embedded server's own `studio`): every run starts empty. */
async function recreateDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
}

// Eight verdicts per sample, as a full run leaves a sample that passed: the rules of stages 1–5 and the LLM judges
// of stages 2–4 (whose latest outcomes each decision snapshots into review_decisions.judge_outcomes).
const PASSED_VERDICTS = `(VALUES
  (1, 'rule:classify', 'The answer is a call list.', NULL, NULL, NULL, NULL),
  (2, 'rule:tool-names', 'Every called function is among the tools.', NULL, NULL, NULL, NULL),
  (2, 'llm:fake-judge', 'The query is solvable with these tools.', 'judge-query-tools.v1', 1800, 40, 420),
  (3, 'rule:cot-present', 'The sample has a chain of thought.', NULL, NULL, NULL, NULL),
  (3, 'llm:fake-judge', 'The reasoning leads to this answer.', 'judge-cot.v1', 1900, 40, 450),
  (4, 'rule:function-params', 'Names, parameters and types match the tools.', NULL, NULL, NULL, NULL),
  (4, 'llm:fake-judge', 'The values come from the query.', 'judge-values.v1', 1900, 40, 460),
  (5, 'rule:format', 'One <think> block first, then a call list that parses.', NULL, NULL, NULL, NULL)
) AS v(stage, decided_by, reason, prompt_version, prompt_tokens, completion_tokens, latency_ms)`;

/** Imports `count` generated samples into a new dataset and marks them passed, set-based; returns the dataset id. */
async function seedQueue(count: number, dataset: string, reviewsPerSample: number): Promise<number> {
  await mkdir(OUT_DIR, { recursive: true });
  const file = path.join(OUT_DIR, `loadtest-xlam-${count}.json`);
  await writeXlamSet(await loadBfclEntries(BFCL_FIXTURES_DIR), count, file);
  const summary = await importSamples({ datasetName: dataset, fileName: path.basename(file), input: createReadStream(file), actor: "cli:loadtest" });
  await rm(file);
  if (!summary.ok || summary.inserted !== count) throw new Error(`seeding went wrong: ${JSON.stringify(summary).slice(0, 500)}`);
  const pool = await getPool();
  const { rows } = await pool.query<{ id: number }>(`UPDATE datasets SET reviews_per_sample = $2 WHERE name = $1 RETURNING id`, [dataset, reviewsPerSample]);
  const datasetId = rows[0].id;
  // The teacher's CoT is one revision (version 1 → 2); `decided_by` is the last verdict's kind, stage 5's rule
  // (lib/pipeline/summary.ts).
  await pool.query(
    `UPDATE samples SET status = 'passed', cot = 'The user asks: ' || left(query, 300) || ' The tools cover it, so I call them with the values from the query.',
       version = 2, stage_outcomes = '{1:pass,2:pass,3:pass,4:pass,5:pass}', decided_by = 'rule', status_stage = NULL, status_code = NULL,
       status_reason = 'Passed all 5 stages.', updated_at = now()
     WHERE dataset_id = $1`,
    [datasetId],
  );
  await pool.query(
    `INSERT INTO sample_revisions (sample_id, version, answer_kind_before, answer_before, answer_kind_after, answer_after, cot_before, cot_after, reason, author)
     SELECT id, 2, answer_kind, answer, answer_kind, answer, NULL, cot, 'Generated a chain of thought (no CoT in the source).', 'llm:fake-teacher'
     FROM samples WHERE dataset_id = $1`,
    [datasetId],
  );
  await pool.query(
    `INSERT INTO stage_verdicts (sample_id, stage, outcome, reason, decided_by, prompt_version, prompt_tokens, completion_tokens, latency_ms)
     SELECT s.id, v.stage, 'pass', v.reason, v.decided_by, v.prompt_version, v.prompt_tokens, v.completion_tokens, v.latency_ms
     FROM samples s CROSS JOIN ${PASSED_VERDICTS} WHERE s.dataset_id = $1 ORDER BY s.id, v.stage`,
    [datasetId],
  );
  // A run would have discarded what a rule stage fails (BFCL's answers leave out a required parameter now and then):
  // such a sample cannot be approved, so it has no place in a queue of passed samples.
  const { rows: samples } = await pool.query<{ id: number; query: string; tools: Tool[]; answer_kind: "calls" | "text"; answer: unknown; cot: string }>(
    `SELECT id, query, tools, answer_kind, answer, cot FROM samples WHERE dataset_id = $1`,
    [datasetId],
  );
  const failing: number[] = [];
  for (const row of samples) {
    const failures = await ruleFailures({ query: row.query, tools: row.tools, answer: toAnswer(row.answer_kind, row.answer), cot: row.cot });
    if (failures.length) failing.push(row.id);
  }
  await pool.query(`UPDATE samples SET status = 'discarded', status_reason = 'A rule stage fails it.' WHERE id = ANY($1::int[])`, [failing]);
  if (failing.length) log(`${failing.length} generated samples fail a rule stage: discarded, not in the queue`);
  // As autovacuum would after a run: the UPDATE left a dead version of every row behind.
  await pool.query(`VACUUM ANALYZE samples, stage_verdicts, sample_revisions`);
  return datasetId;
}

interface Person {
  index: number;
  email: string;
  password: string;
  cookie: string;
}

async function addAnnotators(count: number, tag: string): Promise<Person[]> {
  const people: Person[] = [];
  for (let i = 1; i <= count; i++) {
    const email = `annotator-${String(i).padStart(3, "0")}.${tag}@loadtest.local`;
    const password = generatePassword();
    await addUser({ email, name: `Load annotator ${i}`, role: "annotator", password }, "cli:loadtest");
    people.push({ index: i, email, password, cookie: "" });
  }
  return people;
}

// ---------------------------------------------------------------------------------------------------------------
// The web server

interface Server {
  child: ChildProcess;
  base: string;
  exited: boolean;
}

async function startServer(config: Config, databaseUrl: string): Promise<Server> {
  const port = config.LOADTEST_WEB_PORT;
  const logFd = openSync(SERVER_LOG, "w");
  const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      STUDIO_WEB_WORKER: "0",
      STUDIO_SIGN_IN_PER_MINUTE: String(10 * config.LOADTEST_ANNOTATORS),
      // The first admin the server would otherwise create and print a password for: nobody signs in as them.
      STUDIO_ADMIN_EMAIL: "loadtest-admin@loadtest.local",
      STUDIO_ADMIN_PASSWORD: generatePassword(),
    },
    stdio: ["ignore", logFd, logFd],
  });
  const server: Server = { child, base: `http://127.0.0.1:${port}`, exited: false };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => (server.exited = true));
  cleanups.push({
    what: "stop the web server",
    run: async () => {
      if (server.exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  });

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exited) throw new Error(`the web server exited during start-up; last lines of ${SERVER_LOG}:\n${logTail()}`);
    const healthy = await fetch(`${server.base}/api/health`).then((r) => r.ok, () => false);
    if (healthy) return server;
    if (Date.now() > deadline) throw new Error(`the web server did not answer /api/health within 120 s; last lines of ${SERVER_LOG}:\n${logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function logTail(): string {
  return readFileSync(SERVER_LOG, "utf8").trimEnd().split("\n").slice(-20).join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Traffic

interface Answer {
  status: number;
  json: unknown;
  ms: number;
}

const ClaimAnswer = z.object({ sampleId: z.number().int().nullable() });
const ViewAnswer = z.object({ sample: z.object({ version: z.number().int() }) });
const DecisionAnswer = z.object({ version: z.number().int() });

/** Everything the annotators saw, for the figures and the invariants. */
class Run {
  readonly latency = { claim: [] as number[], load: [] as number[], decide: [] as number[] };
  readonly acks: Ack[] = [];
  readonly staleAttempts: StaleAttempt[] = [];
  readonly refusals: string[] = [];
  requests = 0;
  serverErrors = 0;
  transportErrors = 0;
  lastTransportError = "";
  queueRanOut = false;

  constructor(
    readonly server: Server,
    readonly datasetId: number,
    readonly deadline: number,
  ) {}

  going(): boolean {
    return Date.now() < this.deadline && !this.server.exited && !interrupted && !this.queueRanOut;
  }

  async send(person: Person, method: "GET" | "POST", route: string, body?: object): Promise<Answer> {
    const started = performance.now();
    this.requests++;
    try {
      const response = await fetch(this.server.base + route, {
        method,
        // A browser sends its origin with every POST; sign-in refuses a request without one.
        headers: { cookie: person.cookie, origin: this.server.base, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.status >= 500) this.serverErrors++;
      return { status: response.status, json: parseJson(text), ms: performance.now() - started };
    } catch (error) {
      this.transportErrors++;
      this.lastTransportError = `${method} ${route}: ${(error as Error).message}`;
      return { status: 0, json: null, ms: performance.now() - started };
    }
  }

  /** A claim, load or decision that was answered but not accepted (5xx and no answer are counted already). */
  refused(what: string, answer: Answer) {
    if (answer.status === 0 || answer.status >= 500) return;
    const error = (answer.json as { error?: unknown } | null)?.error;
    this.refusals.push(`${what}: HTTP ${answer.status}${error ? ` ${String(error)}` : " (unexpected body)"}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function signIn(server: Server, person: Person): Promise<void> {
  const response = await fetch(`${server.base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.base },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  if (!response.ok) throw new Error(`signing in ${person.email}: HTTP ${response.status} ${await response.text()}`);
  person.cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

/** One annotator working through the queue until the deadline: claim, load, decide; now and then a stale write. */
async function annotate(run: Run, person: Person): Promise<void> {
  const random = seededRandom(person.index);
  const author = `human:${person.email}`;
  while (run.going()) {
    if (random() < STALE_WRITE_SHARE) await staleWrite(run, person, random);

    const claim = await run.send(person, "POST", "/api/review/next", { datasetId: run.datasetId });
    run.latency.claim.push(claim.ms);
    const claimed = ClaimAnswer.safeParse(claim.json);
    if (claim.status !== 200 || !claimed.success) {
      run.refused("claim", claim);
      continue;
    }
    const sampleId = claimed.data.sampleId;
    if (sampleId === null) {
      run.queueRanOut = true;
      return;
    }

    const load = await run.send(person, "GET", `/api/samples/${sampleId}`);
    run.latency.load.push(load.ms);
    const view = ViewAnswer.safeParse(load.json);
    if (load.status !== 200 || !view.success) {
      run.refused(`load sample ${sampleId}`, load);
      continue;
    }

    const loadedVersion = view.data.sample.version;
    const action = random() < DISCARD_SHARE ? "discard" : "approve";
    const decide = await run.send(person, "POST", `/api/samples/${sampleId}/decision`, decisionBody(action, loadedVersion));
    run.latency.decide.push(decide.ms);
    const decided = DecisionAnswer.safeParse(decide.json);
    if (decide.status !== 200 || !decided.success) {
      run.refused(`${action} sample ${sampleId}`, decide);
      continue;
    }
    run.acks.push({ sampleId, author, action, loadedVersion, version: decided.data.version });
  }
}

function decisionBody(action: Ack["action"], expectedVersion: number): object {
  return action === "approve" ? { action, expectedVersion } : { action, expectedVersion, reason: "loadtest: the call does not answer the query", stage: 4 };
}

/** Re-sends the opposite decision on a sample someone else decided, with the version they decided it at. */
async function staleWrite(run: Run, person: Person, random: () => number): Promise<void> {
  const author = `human:${person.email}`;
  let first: Ack | undefined;
  for (let tries = 0; tries < 3 && !first && run.acks.length > 0; tries++) {
    const pick = run.acks[Math.floor(random() * run.acks.length)];
    // Only a decision that moved the sample on (with k > 1 reviews, the one that made it final) leaves a stale version.
    if (pick.author !== author && pick.version !== pick.loadedVersion) first = pick;
  }
  if (!first) return;
  const action = first.action === "approve" ? "discard" : "approve";
  const answer = await run.send(person, "POST", `/api/samples/${first.sampleId}/decision`, decisionBody(action, first.loadedVersion));
  run.staleAttempts.push({ sampleId: first.sampleId, author, status: answer.status, first });
}

function startProgress(run: Run, started: number): () => void {
  const timer = setInterval(() => {
    const seconds = (Date.now() - started) / 1000;
    const claimP95 = summarizeLatencies(run.latency.claim.slice(-2_000))?.p95 ?? NaN;
    log(
      `${seconds.toFixed(0)} s: ${run.acks.length} decisions (${(run.acks.length / seconds).toFixed(1)}/s), ` +
        `claim p95 ${claimP95.toFixed(0)} ms (last 2,000), ${run.serverErrors} 5xx, ${run.transportErrors} failed, ${run.refusals.length} refused`,
    );
  }, PROGRESS_EVERY_MS);
  return () => clearInterval(timer);
}

/** The embedded server's main process, from the pid file in its data folder; null if it cannot be read. */
async function embeddedPostgresPid(): Promise<number | null> {
  try {
    const { rows } = await (await getPool()).query<{ data_directory: string }>(`SHOW data_directory`);
    return Number(readFileSync(path.join(rows[0].data_directory, "postmaster.pid"), "utf8").split("\n")[0]) || null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Afterwards: what the database holds

async function readOutcome(run: Run): Promise<{ rows: DecisionRow[]; finalStates: SampleState[] }> {
  const pool = await getPool();
  const decisions = await pool.query<{ sample_id: number; author: string; action: string; version: number }>(
    `SELECT r.sample_id, r.author, r.action, r.version FROM review_decisions r JOIN samples s ON s.id = r.sample_id WHERE s.dataset_id = $1`,
    [run.datasetId],
  );
  const states = await pool.query<SampleState>(`SELECT id, version, status::text FROM samples WHERE id = ANY($1::int[])`, [
    [...new Set([...run.staleAttempts.map((a) => a.sampleId), ...decisions.rows.map((r) => r.sample_id)])],
  ]);
  return {
    rows: decisions.rows.map((r) => ({ sampleId: r.sample_id, author: r.author, action: r.action, version: r.version })),
    finalStates: states.rows,
  };
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const parsed = Config.safeParse(process.env);
  if (!parsed.success) throw new Error(`bad settings:\n${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const tag = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  const dataset = `loadtest-${tag}`;

  const databaseUrl = await prepareDatabase(config);
  log(`database ready${config.LOADTEST_DATABASE_URL ? "" : ` (embedded, ${EMBEDDED_DATA_DIR}, port ${config.LOADTEST_PG_PORT}, fresh)`}`);
  let t = performance.now();
  const datasetId = await seedQueue(config.LOADTEST_SAMPLES, dataset, config.LOADTEST_REVIEWS_PER_SAMPLE);
  log(
    `queue: ${config.LOADTEST_SAMPLES} passed samples in dataset ${dataset}, ${config.LOADTEST_REVIEWS_PER_SAMPLE} review(s) each ` +
      `(${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
  t = performance.now();
  const people = await addAnnotators(config.LOADTEST_ANNOTATORS, tag);
  log(`${people.length} annotator accounts (${((performance.now() - t) / 1000).toFixed(1)} s)`);

  if (await buildIsStale()) {
    log("building the web app (.next is missing or older than the sources)…");
    await buildNext();
  }
  const server = await startServer(config, databaseUrl);
  log(`web server on ${server.base} (output in ${path.relative(process.cwd(), SERVER_LOG)})`);

  for (const person of people) await signIn(server, person);
  log(`${people.length} annotators signed in; working for ${config.LOADTEST_SECONDS} s`);
  const started = Date.now();
  const run = new Run(server, datasetId, started + config.LOADTEST_SECONDS * 1000);
  const pids = { server: server.child.pid!, postgres: config.LOADTEST_DATABASE_URL ? null : await embeddedPostgresPid() };
  const cpuBefore = readCpuTicks(pids);
  const stopProgress = startProgress(run, started);
  await Promise.all(people.map((person) => annotate(run, person)));
  stopProgress();
  const cpu = cpuShares(cpuBefore, readCpuTicks(pids));
  const seconds = (Date.now() - started) / 1000;
  if (interrupted) return 130;
  if (server.exited) throw new Error(`the web server exited during the run; last lines of ${SERVER_LOG}:\n${logTail()}`);
  if (run.queueRanOut) log(`the queue ran out after ${seconds.toFixed(0)} s: raise LOADTEST_SAMPLES for a run of the full ${config.LOADTEST_SECONDS} s`);
  if (run.lastTransportError) log(`last failed request: ${run.lastTransportError}`);

  const { rows, finalStates } = await readOutcome(run);
  const invariants = checkInvariants({
    reviewsPerSample: config.LOADTEST_REVIEWS_PER_SAMPLE,
    acks: run.acks,
    rows,
    staleAttempts: run.staleAttempts,
    finalStates,
    serverErrors: run.serverErrors,
    transportErrors: run.transportErrors,
    refusals: run.refusals,
  });
  const figures: LoadtestFigures = {
    annotators: people.length,
    seconds,
    samples: config.LOADTEST_SAMPLES,
    reviewsPerSample: config.LOADTEST_REVIEWS_PER_SAMPLE,
    decisions: run.acks.length,
    discards: run.acks.filter((a) => a.action === "discard").length,
    decisionsPerSecond: run.acks.length / seconds,
    requestsPerSecond: run.requests / seconds,
    latency: { claim: summarizeLatencies(run.latency.claim), load: summarizeLatencies(run.latency.load), decide: summarizeLatencies(run.latency.decide) },
    staleWrites: { sent: run.staleAttempts.length, refused409: run.staleAttempts.filter((a) => a.status === 409).length },
    serverErrors: run.serverErrors,
    transportErrors: run.transportErrors,
    cpu,
    invariantsHeld: invariants.every((i) => i.ok),
  };

  const out = path.join(OUT_DIR, "loadtest.json");
  await writeFile(out, JSON.stringify({ date: new Date().toISOString(), dataset, queueRanOut: run.queueRanOut, figures, invariants }, null, 2) + "\n");
  const print = (line = "") => process.stdout.write(`${line}\n`);
  print("Invariants:");
  for (const invariant of invariants) print(`  ${invariant.ok ? "✓" : "✗"} ${invariant.name} — ${invariant.detail}`);
  print();
  print(`Figures (also in ${path.relative(process.cwd(), out)}):`);
  print();
  print(markdownTable(figures));
  return figures.invariantsHeld ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await shutDown();
}
process.exit(exitCode);
