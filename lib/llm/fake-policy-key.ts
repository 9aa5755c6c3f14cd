// The answer key the fake policy model is an oracle for (lib/llm/fake-policy.ts): query → the right answer, read
// from BFCL files and their possible_answer ground truth (the demo's data: fixtures/bfcl). The model's requests
// never carry it; only the fake reads it, to know what "right" is.
import { createReadStream, existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fromRecord, readGroundTruth } from "@/lib/formats/bfcl";
import { readRecords } from "@/lib/formats/records";
import type { FakeCall } from "./fake-judge";
import { policyKeyOf, type PolicyTruth } from "./fake-policy";

/** policyKeyOf(query, tool names) — and policyKeyOf(query, []) — → its right answer, from every `BFCL_v4_*.json` in `dir` (calls where a ground truth says, else text). */
export async function readPolicyKey(dir: string): Promise<Map<string, PolicyTruth>> {
  const key = new Map<string, PolicyTruth>();
  const files = (await readdir(dir)).filter((f) => /^BFCL_v4_.*\.json$/.test(f)).sort();
  for (const file of files) {
    const answersFile = path.join(dir, "possible_answer", file);
    const answers = existsSync(answersFile) ? (await readGroundTruth(createReadStream(answersFile))).answers : undefined;
    for await (const record of readRecords(createReadStream(path.join(dir, file)))) {
      if (!record.ok) continue;
      const sample = fromRecord(record.value, { index: record.index, line: record.line }, { answers });
      if (!("query" in sample)) continue;
      // BFCL's irrelevance categories have no possible_answer: no tool fits, the right answer is text.
      const truth: PolicyTruth = sample.answer?.kind === "calls" ? { kind: "calls", calls: sample.answer.calls as FakeCall[] } : { kind: "text" };
      // By query and tools, and by the query alone for the same query offered other tools (the bench set adds distractors).
      for (const entry of [policyKeyOf(sample.query, sample.tools.map((t) => t.name)), policyKeyOf(sample.query, [])]) if (!key.has(entry)) key.set(entry, truth);
    }
  }
  return key;
}
