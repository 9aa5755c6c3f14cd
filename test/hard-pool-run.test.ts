// A v3 run (issue 13 §2) on the real database against the fake LLM: a stage 4 fail sends the sample to the hard-data
// pool; the teacher is asked once for K candidates; every candidate is kept as a revision with its verdicts; the
// best passing one becomes the answer, or the sample is dropped ("hard: no candidate passed"); the run, the
// dashboard's funnel and the tokens count the pool.
import { useOwnDatabase } from "@/test/own-database";
import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDashboard } from "@/lib/dashboard/queries";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorker } from "@/lib/jobs/worker";
import { FAKE_BAD_ARGUMENT } from "@/lib/llm/fake-server";
import { createRun } from "@/lib/runs/create-run";
import { getRunProgress, type RunProgress } from "@/lib/runs/queries";
import { getSample } from "@/lib/samples/queries";
import { importSamples } from "@/lib/samples/import";
import { useFakeLlm } from "@/test/fake-llm";
import { waitFor } from "./run-helpers";
import { fileDir } from "./temp-dir";

const ownDatabase = await useOwnDatabase("hard_pool");
const exec = promisify(execFile);

const TOOLS = [{ name: "get_weather", description: "Current weather for a city.", parameters: { city: { description: "The city name.", type: "str", default: "" } } }];
const xlam = (id: string, query: string, args: Record<string, string>) => ({
  id,
  query,
  tools: JSON.stringify(TOOLS),
  answers: JSON.stringify([{ name: "get_weather", arguments: args }]),
  cot: "The user names Lyon: get_weather.",
});
const WRONG = { city: "Lyon", colour: "blue" };

const RECORDS = [
  xlam("clean", "What is the weather in Lyon?", { city: "Lyon" }),
  // Stage 4's rules fail the answer as it came; of the teacher's 4 candidates the first two are bad too.
  xlam("rescued", "What is the weather in Lyon? [[fake:teacher-fixes-after=2]]", WRONG),
  xlam("dropped", "What is the weather in Lyon? [[fake:teacher-bad]]", WRONG),
  // Stages 1–3 are the base check: a stage 3 fail discards, the pool never sees it.
  xlam("base-fail", "What is the weather in Lyon? [[fake:fail@judge-cot]]", { city: "Lyon" }),
];

const llm = useFakeLlm({}, { env: true });
let runId: number;
let progress: RunProgress;
const ids = new Map<string, number>();

const dir = await fileDir("studio-pool-");

