import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";

const exec = promisify(execFile);

/** Runs `npm run studio -- <args>` the way a user does (tsx, same env), never throwing on a non-zero exit. */
async function studio(...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/main.ts", ...args], { env: process.env });
    return { code: 0, stdout, stderr, summary: JSON.parse(stdout.trim().split("\n").at(-1)!) };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    const last = e.stdout.trim().split("\n").at(-1);
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, summary: last ? JSON.parse(last) : null };
  }
}

const dir = await mkdtemp(path.join(tmpdir(), "studio-cli-"));
const bfcl = path.resolve("fixtures/bfcl");

describe("studio CLI", () => {
  it("imports BFCL with answers, lists datasets, exports, and ends each command with one JSON line", async () => {
    const dataset = `cli-${process.pid}`;
    const imported = await studio("import", path.join(bfcl, "BFCL_v4_simple_python.json"), "--dataset", dataset, "--answers", path.join(bfcl, "possible_answer/BFCL_v4_simple_python.json"));
    expect(imported.code).toBe(0);
    expect(imported.summary).toMatchObject({ command: "import", ok: true, format: "bfcl", total: 400, inserted: 400, rejected: 0 });
    expect(imported.summary.seconds).toEqual(expect.any(Number));

    const listed = await studio("datasets");
    expect(listed.summary.datasets).toContainEqual(expect.objectContaining({ name: dataset, total: 400 }));

    const pool = await getPool();
    await pool.query(`UPDATE samples SET status = 'passed' WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1)`, [dataset]);
    const out = path.join(dir, "refined.jsonl");
    const exported = await studio("export", "--dataset", dataset, "--format", "funreason", "--out", out);
    expect(exported.code).toBe(0);
    expect(exported.summary).toMatchObject({ command: "export", written: 400 });
    const lines = (await readFile(out, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(400);
    expect(JSON.parse(lines[0]).messages[2].content).toMatch(/^\[calculate_triangle_area\(/);
  });

  it("fails with a non-zero exit and the reason on stderr", async () => {
    const bad = path.join(dir, "bad.json");
    await writeFile(bad, '[{"id": 1, "query": "hi", "tools": "[]", "answers": "[]"},');
    const truncated = await studio("import", bad, "--dataset", `cli-bad-${process.pid}`);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/error: .*(truncat|end)/i);
    expect(truncated.summary).toMatchObject({ ok: false, inserted: 0 });

    const missing = await studio("import", path.join(dir, "nope.json"), "--dataset", "x");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json: ENOENT/);

    const unknown = await studio("export", "--dataset", "no-such-dataset", "--format", "xlam", "--out", path.join(dir, "x.jsonl"));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/dataset "no-such-dataset" does not exist/);

    const badFormat = await studio("export", "--dataset", "x", "--format", "csv", "--out", path.join(dir, "x.jsonl"));
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toMatch(/--format must be funreason, xlam, openai or audit/);
  });
});
