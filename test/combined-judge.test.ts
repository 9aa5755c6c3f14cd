// The combined judge (issue 15 §3): a run with one judge call for stages 2–4 reaches the same decisions as a per-stage
// run over the same samples, on the real database against the fake LLM through the real SDK; its verdict rows are
// shaped as per-stage ones (the prompt version excepted); the call's tokens add up per stage and per run; a
// malformed combined answer is retried as a per-stage one is and then an error (the sample flagged, never a fail);
// an answer missing one judge keeps the others' verdicts and errors that one's stage.
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as estimateRoute from "@/app/api/runs/estimate/route";
import type { RunEstimate } from "@/lib/cost/estimate";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorker } from "@/lib/jobs/worker";
import { startFakeLlm, type FakeLlmOptions, type FakeRequestLog } from "@/lib/llm/fake-server";
import { createRun, RunConfigError } from "@/lib/runs/create-run";
import { getRunProgress } from "@/lib/runs/queries";
import { getRunUsage } from "@/lib/runs/usage";
import { importSamples } from "@/lib/samples/import";
import { setFakeLlmEnv } from "./llm-env";
import { useOwnDatabase } from "./own-database";
import { routeContext, studioRequest } from "./route-request";
import { waitFor } from "./run-helpers";
import { fileDir } from "./temp-dir";

vi.mock("@/lib/auth/session", () => ({
  sessionUser: async () => ({ id: "combined-user", email: "combined@test", name: "Combined", role: "admin" }),
}));

const ownDatabase = await useOwnDatabase("combined_judge");

const TOOLS = [{ name: "get_weather", description: "Current weather for a city.", parameters: { city: { description: "The city name.", type: "str", default: "" } } }];
const xlam = (id: string, query: string, calls: unknown[] = [{ name: "get_weather", arguments: { city: "Lyon" } }], cot?: string) => ({
  id,
  query,
  tools: JSON.stringify(TOOLS),
  answers: JSON.stringify(calls),
  ...(cot ? { cot } : {}),
});

// Every path of stages 2–4: each judge passing, failing (from the evidence or a directive), a rule deciding first.
const DECISIONS = [
  xlam("passes", "What is the weather in Lyon?"),
  xlam("cot-generated", "Weather in Lyon today, please."),
  xlam("stage-2-fails", "Book me a table for two in Lyon tonight."),
  xlam("stage-3-fails", "Weather in Lyon? [[fake:fail@judge-cot]]", undefined, "Lyon, so get_weather."),
  // Stage 4's judge fails (Lyon is not in the query): regenerated, judged again by 3 and 4, then exhausted.
  xlam("stage-4-fails", "What is the weather like?", undefined, "The user wants the weather in Lyon."),
  // Stage 4's rule fails (an unknown argument): its judge is not asked; the regenerated answer is judged.
  xlam("stage-4-rule-fails", "What is the weather in Paris?", [{ name: "get_weather", arguments: { city: "Paris", unit: "c" } }], "Paris, so get_weather."),
  // Stage 4's judge fails; the regenerated answer has an unknown argument (the teacher's first answer is bad): stage 3's
  // judge is asked about it, stage 4's rule fails it, and its judge is not asked.
  xlam("stage-4-fails-regenerated-bad", "Weather in Rome? [[fake:fail@judge-values]] [[fake:teacher-fixes-after=1]]", [{ name: "get_weather", arguments: { city: "Rome" } }], "Rome, so get_weather."),
];
// Faults of the combined answer itself.
const FAULTS = [
  xlam("malformed", "Weather in Lyon? [[fake:garbage@judge-combined]]", undefined, "Lyon, so get_weather."),
  xlam("partial", "Weather in Lyon? [[fake:omit@judge-cot]]", undefined, "Lyon, so get_weather."),
  xlam("conflicting", "Weather in Lyon? [[fake:style=conflicting@judge-combined]]", undefined, "Lyon, so get_weather."),
];
// Judges answering as real models do, and servers without structured outputs (the client falls back as per stage).
const STYLES: Record<string, Partial<FakeLlmOptions>> = {
  think: { style: "think" },
  "reasoning-field": { style: "reasoning-field" },
  prose: { style: "prose" },
  "tool-call": { style: "tool-call" },
  "fence, no json_schema": { style: "fence", refuseFormats: ["json_schema"] },
  "think, no response_format at all": { style: "think", refuseFormats: ["json_schema", "json_object"] },
};

