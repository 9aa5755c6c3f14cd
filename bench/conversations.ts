// The conversations section: a generated set of multi-turn conversations (generate-conversations.ts), imported
// against a plain COPY of the same rows, the rule stages over every assistant turn, and the samples table and the
// next-sample step on a database holding the set. Each figure notes the machine's load average when it was taken.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { loadavg } from "node:os";
import path from "node:path";
import { getPool } from "@/lib/db/client";
import type { CopyValue } from "@/lib/db/copy";
import { IMPORT_FORMATS } from "@/lib/formats";
import { assistantTurns } from "@/lib/formats/conversation";
import { readRecords } from "@/lib/formats/records";
import { contentHash } from "@/lib/samples/hash";
import { SAMPLE_COLUMNS, sampleRow } from "@/lib/samples/import";
import type { SampleInput } from "@/lib/samples/types";
import { writeConversationSet } from "./generate-conversations";
import { loadBfclEntries } from "./generate-xlam";
import { importAgainstCopy } from "./import";
import { nextSampleBench } from "./next-sample";
import { timeRuleStages } from "./pipeline";
import { median, secondsSince, type Report } from "./stats";
import { tableBench } from "./table";

const DATASET_PREFIX = "bench-conv-";

export async function conversationsBench(options: { rounds: number; out: string }, report: Report): Promise<void> {
  const count = Number(process.env.BENCH_CONVERSATIONS) || 16_000;
  const figure: Report = (name, value) => report(`conversations: ${name}`, `${value} [load ${loadavg().map((l) => l.toFixed(1)).join(" ")}]`);
  const file = path.join(options.out, `conversations-${count}.jsonl`);
  const started = performance.now();
  const set = await writeConversationSet(await loadBfclEntries(path.resolve("fixtures/bfcl")), count, file);
  figure(
    "generated set (from BFCL fixtures)",
    `${count} conversations, ${((await stat(file)).size / 1e6).toFixed(1)} MB, ${(set.messages / count).toFixed(1)} messages, ` +
      `${(set.assistantTurns / count).toFixed(1)} assistant turns and ${(set.calls / count).toFixed(1)} calls each on average; ` +
      `${set.furtherRequests} with a further user request, ${set.errorToolResponse} flagged error_tool_response; ${secondsSince(started)} s`,
  );

  let samples = await readConversations(file);
  const rows: CopyValue[][] = samples.map((sample) => sampleRow(1, sample, JSON.stringify(sample.tools), contentHash(sample)));
  const dataset = await importAgainstCopy(
    {
      file, expected: count, unit: "conversations", rounds: options.rounds, datasetPrefix: DATASET_PREFIX, rows,
      columns: ["dataset_id", ...SAMPLE_COLUMNS],
    },
    figure,
  );
  rows.length = 0;

  // Each pass over samples read afresh, as a run reads them: a tool's parameters are read once per sample (and
  // then cached on the tool object for its later turns), never carried over from an earlier pass.
  const turns = samples.reduce((n, sample) => n + assistantTurns(sample), 0);
  const passes: { seconds: number; cpuSeconds: number; failed: number }[] = [];
  for (let round = 0; round < options.rounds; round++) {
    if (round > 0) samples = await readConversations(file);
    const cpu = process.cpuUsage();
    const pass = await timeRuleStages(samples);
    const used = process.cpuUsage(cpu);
    passes.push({ ...pass, cpuSeconds: (used.user + used.system) / 1e6 });
  }
  samples = [];
  const seconds = median(passes.map((pass) => pass.seconds));
  const cpuSeconds = median(passes.map((pass) => pass.cpuSeconds));
  figure(
    "rule stages over every turn",
    `${Math.round(turns / seconds)} turns/s, ${Math.round(count / seconds)} conversations/s (${turns} turns in ${seconds.toFixed(2)} s, median of ` +
      `${passes.map((pass) => pass.seconds.toFixed(2)).join(", ")} s; ${Math.round(turns / cpuSeconds)} turns per CPU second; ` +
      `${passes[0].failed} stage failures; target ≥ 20,000 turns/s)`,
  );

  await tableBench(file, figure, count);
  const pool = await getPool();
  const { rows: [{ id }] } = await pool.query<{ id: number }>("SELECT id FROM datasets WHERE name = $1", [dataset]);
  await nextSampleBench(id, figure);
  // The sections after this one (the upload) measure imports into a database without it.
  await pool.query("DELETE FROM datasets WHERE name LIKE $1", [`${DATASET_PREFIX}%`]);
}

/** The conversations as the chat importer reads them. */
async function readConversations(file: string): Promise<SampleInput[]> {
  const samples: SampleInput[] = [];
  for await (const record of readRecords(createReadStream(file))) {
    const sample = record.ok ? IMPORT_FORMATS.chat.fromRecord(record.value, record, {}) : record.error;
    if ("message" in sample) throw new Error(`generated conversation rejected: ${JSON.stringify(sample)}`);
    samples.push(sample);
  }
  return samples;
}
