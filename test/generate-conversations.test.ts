// The bench's conversation set (bench/generate-conversations.ts) is what the bench says it measures: chat records
// the importer takes whole, chains of 2–6 calls each answered by its tool result, every turn passing the rule
// stages, and the same set on every machine.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeConversationSet, type ConversationSetStats } from "@/bench/generate-conversations";
import { loadBfclEntries } from "@/bench/generate-xlam";
import { getPool } from "@/lib/db/client";
import { IMPORT_FORMATS } from "@/lib/formats";
import { readRecords } from "@/lib/formats/records";
import { ruleFailures } from "@/lib/pipeline/rule-check";
import { importSamples } from "@/lib/samples/import";
import type { SampleInput } from "@/lib/samples/types";
import { fileDir } from "./temp-dir";

const COUNT = 80;
const dir = await fileDir("studio-conversations-");
let file: string;
let stats: ConversationSetStats;
let entries: Awaited<ReturnType<typeof loadBfclEntries>>;

beforeAll(async () => {
  file = path.join(dir, "conversations.jsonl");
  entries = await loadBfclEntries(path.resolve("fixtures/bfcl"));
  stats = await writeConversationSet(entries, COUNT, file);
});

async function readSamples(): Promise<SampleInput[]> {
  const samples: SampleInput[] = [];
  for await (const record of readRecords(createReadStream(file))) {
    if (!record.ok) throw new Error(record.error.message);
    const sample = IMPORT_FORMATS.chat.fromRecord(record.value, record, {});
    if ("message" in sample) throw new Error(`record ${record.index}: ${sample.field}: ${sample.message}`);
    samples.push(sample);
  }
  return samples;
}

describe("the generated conversation set", () => {
  it("is imported whole by the chat importer: every record a conversation, its turns counted, none rejected", async () => {
    const dataset = `generated-conversations-${process.pid}`;
    const summary = await importSamples({ datasetName: dataset, fileName: "conversations.jsonl", input: createReadStream(file) });
    expect(summary).toMatchObject({ ok: true, format: "chat", total: COUNT, inserted: COUNT, rejected: 0, duplicates: 0, furtherTurns: COUNT });
    const { rows } = await (await getPool()).query<{ turns: number; min: number; flagged: number }>(
      `SELECT sum(turns)::int AS turns, min(turns)::int AS min, count(*) FILTER (WHERE error_tool_response)::int AS flagged
       FROM samples WHERE dataset_id = (SELECT id FROM datasets WHERE name = $1)`,
      [dataset],
    );
    expect(rows[0]).toMatchObject({ turns: stats.assistantTurns, flagged: stats.errorToolResponse });
    // A call turn, its result and the closing text at the least (two calls may go out together).
    expect(rows[0].min).toBeGreaterThanOrEqual(2);
  });

  it("chains 2–6 calls, each answered by one tool result naming it, and every turn passes the rule stages", async () => {
    const samples = await readSamples();
    expect(samples).toHaveLength(COUNT);
    for (const sample of samples) {
      const answers = [sample.answer, ...(sample.followUp ?? []).flatMap((m) => (m.role === "assistant" ? [m.answer] : []))];
      const callIds = answers.flatMap((answer) => (answer?.kind === "calls" ? answer.calls.map((call) => call.id) : []));
      const resultIds = (sample.followUp ?? []).flatMap((m) => (m.role === "tool" ? [m.callId] : []));
      expect(callIds.length, sample.sourceId!).toBeGreaterThanOrEqual(2);
      expect(callIds.length, sample.sourceId!).toBeLessThanOrEqual(6);
      expect(resultIds, sample.sourceId!).toEqual(callIds);
      expect(new Set(callIds).size).toBe(callIds.length);
      expect(sample.cot, sample.sourceId!).toMatch(/\S/);
      expect(await ruleFailures(sample), sample.sourceId!).toEqual([]);
    }
    // The mix the bench reports: ~8 messages a conversation, some with a further user request.
    expect(stats.messages / COUNT).toBeGreaterThan(6);
    expect(stats.messages / COUNT).toBeLessThan(11);
    expect(stats.furtherRequests).toBeGreaterThan(0);
    expect(samples.filter((s) => s.followUp?.some((m) => m.role === "user")).length).toBe(stats.furtherRequests);
  });

  it("is the same set every time (seeded)", async () => {
    const again = path.join(dir, "again.jsonl");
    await writeConversationSet(entries, COUNT, again);
    expect(await readFile(again, "utf8")).toBe(await readFile(file, "utf8"));
  });
});