beforeAll(async () => {
  const file = path.join(dir, "pool.jsonl");
  await writeFile(file, RECORDS.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await importSamples({ datasetName: "pool", fileName: "pool.jsonl", input: createReadStream(file) });
  await importSamples({ datasetName: "pool-cli", fileName: "pool.jsonl", input: createReadStream(file) });
  await startWorker();
  ({ runId } = await createRun({ datasetName: "pool", stages: "all", concurrency: 2, maxRegenerations: 3, skipStages: [0], hardPool: { candidates: 4 } }));
  progress = await waitFor("the v3 run", () => getRunProgress(runId), (p) => p?.status !== "running", 60_000).then((p) => p!);
  const { rows } = await (await getPool()).query<{ id: number; source_id: string }>(
    "SELECT s.id, s.source_id FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = 'pool'",
  );
  for (const row of rows) ids.set(row.source_id, row.id);
}, 120_000);

afterAll(async () => {
  await stopBoss();
  await closeDb();
  await ownDatabase.drop();
});

const sample = async (source: string) => (await getSample(ids.get(source)!))!;

describe("a v3 run (the hard-data pool)", () => {
  it("files each sample: rescued by the pool, dropped by it, or never in it", async () => {
    const statuses = Object.fromEntries(await Promise.all(RECORDS.map(async (r) => [r.id, (await sample(r.id)).status])));
    expect(statuses).toEqual({ clean: "passed", rescued: "passed", dropped: "discarded", "base-fail": "discarded" });
    expect(await sample("rescued")).toMatchObject({ statusReason: "hard: candidate 3 of 4 chosen (2 passed)" });
    expect(await sample("dropped")).toMatchObject({ statusReason: "hard: no candidate passed (4 failed a rule)", statusCode: "hard-no-candidate", statusStage: 4 });
    expect((await sample("base-fail")).statusStage).toBe(3);
  });

  it("keeps every candidate as a revision with its verdicts, the chosen one last and the sample's answer", async () => {
    const rescued = await sample("rescued");
    expect(rescued.revisions.map((r) => r.reason.replace(/ after: .*/, ""))).toEqual([
      "Hard pool: candidate 1 of 4 (did not pass)",
      "Hard pool: candidate 2 of 4 (did not pass)",
      "Hard pool: candidate 4 of 4 (passed, not chosen)",
      "Hard pool: candidate 3 of 4 (chosen)",
    ]);
    expect(JSON.stringify(rescued.answer)).not.toContain(FAKE_BAD_ARGUMENT);
    expect(rescued.version).toBe(1 + rescued.revisions.length);
    // The answer as it came (attempt 1), then each candidate in the order kept (attempts 2–5).
    const attempts = [...new Set(rescued.verdicts.map((v) => v.attempt))].sort();
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    const last = rescued.verdicts.filter((v) => v.attempt === 5 && v.memberOf === null);
    expect(last.every((v) => v.outcome === "pass")).toBe(true);
  });

  it("asks the teacher once per pooled sample for K answers at temperature > 0, and counts every token", () => {
    const teacher = llm.requests.filter((r) => r.task === "teacher" && r.status === 200);
    expect(teacher).toHaveLength(2);
    expect(teacher.every((r) => r.body.n === 4 && r.body.temperature === 0.8)).toBe(true);
    const billed = llm.requests.reduce((n, r) => n + (r.usage ? r.usage.prompt_tokens + r.usage.completion_tokens : 0), 0);
    expect(progress.tokens.prompt + progress.tokens.completion).toBe(billed);
  });

  it("shows the pool on the run and in the dashboard's funnel", async () => {
    expect(progress.pool).toEqual({ candidates: 4, temperature: 0.8, entered: 2, rescued: 1, dropped: 1, flagged: 0 });
    expect((await getDashboard(null)).funnel.pool).toEqual({ entered: 2, rescued: 1, dropped: 1, flagged: 0 });
  });

  it("refuses the pool in a rules-only run, and candidates or temperatures out of range", async () => {
    await expect(createRun({ datasetName: "pool", stages: "rules", hardPool: {} })).rejects.toThrow(/the hard-data pool needs a full run/);
    await expect(createRun({ datasetName: "pool", stages: "all", hardPool: { candidates: 1 } })).rejects.toThrow(/at least 2 candidates/);
    await expect(createRun({ datasetName: "pool", stages: "all", hardPool: { temperature: 0 } })).rejects.toThrow(/temperature must be above 0/);
  });

  it("runs from the CLI with --flow v3 --candidates K, and says how the pool went", async () => {
    llm.reset(); // the fake's teacher counts answers per query: the same queries start again
    const cli = ["--import", "tsx", "--conditions=react-server", "lib/cli/main.ts", "run", "--dataset", "pool-cli", "--skip-stage", "0"];
    const { stdout } = await exec(process.execPath, [...cli, "--flow", "v3", "--candidates", "3"], { env: process.env });
    const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(summary).toMatchObject({ command: "run", status: "succeeded", saved: 2, discarded: 2 });
    expect(summary.pool).toEqual({ candidates: 3, temperature: 0.8, entered: 2, rescued: 1, dropped: 1, flagged: 0 });
    // Three candidates: the two bad ones, then the first good one.
    const [id] = (await (await getPool()).query("SELECT s.id FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = 'pool-cli' AND s.source_id = 'rescued'")).rows;
    expect((await getSample(id.id))!.statusReason).toBe("hard: candidate 3 of 3 chosen (1 passed)");
  }, 60_000);
});
