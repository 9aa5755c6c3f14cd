// Sample writes (issue 15 §5): a run's outcomes written one statement per sample, as before, against several per
// statement, as lib/pipeline/outcome-writer.ts groups those finishing together. Each sample of the bench set gets
// what a full run writes for it: its rule verdicts, three judges' verdicts with tokens, a generated CoT and its
// revision. Four writers at once (a worker's two statements under way, and a second worker's).
import { createReadStream } from "node:fs";
import { getPool } from "@/lib/db/client";
import { readRecords } from "@/lib/formats/records";
import { ruleVerdicts } from "@/lib/pipeline/rule-check";
import type { AttemptVerdict } from "@/lib/pipeline/run";
import { storeOutcomes, type RunSampleOutcome } from "@/lib/pipeline/store";
import { succeedIfFinished } from "@/lib/jobs/pipeline-chunk";
import { createRun } from "@/lib/runs/create-run";
import { toAnswer } from "@/lib/samples/export";
import { importSamples } from "@/lib/samples/import";
import { cpuMeter } from "./cpu";
import type { Report } from "./stats";

const WRITERS = 4;

export async function writesBench(file: string, report: Report) {
  const count = Number(process.env.BENCH_WRITE_SAMPLES) || 5_000;
  for (const perStatement of [1, 8, 32]) {
    const outcomes = await runOutcomes(file, count);
    const cpu = await cpuMeter(undefined);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let at = next; at < outcomes.length; at = next) {
          next += perStatement;
          await storeOutcomes(outcomes[0].runId, outcomes.slice(at, at + perStatement).map((o) => o.outcome));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const used = cpu.read();
    // Every sample is written: the run succeeds, and the chunks it queued are skipped by the next worker (a later
    // section's, or the next bench's pipeline section, whose figure they would otherwise slow down).
    await succeedIfFinished(outcomes[0].runId);
    const perSample = (s: number | null) => (s === null ? "?" : ((1000 * s) / count).toFixed(2));
    report(
      `sample writes, ${perStatement} per statement`,
      `${Math.round(count / seconds)} samples/s (${count} samples, ${WRITERS} writers); CPU per sample: PostgreSQL ${perSample(used.postgres)} ms, studio ${perSample(used.studio)} ms`,
    );
  }
}

/** `count` samples of the set imported as a new dataset and taken into a run, each with what a full run writes. */
async function runOutcomes(file: string, count: number): Promise<{ runId: number; outcome: RunSampleOutcome }[]> {
  const dataset = `bench-writes-${Date.now()}`;
  const lines = (async function* () {
    let n = 0;
    for await (const record of readRecords(createReadStream(file))) {
      if (!record.ok) continue;
      yield `${JSON.stringify(record.value)}\n`;
      if (++n >= count) return;
    }
  })();
  await importSamples({ datasetName: dataset, fileName: "bench.jsonl", format: "xlam", input: lines });
  // Rules only: no LLM needed to create it; its queued chunks find every sample finished when a worker takes them.
  const { runId } = await createRun({ datasetName: dataset, stages: "rules", concurrency: 1 });
  const { rows } = await (await getPool()).query(
    `SELECT s.id, s.version, s.query, s.tools, s.answer_kind, s.answer FROM pipeline_run_samples m JOIN samples s ON s.id = m.sample_id
     WHERE m.run_id = $1 ORDER BY s.id`,
    [runId],
  );
  return Promise.all(
    rows.map(async (row) => {
      const answer = toAnswer(row.answer_kind, row.answer);
      const cot = `The user asks: ${row.query} The tools list has what is needed; the call takes the values the query gives.`;
      const sample = { id: row.id, query: row.query, tools: row.tools, answer, cot };
      const judged: AttemptVerdict[] = [2, 3, 4].map((stage) => ({
        stage: stage as AttemptVerdict["stage"],
        outcome: "pass",
        reason: "The query asks for what the calls do, with the values it names; nothing is missing or invented.",
        evidence: { tools: row.tools.map((t: { name: string }) => t.name), checked: ["names", "values", "types"] },
        decidedBy: "llm:fake-judge",
        attempt: 1,
        promptVersion: `judge.v${stage}`,
        promptTokens: 1800,
        cachedTokens: 1500,
        completionTokens: 60,
        latencyMs: 3,
      }));
      const rules = (await ruleVerdicts(sample)).map((v) => ({ ...v, attempt: 1 }));
      const outcome: RunSampleOutcome = {
        sampleId: row.id,
        version: row.version,
        outcome: {
          result: "passed", reason: "Passed all 5 stages.", sample, verdicts: [...rules, ...judged], regenerations: 0, calls: 4,
          tokens: { prompt: 7300, cached: 6700, completion: 290 },
          revisions: [{ before: { answer, cot: null }, after: { answer, cot }, reason: "Generated a chain of thought (no CoT in the source).", author: "llm:fake-judge" }],
        },
      };
      return { runId, outcome };
    }),
  );
}
