import { createReadStream } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromRecord, readGroundTruth } from "@/lib/formats/bfcl";
import { readRecords } from "@/lib/formats/records";
import { answerAgrees } from "@/lib/rounds/agreement";
import { askPolicy } from "@/lib/rounds/policy";
import type { SampleInput } from "@/lib/samples/types";
import { createLlmClient } from "./client";
import { readTools, type FakeCall } from "./fake-judge";
import { mistaken, policyAnswer } from "./fake-policy";
import { readPolicyKey } from "./fake-policy-key";
import { parsePolicyAccuracy, startFakeLlm, type FakeLlm } from "./fake-server";

const DIR = "fixtures/bfcl";
let llm: FakeLlm;
let samples: SampleInput[];

async function bfcl(file: string): Promise<SampleInput[]> {
  const { answers } = await readGroundTruth(createReadStream(`${DIR}/possible_answer/${file}`));
  const out: SampleInput[] = [];
  for await (const record of readRecords(createReadStream(`${DIR}/${file}`))) {
    if (record.ok) out.push(fromRecord(record.value, { index: record.index }, { answers }) as SampleInput);
  }
  return out;
}

beforeAll(async () => {
  llm = await startFakeLlm({ policyKey: await readPolicyKey(DIR) });
  samples = [...(await bfcl("BFCL_v4_simple_python.json")), ...(await bfcl("BFCL_v4_parallel_multiple.json"))];
});
afterAll(() => llm.close());

/** Asks the fake (through the studio's client and prompt) for each sample; the share that agrees with the reference. */
async function agreement(model: string, list = samples, sample = 1): Promise<{ share: number; answers: string[] }> {
  const client = createLlmClient({ baseURL: llm.url, model, maxRetries: 0 });
  const answers: string[] = [];
  let agreeing = 0;
  for (const s of list) {
    const result = await askPolicy(client, s.query, s.tools, { temperature: 0.7, sample });
    if (!result.ok) throw new Error(result.message);
    answers.push(JSON.stringify(result.answer));
    if (answerAgrees(s.answer, result.answer, s.tools)?.agrees) agreeing++;
  }
  return { share: agreeing / list.length, answers };
}

describe("the fake LLM as a policy model", () => {
  it("agrees with BFCL's reference on about the share asked for, deterministically, and differently per model", async () => {
    llm.setOptions({ policyAccuracy: parsePolicyAccuracy("0.7,strong=0.95") });
    const a = await agreement("policy-a");
    expect(a.share).toBeGreaterThan(0.62);
    expect(a.share).toBeLessThan(0.78);
    expect((await agreement("policy-a")).answers).toEqual(a.answers);
    const b = await agreement("policy-b");
    expect(b.answers).not.toEqual(a.answers);
    expect((await agreement("strong")).share).toBeGreaterThan(0.9);
  });

  it("gets everything right at 1 and nothing at 0; the N samples of a query differ", async () => {
    llm.setOptions({ policyAccuracy: parsePolicyAccuracy("1") });
    expect((await agreement("m", samples.slice(0, 100))).share).toBe(1);
    llm.setOptions({ policyAccuracy: parsePolicyAccuracy("0") });
    expect((await agreement("m", samples.slice(0, 100))).share).toBe(0);
    llm.setOptions({ policyAccuracy: parsePolicyAccuracy("0.5") });
    const first = await agreement("m", samples.slice(0, 60), 1);
    const second = await agreement("m", samples.slice(0, 60), 2);
    expect(second.answers).not.toEqual(first.answers);
  });

  it("takes a per-request accuracy, scoped to a model, from a directive in the query", async () => {
    llm.setOptions({ policyAccuracy: parsePolicyAccuracy("1") });
    const tagged = samples.slice(0, 30).map((s) => ({ ...s, query: `${s.query} [[fake:policy-accuracy=0@model=weak]]` }));
    // The directive changes the query, so the key no longer knows it: the fake teacher's calls count as right.
    const client = createLlmClient({ baseURL: llm.url, model: "weak", maxRetries: 0 });
    const strongClient = createLlmClient({ baseURL: llm.url, model: "other", maxRetries: 0 });
    for (const s of tagged) {
      const weak = await askPolicy(client, s.query, s.tools, { temperature: 0, sample: 1 });
      const other = await askPolicy(strongClient, s.query, s.tools, { temperature: 0, sample: 1 });
      if (!weak.ok || !other.ok) throw new Error("no answer");
      expect(weak.answer).not.toEqual(other.answer);
    }
  });

  it("never sees the reference: the request holds the query and the tools only", async () => {
    const s = samples[0];
    const client = createLlmClient({ baseURL: llm.url, model: "m", maxRetries: 0 });
    await askPolicy(client, s.query, s.tools, { temperature: 0, sample: 1 });
    const request = JSON.stringify(llm.requests.at(-1)!.body.messages);
    expect(request).toContain("task: policy");
    expect(request).not.toMatch(/reference/i);
  });

  it("makes plausible mistakes: a wrong value, a missing parameter, the wrong tool", () => {
    const s = samples.find((x) => x.tools.length > 1 && x.answer?.kind === "calls")!;
    const right = (s.answer as { calls: FakeCall[] }).calls;
    const tools = readTools(s.tools);
    const reasons = (["wrong-value", "missing-parameter", "wrong-tool"] as const).map((m) => {
      const calls = mistaken(m, right, tools)!;
      return answerAgrees(s.answer, { kind: "calls", calls }, s.tools);
    });
    expect(reasons[0]).toMatchObject({ agrees: false, reason: expect.stringMatching(/where the reference has/) });
    expect(reasons[1]).toMatchObject({ agrees: false, reason: expect.stringMatching(/leaves out|is not in the reference/) });
    expect(reasons[2]).toMatchObject({ agrees: false, reason: expect.stringMatching(/where the reference calls/) });
    // A text reference (no tool fits): right is a text answer, wrong a call of the closest tool.
    const text = policyAnswer({ model: "m", query: "Tell me a joke about the weather", tools, truth: { kind: "text" }, accuracy: 1, sample: 1 });
    expect(text.mistake).toBeNull();
    expect(text.text).toMatch(/<\/think>\n\nI cannot/);
  });
});