interface Row {
  source: string;
  status: string;
  verdicts: {
    stage: number;
    attempt: number;
    outcome: string;
    decidedBy: string;
    reason: string;
    promptVersion: string | null;
    evidence: Record<string, unknown>;
    prompt: number | null;
    cached: number | null;
    completion: number | null;
  }[];
  calls: number;
  tokens: { prompt: number; cached: number; completion: number };
}

let restoreEnv: () => void;
const runs: Record<string, { runId: number; rows: Map<string, Row>; requests: FakeRequestLog[] }> = {};

const dir = await fileDir("studio-combined-");

async function runOver(name: string, records: object[], judgeMode: "per-stage" | "combined", fake: Partial<FakeLlmOptions> = {}) {
  const file = path.join(dir, `${name}.jsonl`);
  await writeFile(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await importSamples({ datasetName: name, fileName: `${name}.jsonl`, input: createReadStream(file) });
  // A fake of its own per run: what it remembers (a teacher's answers per sample, its prefix cache) starts afresh.
  const llm = await startFakeLlm({ logLimit: 10_000, ...fake });
  process.env.STUDIO_LLM_BASE_URL = llm.url;
  const { runId } = await createRun({ datasetName: name, stages: "all", concurrency: 1, maxRegenerations: 1, skipStages: [0], judgeMode });
  await waitFor(`the ${name} run`, () => getRunProgress(runId), (p) => p?.status !== "running", 60_000);
  runs[name] = { runId, rows: await rowsOf(runId), requests: [...llm.requests] };
  await llm.close();
}

async function rowsOf(runId: number): Promise<Map<string, Row>> {
  const pool = await getPool();
  const { rows } = await pool.query<Row & { llm_calls: number; prompt_tokens: number; cached_tokens: number; completion_tokens: number }>(
    `SELECT s.source_id AS source, s.status::text AS status, m.llm_calls, m.prompt_tokens, m.cached_tokens, m.completion_tokens,
       (SELECT json_agg(json_build_object('stage', v.stage, 'attempt', v.attempt, 'outcome', v.outcome, 'decidedBy', v.decided_by,
          'reason', v.reason, 'promptVersion', v.prompt_version, 'evidence', v.evidence, 'prompt', v.prompt_tokens,
          'cached', v.cached_tokens, 'completion', v.completion_tokens) ORDER BY v.id) FROM stage_verdicts v WHERE v.sample_id = s.id) AS verdicts
     FROM pipeline_run_samples m JOIN samples s ON s.id = m.sample_id WHERE m.run_id = $1`,
    [runId],
  );
  return new Map(
    rows.map((r) => [
      r.source,
      { ...r, calls: r.llm_calls, tokens: { prompt: r.prompt_tokens, cached: r.cached_tokens, completion: r.completion_tokens } },
    ]),
  );
}

beforeAll(async () => {
  // One retry: a malformed answer is asked again, as a per-stage judge's is. Each run's fake is set by runOver.
  restoreEnv = setFakeLlmEnv(undefined, { STUDIO_LLM_MAX_RETRIES: "1" });
  await startWorker();
  await runOver("per-stage", DECISIONS, "per-stage");
  await runOver("combined", DECISIONS, "combined");
  await runOver("faults-per-stage", FAULTS, "per-stage");
  await runOver("faults-combined", FAULTS, "combined");
  for (const [style, fake] of Object.entries(STYLES)) await runOver(`combined-${style.replace(/\W+/g, "-")}`, DECISIONS, "combined", fake);
}, 240_000);

afterAll(async () => {
  await stopBoss();
  await closeDb();
  restoreEnv();
  await ownDatabase.drop();
});

/** A verdict as a decision: which stage and attempt, what, by whom and why (a fake reason names its prompt: left out). */
const decision = (v: Row["verdicts"][number]) => ({
  stage: v.stage,
  attempt: v.attempt,
  outcome: v.outcome,
  decidedBy: v.decidedBy,
  reason: v.outcome === "error" ? "(an error)" : v.reason.replace(/\(judge-[a-z-]+(\.v\d+)?\)/, "(judge)"),
});

const llmVerdicts = (row: Row) => row.verdicts.filter((v) => v.decidedBy.startsWith("llm:"));

describe("one judge call for stages 2–4", () => {
  it("reaches the decisions of a per-stage run over the same samples: statuses, stages, outcomes, reasons", () => {
    const perStage = runs["per-stage"].rows;
    const combined = runs.combined.rows;
    expect(Object.fromEntries([...perStage].map(([source, row]) => [source, row.status]))).toEqual({
      passes: "passed",
      "cot-generated": "passed",
      "stage-2-fails": "discarded",
      "stage-3-fails": "discarded",
      "stage-4-fails": "discarded",
      "stage-4-rule-fails": "passed",
      "stage-4-fails-regenerated-bad": "discarded",
    });
    for (const [source, want] of perStage) {
      const got = combined.get(source)!;
      expect(got.status, source).toBe(want.status);
      expect(got.verdicts.map(decision), source).toEqual(want.verdicts.map(decision));
    }
  });

  it("asks once per sample and attempt where the per-stage run asked up to three times", () => {
    const judgeCalls = (name: string) => runs[name].requests.filter((r) => r.task === "judge" && r.status === 200);
    const perStage = judgeCalls("per-stage");
    const combined = judgeCalls("combined");
    expect(combined.every((r) => r.promptId === "judge-combined.v1")).toBe(true);
    expect(perStage.every((r) => r.promptId !== "judge-combined.v1")).toBe(true);
    // passes (3 → 1), cot-generated (3 → 1), stage-2-fails (1 → 1), stage-3-fails (2 → 1), stage-4-fails (3 + 2 → 1 + 1),
    // stage-4-rule-fails (2 + 2 → 1 + 1), stage-4-fails-regenerated-bad (3 + 1 → 1 + 1).
    expect(perStage).toHaveLength(3 + 3 + 1 + 2 + 5 + 4 + 4);
    expect(combined).toHaveLength(1 + 1 + 1 + 1 + 2 + 2 + 2);
  });

  it("asks only the judges whose rules let the sample through, and the regenerated answer again in one call (stages 3 and 4)", () => {
    const asked = (source: string) =>
      runs.combined.requests
        .filter((r) => r.promptId === "judge-combined.v1" && JSON.stringify(r.body).includes(source === "stage-4-rule-fails" ? "Paris" : "Rome"))
        .map((r) => /judges: ([^\\]+?)\\n/.exec(JSON.stringify(r.body))?.[1]);
    // The unknown argument fails stage 4's rule: the first call asks stages 2 and 3 only.
    expect(asked("stage-4-rule-fails")).toEqual(["judge-query-tools, judge-cot", "judge-cot, judge-values"]);
    // The regenerated answer fails stage 4's rule: the second call asks stage 3 only.
    expect(asked("stage-4-fails-regenerated-bad")).toEqual(["judge-query-tools, judge-cot, judge-values", "judge-cot"]);
  });

  it("stores each verdict as its stage's own judge would: the same evidence keys, the combined prompt's version", () => {
    const perStage = llmVerdicts(runs["per-stage"].rows.get("passes")!);
    const combined = llmVerdicts(runs.combined.rows.get("passes")!);
    expect(combined.map((v) => v.stage)).toEqual([2, 3, 4]);
    expect(perStage.map((v) => v.promptVersion)).toEqual(["judge-query-tools.v2", "judge-cot.v2", "judge-values.v2"]);
    expect(combined.map((v) => v.promptVersion)).toEqual(["judge-combined.v1", "judge-combined.v1", "judge-combined.v1"]);
    combined.forEach((v, i) => {
      const { combined: share, ...evidence } = v.evidence;
      expect(Object.keys(evidence).sort()).toEqual(Object.keys(perStage[i].evidence).sort());
      expect(share).toEqual({ asked: [2, 3, 4], sharedBy: 3, countsCall: i === 0 });
      // The stage's own part of the answer is its judge's evidence.
      expect(JSON.parse(v.evidence.judge as string)).toMatchObject({ verdict: "pass", reason: v.reason });
    });
    // Stage 2 failing: the verdicts of 3 and 4 the call also gave are not stored (the sample is discarded at 2).
    expect(llmVerdicts(runs.combined.rows.get("stage-2-fails")!).map((v) => [v.stage, v.outcome])).toEqual([[2, "fail"]]);
  });

  it("splits the call's tokens among the verdicts kept: per sample and per run, the sums are what the server billed", async () => {
    for (const record of DECISIONS) {
      const row = runs.combined.rows.get(record.id)!;
      const asked = runs.combined.requests.filter((r) => r.task === "judge" && r.usage && r.body.messages.some((m) => String(m.content).includes(`<query>\n${record.query}\n</query>`)));
      const billed = (pick: (u: NonNullable<FakeRequestLog["usage"]>) => number) => asked.reduce((n, r) => n + pick(r.usage!), 0);
      const stored = (pick: (v: Row["verdicts"][number]) => number | null) => llmVerdicts(row).reduce((n, v) => n + (pick(v) ?? 0), 0);
      expect(asked.length, record.id).toBeGreaterThan(0);
      expect(stored((v) => v.prompt), record.id).toBe(billed((u) => u.prompt_tokens));
      expect(stored((v) => v.cached), record.id).toBe(billed((u) => u.prompt_tokens_details.cached_tokens));
      expect(stored((v) => v.completion), record.id).toBe(billed((u) => u.completion_tokens));
    }
    const billed = runs.combined.requests.filter((r) => r.usage);
    const usage = await getRunUsage(runs.combined.runId, [], "teacher");
    expect(usage.total.calls).toBe(billed.length);
    expect(usage.total.prompt).toBe(billed.reduce((n, r) => n + r.usage!.prompt_tokens, 0));
    expect(usage.total.completion).toBe(billed.reduce((n, r) => n + r.usage!.completion_tokens, 0));
    // The judges' calls are counted once each (at the first stage a call answered), the teacher's are the rest.
    const judgeCalls = billed.filter((r) => r.task === "judge").length;
    expect(usage.stages.reduce((n, s) => n + s.calls, 0)).toBe(judgeCalls);
    expect(usage.teacher.calls).toBe(billed.length - judgeCalls);
    expect(usage.stages.reduce((n, s) => n + s.prompt, 0) + usage.teacher.prompt).toBe(usage.total.prompt);
  });

  it("a malformed combined answer is retried as a per-stage one is, then an error (the sample flagged, no fail), evidence as per stage", () => {
    const perStage = runs["faults-per-stage"].rows.get("malformed")!;
    const combined = runs["faults-combined"].rows.get("malformed")!;
    expect(combined.status).toBe("flagged");
    expect(combined.verdicts.some((v) => v.outcome === "fail")).toBe(false);
    const [error] = llmVerdicts(combined);
    expect(error).toMatchObject({ stage: 2, outcome: "error", promptVersion: "judge-combined.v1" });
    expect(error.reason).toMatch(/^The judge gave no usable answer \(unparseable, 2 attempts\)/);
    expect(error.evidence).toMatchObject({ failure: "unparseable", attempts: 2, judge: expect.stringMatching(/^Sorry/) });
    // Asked twice (the retry) with the same body.
    const asked = runs["faults-combined"].requests.filter((r) => r.promptId === "judge-combined.v1" && r.directives.includes("garbage@judge-combined"));
    expect(asked.map((r) => r.attempt)).toEqual([1, 2]);
    // The per-stage run's judges are not in the directive's scope: it passes there; a per-stage garbage answer gives
    // the same evidence keys (lib/pipeline/judge.ts verdictOf is the one place both come from).
    expect(perStage.status).toBe("passed");
  });

  it("an answer missing one judge keeps the other verdicts, and that stage is an error, as a per-stage judge that gave none", () => {
    const perStage = runs["faults-per-stage"].rows.get("partial")!;
    const combined = runs["faults-combined"].rows.get("partial")!;
    expect(combined.status).toBe("flagged");
    expect(llmVerdicts(combined).map((v) => [v.stage, v.outcome])).toEqual([
      [2, "pass"],
      [3, "error"],
    ]);
    expect(llmVerdicts(combined)[1].reason).toMatch(/no verdict for judge-cot/);
    expect(combined.verdicts.map(decision)).toEqual(perStage.verdicts.map(decision));
    // Retried once for the missing verdict, as an unparseable answer is.
    expect(runs["faults-combined"].requests.filter((r) => r.directives.includes("omit@judge-cot")).map((r) => r.attempt)).toEqual([1, 2]);
  });

  it("two combined answers whose verdicts disagree are no verdict: an error, never a fail", () => {
    const combined = runs["faults-combined"].rows.get("conflicting")!;
    expect(combined.status).toBe("flagged");
    expect(llmVerdicts(combined).map((v) => [v.stage, v.outcome])).toEqual([[2, "error"]]);
    expect(llmVerdicts(combined)[0].reason).toMatch(/disagree/);
  });

  it("asks for structured outputs with a schema requiring each judge asked", () => {
    const first = runs.combined.requests.find((r) => r.promptId === "judge-combined.v1")!;
    expect(first.body.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: "verdicts", schema: { required: ["judge-query-tools", "judge-cot", "judge-values"] } },
    });
  });

  it.each(Object.keys(STYLES))("a judge answering %s files every verdict as with plain JSON", (style) => {
    const styled = runs[`combined-${style.replace(/\W+/g, "-")}`].rows;
    for (const [source, want] of runs.combined.rows) {
      const got = styled.get(source)!;
      expect({ status: got.status, verdicts: got.verdicts.map(decision) }, `${style}: ${source}`).toEqual({ status: want.status, verdicts: want.verdicts.map(decision) });
    }
  });

  it("is refused with judge panels and in a rules-only run, naming the field", async () => {
    await expect(createRun({ datasetName: "combined", stages: "all", judgeMode: "combined", judgePanels: { "4": "trio" } })).rejects.toThrow(
      new RunConfigError(
        "judgeMode: one judge call for stages 2–4 cannot have judge panels (stage 4): a panel's members vote on one stage each; choose per-stage judging for panels",
      ),
    );
    await expect(createRun({ datasetName: "combined", stages: "rules", judgeMode: "combined" })).rejects.toThrow(/^judgeMode: a rules-only run asks no judge/);
    await expect(createRun({ datasetName: "combined", stages: "all", judgeMode: "both" as never })).rejects.toThrow(/judgeMode must be per-stage or combined/);
  });

  it("the run form's estimate gives both modes: one combined call saves two calls and most prompt tokens a sample", async () => {
    const file = path.join(dir, "estimate.jsonl");
    await writeFile(file, DECISIONS.map((r) => JSON.stringify(r)).join("\n") + "\n");
    await importSamples({ datasetName: "estimate", fileName: "estimate.jsonl", input: createReadStream(file) });
    const estimateOf = async (judgeMode: string): Promise<RunEstimate> => {
      const res = await estimateRoute.GET(studioRequest(`/api/runs/estimate?dataset=estimate&skipStages=0&judgeMode=${judgeMode}`), routeContext());
      expect(res.status).toBe(200);
      return (await res.json()).estimate;
    };
    const combined = await estimateOf("combined");
    const perStage = await estimateOf("per-stage");
    expect(combined.judgeMode).toBe("combined");
    expect(combined.callsPerSample).toBe(combined.modes.combined.callsPerSample);
    expect(perStage.callsPerSample).toBe(perStage.modes["per-stage"].callsPerSample);
    expect(combined.modes).toEqual(perStage.modes);
    // Every sample has a call answer: three judge calls become one.
    expect(perStage.modes["per-stage"].callsPerSample - combined.modes.combined.callsPerSample).toBeCloseTo(2, 10);
    // The shared system text and the sample are sent once instead of three times; the uncached part stays about the same
    // (the sample is paid once either way, the questions are what is left).
    expect(combined.modes.combined.perSample.prompt).toBeLessThan(perStage.modes["per-stage"].perSample.prompt * 0.6);
    const uncached = (m: RunEstimate["modes"]["combined"]) => m.perSample.prompt - m.perSample.cached;
    expect(uncached(combined.modes.combined)).toBeLessThan(uncached(perStage.modes["per-stage"]));
    const bad = await estimateRoute.GET(studioRequest("/api/runs/estimate?dataset=estimate&judgeMode=both"), routeContext());
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/judgeMode must be per-stage or combined/);
  });

  it("the run says how it judged", async () => {
    expect((await getRunProgress(runs.combined.runId))!.judgeMode).toBe("combined");
    expect((await getRunProgress(runs["per-stage"].runId))!.judgeMode).toBe("per-stage");
  });
});
