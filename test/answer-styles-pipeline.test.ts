// The whole pipeline against judges that answer as real models do (issue 13 §4): for each answer style of the fake
// LLM, and for servers that refuse structured outputs or JSON mode too, a run over the same small xLAM set must file
// every verdict exactly as it does when the judge answers plain JSON — 0 misfiled verdicts. A judge answer with two
// verdicts that disagree, or none, is an `error` (the sample flagged), never a `fail`; the raw answer is kept in the
// verdict's evidence.
import { useOwnDatabase } from "@/test/own-database";
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorker } from "@/lib/jobs/worker";
import { FAKE_STYLES, startFakeLlm, type FakeLlmOptions } from "@/lib/llm/fake-server";
import { createRun } from "@/lib/runs/create-run";
import { getRunProgress } from "@/lib/runs/queries";
import { importSamples } from "@/lib/samples/import";
import { waitFor } from "./run-helpers";
import { setFakeLlmEnv } from "@/test/llm-env";
import { fileDir } from "./temp-dir";

const ownDatabase = await useOwnDatabase("styles");

const TOOLS = [
  {
    name: "get_weather",
    description: "Current weather for a city.",
    parameters: { city: { description: "The city name.", type: "str", default: "" } },
  },
];
const LYON = [{ name: "get_weather", arguments: { city: "Lyon" } }];
const xlam = (id: string, query: string, cot?: string) => ({ id, query, tools: JSON.stringify(TOOLS), answers: JSON.stringify(LYON), ...(cot ? { cot } : {}) });

// Each outcome a judge can give, decided by the fake from the evidence or by a directive.
const RECORDS = [
  xlam("passes", "What is the weather in Lyon?"),
  xlam("cot-generated", "Weather in Lyon today, please."),
  xlam("no-tool-fits", "Book me a table for two in Lyon tonight."),
  xlam("value-not-in-query", "What is the weather like?", "The user wants the weather in Lyon."),
  xlam("cot-judged-bad", "Weather in Lyon? [[fake:fail@judge-cot]]", "Lyon, so get_weather."),
  xlam("conflicting", "Weather in Lyon? [[fake:style=conflicting@judge-values]]", "Lyon, so get_weather."),
  xlam("no-verdict", "Weather in Lyon? [[fake:garbage@judge-values]]", "Lyon, so get_weather."),
];

/** The judges' answer styles, and servers that refuse a response format (the client falls back, through the SDK). */
const MODES: Record<string, Partial<FakeLlmOptions>> = {
  ...Object.fromEntries(FAKE_STYLES.filter((style) => style !== "conflicting").map((style) => [style, { style }])),
  "no json_schema": { refuseFormats: ["json_schema"], style: "fence" },
  "no response_format at all": { refuseFormats: ["json_schema", "json_object"], style: "think" },
};

interface Filed {
  status: string;
  cot: string | null;
  verdicts: { stage: number; attempt: number; outcome: string; decidedBy: string; reason: string | null; judge: unknown }[];
}

let restoreEnv: () => void = () => undefined;
const filed = new Map<string, Map<string, Filed>>();
const requests = new Map<string, { format: string; status: number }[]>();

const dir = await fileDir("studio-styles-");

beforeAll(async () => {
  // Each mode's server is set as the base URL below.
  restoreEnv = setFakeLlmEnv(undefined);
  await startWorker();
  for (const [mode, options] of Object.entries(MODES)) {
    // One sample at a time, so a server's refusal of a format is met once. A server of its own per mode: what the client found out about one server's formats stays with it.
    const llm = await startFakeLlm(options);
    try {
      process.env.STUDIO_LLM_BASE_URL = llm.url;
      const name = `styles-${mode.replace(/\W+/g, "-")}`;
      const file = path.join(dir, `${name}.jsonl`);
      await writeFile(file, RECORDS.map((r) => JSON.stringify(r)).join("\n") + "\n");
      await importSamples({ datasetName: name, fileName: `${name}.jsonl`, input: createReadStream(file) });
      // No regeneration: each judge's first verdict decides, so every one of them is compared.
      const { runId } = await createRun({ datasetName: name, stages: "all", concurrency: 1, maxRegenerations: 0, skipStages: [0] });
      await waitFor(`the ${mode} run`, () => getRunProgress(runId), (p) => p?.status !== "running", 60_000);
      filed.set(mode, await filedOf(runId));
      requests.set(mode, llm.requests.map((r) => ({ format: r.body.response_format?.type ?? "text", status: r.status })));
    } finally {
      await llm.close();
    }
  }
}, 180_000);

afterAll(async () => {
  await stopBoss();
  await closeDb();
  await ownDatabase.drop();
  restoreEnv();
});

