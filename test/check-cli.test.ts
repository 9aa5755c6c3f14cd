// `studio check <file>`: the rule stages over a file without importing it, one JSON line per record (its own id,
// each stage's outcome and reason), then the summary line. Spawned the way a user (or another pipeline) runs it.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { testDir } from "./temp-dir";

const exec = promisify(execFile);

async function studio(...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/main.ts", ...args], { env: process.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tools = JSON.stringify([
  {
    name: "get_weather",
    description: "Current weather for a city.",
    parameters: {
      city: { description: "The city name.", type: "str", default: "" },
      units: { description: "metric or imperial.", type: "str, optional", default: "metric" },
    },
  },
]);
const line = (record: Record<string, unknown>) => JSON.stringify({ tools, ...record });

interface StageResult {
  outcome: string;
  reason: string;
}

describe("studio check <file>", () => {
  it("prints each record's id and per-stage outcome and reason, reports a malformed line by number, and imports nothing", async () => {
    const dir = await testDir("studio-check-");
    const file = path.join(dir, "mixed.jsonl");
    await writeFile(
      file,
      [
        line({
          id: "chk-valid-7",
          query: "What is the weather in Lyon?",
          answers: JSON.stringify([{ name: "get_weather", arguments: { city: "Lyon" } }]),
          cot: 'The user wants the weather in Lyon, so I call get_weather(city="Lyon").',
        }),
        line({ id: "chk-unknown-arg-8", query: "Weather in Lyon, in blue?", answers: JSON.stringify([{ name: "get_weather", arguments: { city: "Lyon", colour: "blue" } }]) }),
        line({ id: "chk-missing-fn-9", query: "Fly me to Lyon.", answers: JSON.stringify([{ name: "book_flight", arguments: { to: "Lyon" } }]) }),
        '{"id": "chk-broken-10", "query": "Weather in',
        line({ id: "chk-no-cot-11", query: "Weather in Nice?", answers: JSON.stringify([{ name: "get_weather", arguments: { city: "Nice" } }]) }),
      ].join("\n") + "\n",
    );

    const out = await studio("check", file);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6); // five records, then the summary
    const [valid, unknownArg, missingFn, broken, noCot, summary] = lines;

    // Each record under its own id, in file order, with its line.
    expect(lines.slice(0, 5).map((l) => [l.id, l.line])).toEqual([
      ["chk-valid-7", 1],
      ["chk-unknown-arg-8", 2],
      ["chk-missing-fn-9", 3],
      [null, 4],
      ["chk-no-cot-11", 5],
    ]);

    const outcomes = (record: { stages: Record<string, StageResult> }) => Object.fromEntries(Object.entries(record.stages).map(([k, v]) => [k, v.outcome]));
    expect(outcomes(valid)).toEqual({ 1: "pass", 2: "pass", 3: "pass", 4: "pass", 5: "pass" });
    for (const stage of Object.values(valid.stages as Record<string, StageResult>)) expect(stage.reason).toEqual(expect.any(String));

    expect(unknownArg.stages[4].outcome).toBe("fail");
    expect(unknownArg.stages[4].reason).toMatch(/colour is not a parameter of get_weather/);
    expect(unknownArg.stages[2].outcome).toBe("pass");

    expect(missingFn.stages[2]).toEqual({ outcome: "fail", reason: expect.stringMatching(/book_flight, which is not among the tools \(get_weather\)/) });
    expect(missingFn.stages[4]).toMatchObject({ outcome: "fail", reason: expect.stringContaining("no tool named book_flight") });

    expect(broken).toMatchObject({ id: null, line: 4, error: { line: 4, message: expect.stringMatching(/not valid JSON/) } });
    expect(broken.stages).toBeUndefined();

    // No CoT is not a defect of the record: a run generates one first, so stages 3 and 5 are not checked here.
    expect(outcomes(noCot)).toEqual({ 1: "pass", 2: "pass", 3: "skip", 4: "pass", 5: "skip" });

    expect(summary).toMatchObject({ command: "check", file, records: 5, rejected: 1, passed: 2, failed: 2 });
    expect(summary.seconds).toEqual(expect.any(Number));

    // Nothing imported: no import job for the file, no dataset, none of its records (other test files import
    // into the same database meanwhile, so this looks for this file's traces, not at total counts).
    const pool = await getPool();
    const traces = await pool.query(
      `SELECT (SELECT count(*)::int FROM import_jobs WHERE file_name = $1) AS jobs,
         (SELECT count(*)::int FROM datasets WHERE name = $1 OR name = $2) AS datasets,
         (SELECT count(*)::int FROM samples WHERE source_id = ANY($3::text[])) AS samples`,
      [path.basename(file), path.basename(file, ".jsonl"), ["chk-valid-7", "chk-unknown-arg-8", "chk-missing-fn-9", "chk-broken-10", "chk-no-cot-11"]],
    );
    expect(traces.rows[0]).toEqual({ jobs: 0, datasets: 0, samples: 0 });
  });

  it("prints a malformed call answer as a call that fails stage 5 with its problem, and a text answer as text", async () => {
    const dir = await testDir("studio-check-");
    const file = path.join(dir, "malformed.jsonl");
    const chat = (id: string, assistant: string) =>
      JSON.stringify({ id, tools: JSON.parse(tools), messages: [{ role: "user", content: "Weather in Lyon?" }, { role: "assistant", content: assistant }] });
    const think = "<think>The user wants the weather in Lyon.</think>";
    await writeFile(
      file,
      [
        chat("chk-trailing", `${think}\n\n[get_weather(city='Lyon')]\nHope this helps!`),
        chat("chk-two-thinks", `<think>a</think><think>b</think>[get_weather(city='Lyon')]`),
        chat("chk-unbalanced", `${think} [get_weather(city='Lyon')`),
        chat("chk-never-closed", "<think>The user wants the weather in Lyon, so get_weather."),
        chat("chk-tool-call", `${think}\n<tool_call>{"name": "get_weather", "arguments": {"city": "Lyon"}}`),
        chat("chk-text", "I can't get the weather for you without a city."),
      ].join("\n") + "\n",
    );

    const out = await studio("check", file);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const byId: Record<string, Record<string, StageResult>> = Object.fromEntries(lines.slice(0, -1).map((l) => [l.id, l.stages]));
    const problems = {
      "chk-trailing": "text after the call list: 'Hope this helps!'",
      "chk-two-thinks": "two <think> blocks",
      "chk-unbalanced": "the call list is not closed: missing ']'",
      "chk-never-closed": "<think> is never closed",
      "chk-tool-call": "a <tool_call> tag instead of a call list",
    };
    for (const [id, problem] of Object.entries(problems)) {
      const stages = byId[id];
      expect(stages[1].outcome, id).toBe("pass");
      expect(stages[1].reason, id).toMatch(/^The reference answer is a call that does not parse as a call list/);
      for (const stage of [2, 3, 4]) {
        expect(stages[stage], `${id} stage ${stage}`).toEqual({
          outcome: "skip",
          reason: "Not checked: the answer is a call that does not parse as a call list (stage 5 says what is wrong).",
        });
      }
      expect(stages[5], id).toEqual({ outcome: "fail", reason: `The training text is malformed: ${problem}.` });
    }
    expect(byId["chk-text"][1]).toEqual({ outcome: "pass", reason: "The reference answer is plain text: it is kept as a text sample and stages 2–5 do not apply." });
    expect(Object.values(byId["chk-text"]).map((s) => s.outcome)).toEqual(["pass", "skip", "skip", "skip", "skip"]);
    expect(lines.at(-1)).toMatchObject({ records: 6, rejected: 0, passed: 1, failed: 5 });
  });

  it("checks every turn of a conversation: a later turn's bad call fails the record, said under that turn", async () => {
    const dir = await testDir("studio-check-");
    const file = path.join(dir, "conversation.jsonl");
    const think = (text: string) => `<think>${text}</think>`;
    const call = (id: string, args: object) => ({ id, type: "function", function: { name: "get_weather", arguments: JSON.stringify(args) } });
    const conversation = (id: string, second: object) =>
      JSON.stringify({
        id,
        tools: JSON.parse(tools),
        messages: [
          { role: "user", content: "Weather in Lyon?" },
          { role: "assistant", content: think("Lyon: get_weather with the city."), tool_calls: [call("c1", { city: "Lyon" })] },
          { role: "tool", tool_call_id: "c1", content: '{"sky": "clear"}' },
          { role: "user", content: "And Oslo?" },
          { role: "assistant", content: think("Oslo now: get_weather with the city."), tool_calls: [call("c2", second)] },
        ],
      });
    await writeFile(file, [conversation("conv-good", { city: "Oslo" }), conversation("conv-bad", { city: "Oslo", colour: "blue" })].join("\n") + "\n");

    const out = await studio("check", file);
    expect(out.code, out.stderr).toBe(0);
    const [good, bad, summary] = out.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(Object.values(good.stages).map((s) => (s as StageResult).outcome)).toEqual(["pass", "pass", "pass", "pass", "pass"]);
    expect(good.turns.map((t: { turn: number }) => t.turn)).toEqual([2]);
    expect(Object.values(bad.stages).every((s) => (s as StageResult).outcome === "pass")).toBe(true);
    expect(bad.turns[0].stages[4]).toMatchObject({ outcome: "fail", reason: expect.stringContaining("colour is not a parameter of get_weather") });
    expect(summary).toMatchObject({ records: 2, rejected: 0, passed: 1, failed: 1 });
  });

  it("fails with a non-zero exit on a file that is not records at all", async () => {
    const dir = await testDir("studio-check-");
    const file = path.join(dir, "notes.txt");
    await writeFile(file, "just some notes\n");
    const out = await studio("check", file);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/error: line 1: the file is neither a JSON array nor JSON Lines/);
  });
});
