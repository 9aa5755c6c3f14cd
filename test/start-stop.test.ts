// `npm start` stops cleanly: on SIGTERM (or Ctrl-C) the web server stops, then the embedded PostgreSQL the start
// started, and the command ends with 0 — before, it printed "next start exited with 143", failed, and left PostgreSQL
// running. `npm run studio -- stop` does the same for a studio started elsewhere. Runs the real serving code
// (test/serve-stand-in.ts) in its own process, with its own embedded PostgreSQL, pid file and port.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedPostgresRuns, stopEmbeddedPostgres } from "@/lib/db/embedded";
import { freePort } from "./run-helpers";

const DATA = ".data/start-stop-postgres";
const PID_FILE = path.resolve(".data/start-stop-test.pid");
let env: NodeJS.ProcessEnv;
const server = () => ({ dataDir: DATA, port: Number(env.STUDIO_PG_PORT) });

beforeAll(async () => {
  const { DATABASE_URL: _, ...rest } = process.env;
  env = { ...rest, STUDIO_PG_PORT: String(await freePort()), STUDIO_PG_DATA: DATA, STUDIO_PID_FILE: PID_FILE };
});
afterAll(async () => {
  await stopEmbeddedPostgres(server());
});

interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** The serving code in its own process; resolves once its stand-in web server is up. */
async function start(extra: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "test/serve-stand-in.ts"], { env: { ...env, ...extra } });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  if (!extra.STAND_IN_FAIL) {
    const deadline = Date.now() + 60_000;
    while (!output.includes("stand-in ready")) {
      if (Date.now() > deadline) throw new Error(`the studio did not come up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { child, output: () => output, exit };
}

describe("npm start's serving", () => {
  it("stops on SIGTERM with 0: the web server, then the embedded PostgreSQL it started, and its pid file", async () => {
    await stopEmbeddedPostgres(server());
    const studio = await start();
    expect(existsSync(PID_FILE)).toBe(true);
    expect(await embeddedPostgresRuns(server())).toBe(true);
    studio.child.kill("SIGTERM");
    expect(await studio.exit).toBe(0);
    expect(studio.output()).toContain("stopping (SIGTERM)");
    expect(studio.output()).toContain("stopped the embedded PostgreSQL this start had started");
    expect(studio.output()).not.toMatch(/exited with|error:/);
    expect(await embeddedPostgresRuns(server())).toBe(false);
    expect(existsSync(PID_FILE)).toBe(false);
  });

  it("leaves running an embedded PostgreSQL it found running (another command may be using it)", async () => {
    const { ensureEmbeddedPostgres } = await import("@/lib/db/embedded");
    await ensureEmbeddedPostgres(server());
    const studio = await start();
    studio.child.kill("SIGINT");
    expect(await studio.exit).toBe(0);
    expect(studio.output()).not.toContain("stopped the embedded PostgreSQL");
    expect(await embeddedPostgresRuns(server())).toBe(true);
    await stopEmbeddedPostgres(server());
  });

  it("fails with the server's exit code when the server stops on its own, and still stops its PostgreSQL", async () => {
    const studio = await start({ STAND_IN_FAIL: "1" });
    expect(await studio.exit).toBe(1);
    expect(studio.output()).toMatch(/error: .*exited with 3/);
    expect(await embeddedPostgresRuns(server())).toBe(false);
  });

  it("`studio stop` stops a studio started elsewhere, and says what it stopped", async () => {
    const studio = await start();
    const stop = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/main.ts", "stop"], { env });
    let said = "";
    stop.stderr.on("data", (chunk) => (said += chunk));
    const stopped = await new Promise<number | null>((resolve) => stop.on("exit", resolve));
    expect(stopped).toBe(0);
    expect(await studio.exit).toBe(0);
    expect(said).toMatch(/stopped the studio \(pid \d+\)/);
    expect(await embeddedPostgresRuns(server())).toBe(false);
    expect(existsSync(PID_FILE)).toBe(false);
  });
});