async function filedOf(runId: number): Promise<Map<string, Filed>> {
  const pool = await getPool();
  const { rows } = await pool.query<{ source_id: string; status: string; cot: string | null; verdicts: Filed["verdicts"] }>(
    `SELECT s.source_id, s.status::text, s.cot,
       (SELECT json_agg(json_build_object('stage', v.stage, 'attempt', v.attempt, 'outcome', v.outcome, 'decidedBy', v.decided_by,
          'reason', v.reason, 'judge', v.evidence->'judge') ORDER BY v.id) FROM stage_verdicts v WHERE v.sample_id = s.id) AS verdicts
     FROM pipeline_run_samples m JOIN samples s ON s.id = m.sample_id WHERE m.run_id = $1`,
    [runId],
  );
  return new Map(rows.map((r) => [r.source_id, { status: r.status, cot: r.cot, verdicts: r.verdicts }]));
}

/** What must not depend on the style: each verdict's stage, outcome and decider, and the reason of every decision. */
const filing = (f: Filed) => ({
  status: f.status,
  cot: f.cot,
  verdicts: f.verdicts.map((v) => ({ stage: v.stage, attempt: v.attempt, outcome: v.outcome, decidedBy: v.decidedBy, reason: v.outcome === "error" ? "(an error)" : v.reason })),
});

describe("the pipeline against judges answering in each style", () => {
  it("files the plain-JSON run as expected", () => {
    const plain = filed.get("plain")!;
    const statuses = Object.fromEntries([...plain].map(([source, f]) => [source, f.status]));
    expect(statuses).toEqual({
      passes: "passed",
      "cot-generated": "passed",
      "no-tool-fits": "discarded",
      "value-not-in-query": "discarded",
      "cot-judged-bad": "discarded",
      conflicting: "flagged",
      "no-verdict": "flagged",
    });
  });

  it.each(Object.keys(MODES).filter((mode) => mode !== "plain"))("%s: 0 misfiled verdicts (every one as in plain JSON)", (mode) => {
    const plain = filed.get("plain")!;
    const styled = filed.get(mode)!;
    let misfiled = 0;
    for (const [source, want] of plain) {
      const got = styled.get(source)!;
      expect(filing(got), `${mode}: ${source}`).toEqual(filing(want));
      misfiled += got.verdicts.filter((v, i) => v.outcome !== want.verdicts[i]?.outcome).length;
    }
    expect(misfiled).toBe(0);
    // The raw answer, reasoning and prose included, is the judge's evidence.
    const judged = styled.get("passes")!.verdicts.filter((v) => v.decidedBy.startsWith("llm:"));
    expect(judged.length).toBeGreaterThanOrEqual(3);
    if (MODES[mode].style === "think") for (const v of judged) expect(v.judge).toMatch(/^<think>[\s\S]*<\/think>\s*\{"verdict":"pass"/);
    if (MODES[mode].style === "reasoning-field") for (const v of judged) expect(v.judge).toMatch(/^<think>Let me check/);
    if (MODES[mode].style === "fence") for (const v of judged) expect(v.judge).toMatch(/```json\n\{\n {2}"verdict": "pass"/);
  });

  it("a reasoning model's reasoning_content becomes the generated CoT, as the <think> block does", () => {
    const cot = filed.get("reasoning-field")!.get("cot-generated")!.cot;
    expect(cot).toBeTruthy();
    expect(cot).toBe(filed.get("plain")!.get("cot-generated")!.cot);
  });

  it.each(Object.keys(MODES))("%s: two verdicts that disagree, or none, is an error with the raw answer kept, never a fail", (mode) => {
    const styled = filed.get(mode)!;
    for (const source of ["conflicting", "no-verdict"]) {
      const stage4 = styled.get(source)!.verdicts.filter((v) => v.stage === 4 && v.decidedBy.startsWith("llm:"));
      expect(stage4, `${mode}: ${source}`).toEqual([expect.objectContaining({ outcome: "error" })]);
      expect(styled.get(source)!.verdicts.some((v) => v.outcome === "fail")).toBe(false);
    }
    const conflicting = styled.get("conflicting")!.verdicts.find((v) => v.outcome === "error")!;
    expect(conflicting.reason).toMatch(/disagree/);
    expect(conflicting.judge).toMatch(/"verdict":"pass"[\s\S]*"verdict":"fail"/);
    expect(styled.get("no-verdict")!.verdicts.find((v) => v.outcome === "error")!.judge).toMatch(/^Sorry/);
  });

  it("a server refusing structured outputs is asked in JSON mode from then on; one refusing both, in plain text", () => {
    const once = (mode: string) => requests.get(mode)!.filter((r) => r.status === 400);
    expect(once("no json_schema")).toEqual([{ format: "json_schema", status: 400 }]);
    expect(requests.get("no json_schema")!.filter((r) => r.status === 200 && r.format !== "text").every((r) => r.format === "json_object")).toBe(true);
    expect(once("no response_format at all").map((r) => r.format)).toEqual(["json_schema", "json_object"]);
  });
});
