// `studio round start` and `studio round list` as a user runs them (separate processes, the CLI's own worker), with the
// project's fake LLM as judge, teacher and policy model; a round's refined set exported in every training format.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db/client";
import { EXPORT_FORMAT_IDS } from "@/lib/formats";
import { readPolicyKey } from "@/lib/llm/fake-policy-key";
import { startFakeLlm, type FakeLlm } from "@/lib/llm/fake-server";
import { useOwnDatabase } from "@/test/own-database";
import { fileDir } from "./temp-dir";

const exec = promisify(execFile);
const database = await useOwnDatabase("round_cli");
const dir = await fileDir("studio-round-cli-");
const bfcl = path.resolve("fixtures/bfcl");
const SOURCE = "bfcl-cli";
let llm: FakeLlm;

async function studio(...args: string[]) {
  const env = { ...process.env, STUDIO_LLM_BASE_URL: llm.url, STUDIO_LLM_MODEL: "fake-judge", STUDIO_LLM_MAX_RETRIES: "0" };
  try {
    const { stdout, stderr } = await exec(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/main.ts", ...args], { env });
    return { code: 0, stderr, summary: JSON.parse(stdout.trim().split("\n").at(-1)!) };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    const last = e.stdout.trim().split("\n").at(-1);
    return { code: e.code, stderr: e.stderr, summary: last ? JSON.parse(last) : null };
  }
}

beforeAll(async () => {
  llm = await startFakeLlm({ policyKey: await readPolicyKey(bfcl) });
  const file = path.join(dir, "BFCL_v4_simple_python.json");
  const lines = (await readFile(path.join(bfcl, "BFCL_v4_simple_python.json"), "utf8")).split("\n").filter(Boolean).slice(0, 60);
  await writeFile(file, lines.join("\n"));
  const imported = await studio("import", file, "--dataset", SOURCE, "--answers", path.join(bfcl, "possible_answer/BFCL_v4_simple_python.json"));
  expect(imported.summary).toMatchObject({ inserted: 60 });
});
afterAll(async () => {
  await closeDb();
  await database.drop();
  await llm.close();
});

describe("studio round", () => {
  it("runs two rounds, lists them, and exports a round's refined set in every training format", async () => {
    const first = await studio("round", "start", "--source", SOURCE, "--model", "policy-r1");
    expect(first.code, first.stderr).toBe(0);
    expect(first.summary).toMatchObject({ command: "round start", round: 1, dataset: `${SOURCE} · round 1`, model: "policy-r1", status: "succeeded", queries: 60, answers: 60, rescued: null });
    expect(first.summary.agreement).toBeGreaterThan(0.5);
    expect(first.summary.agreement).toBeLessThan(0.9);
    expect(first.summary.refined).toBeGreaterThan(0);

    const second = await studio("round", "start", "--source", SOURCE, "--model", "policy-r2", "--samples-per-query", "1", "--temperature", "0.2");
    expect(second.code, second.stderr).toBe(0);
    expect(second.summary).toMatchObject({ round: 2, dataset: `${SOURCE} · round 2`, status: "succeeded" });
    expect(second.summary.rescued).toEqual(expect.any(Number));
    expect(second.summary.lost).toEqual(expect.any(Number));

    const listed = await studio("round", "list", "--source", SOURCE);
    expect(listed.summary.rounds.map((r: { round: number; model: string }) => [r.round, r.model])).toEqual([[2, "policy-r2"], [1, "policy-r1"]]);

    for (const format of EXPORT_FORMAT_IDS) {
      const out = path.join(dir, `round2.${format}.jsonl`);
      const exported = await studio("export", "--dataset", `${SOURCE} · round 2`, "--format", format, "--out", out);
      expect(exported.code, `${format}: ${exported.stderr}`).toBe(0);
      expect(exported.summary.written + exported.summary.withheld, format).toBe(second.summary.refined);
      const written = (await readFile(out, "utf8")).trim().split("\n").filter(Boolean);
      expect(written.length, format).toBeGreaterThan(0);
    }
  });

  it("refuses bad input with a non-zero exit naming the option, and starts nothing", async () => {
    const noSource = await studio("round", "start", "--model", "m");
    expect(noSource.code).toBe(1);
    expect(noSource.stderr).toContain("--source <dataset> is required");
    const badN = await studio("round", "start", "--source", SOURCE, "--model", "m", "--samples-per-query", "0");
    expect(badN.stderr).toContain("--samples-per-query must be at least 1");
    const unknown = await studio("round", "start", "--source", "nope", "--model", "m");
    expect(unknown.stderr).toContain('dataset "nope" does not exist');
    const listed = await studio("round", "list", "--source", SOURCE);
    expect(listed.summary.rounds).toHaveLength(2);
  });
});
