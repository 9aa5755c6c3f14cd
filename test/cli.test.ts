import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { seedDataset } from "./seed";
import { useFakeLlm } from "./fake-llm";
import { runBatchElsewhere, studio, studioWith } from "./studio-cli";
import { fileDir } from "./temp-dir";

const dir = await fileDir("studio-cli-");
// For batch files run "elsewhere" (its chat completions answer each line, as vllm run-batch would); not the CLI's LLM.
const llm = useFakeLlm({ prefixCache: null });
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
    const { rows } = await pool.query<{ id: number }>(
      `UPDATE samples SET status = 'passed', cot = 'The query gives every value the call needs.'
       WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1) RETURNING id`,
      [dataset],
    );
    // A bug elsewhere let a sample whose answer calls an unknown function into the refined set.
    const broken = Math.max(...rows.map((r) => r.id));
    await pool.query(`UPDATE samples SET answer = '[{"name": "no_such_tool", "arguments": {}}]' WHERE id = $1`, [broken]);
    const out = path.join(dir, "refined.jsonl");
    const exported = await studio("export", "--dataset", dataset, "--format", "funreason", "--out", out);
    expect(exported.code).toBe(0);
    expect(exported.summary).toMatchObject({ command: "export", written: 399, withheld: 1, withheldSamples: [{ sampleId: broken }] });
    expect(exported.stderr).toContain(`warning: 1 sample was left out of the export: #${broken} fails stage 2 (rule:tool-names)`);
    const lines = (await readFile(out, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(399);
    expect(JSON.parse(lines[0]).messages[2].content).toMatch(/^<think>The query gives every value the call needs.<\/think>\n\n\[calculate_triangle_area\(/);
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
    expect(badFormat.stderr).toMatch(/--format must be one of funreason, xlam, openai, sharegpt, audit/);
    const badImportFormat = await studio("import", bad, "--dataset", "x", "--format", "csv");
    expect(badImportFormat.stderr).toMatch(/--format must be one of auto, xlam, bfcl, chat, glaive, sharegpt/);

    // A judge panel is named per stage, and must be saved in Settings.
    process.env.STUDIO_LLM_BASE_URL = "http://127.0.0.1:9/v1";
    try {
      const noPanel = await studio("run", "--dataset", "x", "--panel", "4=nobody", "--detach");
      expect(noPanel.code).toBe(1);
      expect(noPanel.stderr).toContain('judgePanels.4: there is no judge panel "nobody" (define it on the Settings page)');
      const badPanel = await studio("run", "--dataset", "x", "--panel", "trio", "--detach");
      expect(badPanel.stderr).toMatch(/--panel takes <stage>=<panel name>, e.g. --panel 4=trio/);
      // The hard-data pool's settings belong to the v3 flow.
      const noFlow = await studio("run", "--dataset", "x", "--candidates", "4", "--detach");
      expect(noFlow.stderr).toContain("--candidates and --temperature are the hard-data pool's: add --flow v3");
      const badFlow = await studio("run", "--dataset", "x", "--flow", "v2", "--detach");
      expect(badFlow.stderr).toContain("--flow must be one of v1, v3");
      const oneCandidate = await studio("run", "--dataset", "x", "--flow", "v3", "--candidates", "1", "--detach");
      expect(oneCandidate.stderr).toContain("the pool needs at least 2 candidates");
      // One judge call for stages 2–4 is a judge mode of the registry, and has no panels.
      const badJudge = await studio("run", "--dataset", "x", "--judge", "both", "--detach");
      expect(badJudge.stderr).toContain("--judge must be per-stage or combined");
      const combinedPanel = await studio("run", "--dataset", "x", "--judge", "combined", "--panel", "4=nobody", "--detach");
      expect(combinedPanel.code).toBe(1);
      expect(combinedPanel.stderr).toContain("judgeMode: one judge call for stages 2–4 cannot have judge panels (stage 4)");
    } finally {
      delete process.env.STUDIO_LLM_BASE_URL;
    }
  });

  it("imports multi-turn ShareGPT (counting further turns), exports ShareGPT with LLaMA-Factory's dataset_info.json entry and FunReason, and both re-import to the same conversations, every turn kept", async () => {
    const dataset = `cli-sharegpt-${process.pid}`;
    const tool = { name: "get_stock_price", description: "Stock price", parameters: { symbol: { type: "str", description: "Symbol" } } };
    const file = path.join(dir, "conversations.jsonl");
    const records = [
      {
        id: "a",
        conversations: [
          { from: "human", value: "AAPL and MSFT?" },
          { from: "function_call", value: '<think>\nTwo symbols, two calls.\n</think>\n\n[{"name": "get_stock_price", "arguments": {"symbol": "AAPL"}}, {"name": "get_stock_price", "arguments": {"symbol": "MSFT"}}]' },
          { from: "observation", value: "190" },
          { from: "gpt", value: "<think>\nOnly one result came back.\n</think>\n\nAAPL is $190; MSFT did not answer." },
          { from: "human", value: "Try MSFT again." },
          { from: "function_call", value: '{"name": "get_stock_price", "arguments": {"symbol": "MSFT"}}' },
          { from: "observation", value: "410" },
          { from: "gpt", value: "MSFT is $410." },
        ],
        tools: JSON.stringify([tool]),
      },
      { id: "b", conversations: [{ from: "human", value: "Hello" }, { from: "gpt", value: "<think>Greet back.</think>\n\nHi!" }], tools: JSON.stringify([tool]) },
    ];
    await writeFile(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const imported = await studio("import", file, "--dataset", dataset);
    expect(imported.summary).toMatchObject({ command: "import", ok: true, format: "sharegpt", inserted: 2, furtherTurns: 1 });

    const out = path.join(dir, "refined.sharegpt.jsonl");
    const exported = await studio("export", "--dataset", dataset, "--format", "sharegpt", "--status", "pending", "--out", out);
    expect(exported.summary).toMatchObject({ command: "export", written: 2, datasetInfo: `${out}.dataset_info.json` });
    expect(JSON.parse(await readFile(`${out}.dataset_info.json`, "utf8"))).toEqual({
      [dataset]: {
        file_name: "refined.sharegpt.jsonl",
        formatting: "sharegpt",
        columns: { messages: "conversations", tools: "tools" },
        tags: { role_tag: "from", content_tag: "value", user_tag: "human", assistant_tag: "gpt", observation_tag: "observation", function_tag: "function_call" },
      },
    });
    const first = JSON.parse((await readFile(out, "utf8")).split("\n")[0]);
    expect(first.conversations.map((turn: { from: string }) => turn.from)).toEqual(records[0].conversations.map((turn) => turn.from));

    const pool = await getPool();
    const stored = async (name: string) =>
      (await pool.query(`SELECT content_hash, cot, follow_up::text, turns FROM samples WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1) ORDER BY id`, [name])).rows;
    const original = await stored(dataset);
    expect(original.map((row) => row.turns)).toEqual([4, 1]);
    for (const format of ["sharegpt", "funreason"]) {
      const file = path.join(dir, `conversations.${format}.jsonl`);
      expect((await studio("export", "--dataset", dataset, "--format", format, "--status", "pending", "--out", file)).summary).toMatchObject({ written: 2 });
      const again = await studio("import", file, "--dataset", `${dataset}-${format}`);
      expect(again.summary).toMatchObject({ ok: true, inserted: 2, furtherTurns: 1 });
      expect(await stored(`${dataset}-${format}`)).toEqual(original);
    }

    const xlam = await studio("export", "--dataset", dataset, "--format", "xlam", "--status", "pending", "--out", path.join(dir, "conversations.xlam.jsonl"));
    expect(xlam.summary).toMatchObject({ written: 1, withheld: 1 });
    expect(xlam.stderr).toContain("is a conversation of 4 assistant turns: an xLAM line holds one exchange");
  });

  it("runs an offline batch run with only a model name: run --mode offline, batch export to a file, batch import of its output", async () => {
    const { name } = await seedDataset([{}, {}], "cli-offline");
    const modelOnly = { STUDIO_LLM_BASE_URL: undefined, STUDIO_LLM_MODEL: "qwen-offline" };
    const nothing = await studioWith({ ...modelOnly, STUDIO_LLM_MODEL: undefined }, "run", "--dataset", name, "--mode", "offline", "--skip-stage", "0");
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("error: a run in mode offline needs the model names its batch files carry: set STUDIO_LLM_MODEL");
    const batch = await studioWith(modelOnly, "run", "--dataset", name, "--mode", "batch", "--skip-stage", "0");
    expect(batch.stderr).toContain("mode batch sends its batches to that endpoint; mode offline needs only a model name");

    const started = await studioWith(modelOnly, "run", "--dataset", name, "--mode", "offline", "--skip-stage", "0");
    expect(started.code).toBe(0);
    const runId = started.summary.runId;
    const out = path.join(dir, `offline-${runId}.jsonl`);
    const exported = await studioWith(modelOnly, "batch", "export", "--run", String(runId), "--stage", "2", "--out", out);
    expect(exported.summary).toMatchObject({ command: "batch export", requests: 2, out });
    const lines = (await readFile(out, "utf8")).trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.map((l) => l.body.model)).toEqual(["qwen-offline", "qwen-offline"]);

    const output = path.join(dir, `offline-${runId}-out.jsonl`);
    await writeFile(output, await runBatchElsewhere(llm.url, await readFile(out, "utf8")));
    const imported = await studioWith(modelOnly, "batch", "import", "--run", String(runId), output);
    expect(imported.summary).toMatchObject({ command: "batch import", applied: 2, failed: 0 });
  });
});
