// Prompt tokens per sample (issue 15 §2), old prompt layout against the shared-prefix one, without a database or a
// server: the calls a full run makes for each sample (the teacher's CoT, then the judges of stages 2, 3 and 4), built
// with each layout's prompts, counted with the fake LLM's tokenizer and passed in run order through its prefix cache
// (16-token blocks as vLLM, 128 as OpenAI). The CoT the judges see is the fake teacher's, as in a run.
// Then the judge modes (issue 15 §3): the same samples refined by the pipeline (refineSample, no database) through the
// real client against the fake LLM, one judge call per stage and one for stages 2–4, with what the fake billed.
import { createReadStream } from "node:fs";
import { IMPORT_FORMATS } from "@/lib/formats";
import { readRecords } from "@/lib/formats/records";
import { createPrefixCache } from "@/lib/llm/prefix-cache";
import { judgeCotV1, judgeCotV2, judgeQueryToolsV1, judgeQueryToolsV2, judgeValuesV1, judgeValuesV2, teacherCotV1, teacherCotV2, type PromptText } from "@/lib/llm/prompts";
import { sampleBlock } from "@/lib/llm/prompts/shared";
import { chatTokenRuns, countTokens, runsLength } from "@/lib/llm/tokens";
import pLimit from "p-limit";
import { NO_TOKENS, addTokens, createLlmClient } from "@/lib/llm/client";
import { fakeJudgePasses, type FakeCall } from "@/lib/llm/fake-judge";
import { startFakeLlm } from "@/lib/llm/fake-server";
import { JUDGE_MODE_IDS, type JudgeMode } from "@/lib/pipeline/judge-modes";
import { refineSample } from "@/lib/pipeline/run";
import type { ToolCall } from "@/lib/samples/types";
import type { Report } from "./stats";

interface Shown {
  query: string;
  tools: import("@/lib/samples/types").Tool[];
  cot: string;
  calls: ToolCall[];
}

/** The four prompts a full run sends about one sample, in order, in each layout. */
const LAYOUTS: Record<string, (s: Shown) => PromptText[]> = {
  "v1 (pretty tools, per-stage system texts)": (s) => [
    teacherCotV1.build({ query: s.query, tools: s.tools, answer: s.calls }),
    judgeQueryToolsV1.build(s),
    judgeCotV1.build(s),
    judgeValuesV1.build(s),
  ],
  "v2 (shared prefix)": (s) => [teacherCotV2.build({ ...s, cot: null }), judgeQueryToolsV2.build(s), judgeCotV2.build(s), judgeValuesV2.build(s)],
};

export async function tokensBench(file: string, report: Report, count = Number(process.env.BENCH_TOKEN_SAMPLES) || 2000) {
  const samples: Shown[] = [];
  for await (const record of readRecords(createReadStream(file))) {
    if (!record.ok) continue;
    const sample = IMPORT_FORMATS.xlam.fromRecord(record.value, record, {});
    if ("message" in sample || sample.answer?.kind !== "calls") continue;
    // A CoT of a teacher's length (the fake teacher's reasoning: one sentence per call and value).
    const cot = `The user asks: ${sample.query} ${sample.answer.calls.map((c) => `I call ${c.name} with ${Object.keys(c.arguments).join(", ")} from the query.`).join(" ")}`;
    samples.push({ query: sample.query, tools: sample.tools, cot, calls: sample.answer.calls });
    if (samples.length >= count) break;
  }
  const own = samples.reduce((n, s) => n + countTokens(sampleBlock(s)), 0) / samples.length;
  report("sample's own tokens (tools compact, query, CoT, answer)", `${own.toFixed(0)} per sample (${samples.length} samples of the bench set)`);
  for (const [layout, build] of Object.entries(LAYOUTS)) {
    for (const blockTokens of [16, 128]) {
      const cache = createPrefixCache({ blockTokens, capacityBlocks: 200_000 });
      let prompt = 0;
      let cached = 0;
      for (const sample of samples) {
        for (const p of build(sample)) {
          const tokens = chatTokenRuns([{ role: "system", content: p.system }, { role: "user", content: p.user }]);
          prompt += runsLength(tokens);
          cached += cache.lookup(tokens);
        }
      }
      const per = (n: number) => (n / samples.length).toFixed(0);
      report(
        `prompt tokens, ${layout}, ${blockTokens}-token blocks`,
        `${per(prompt)} per sample, ${per(prompt - cached)} uncached = ${((prompt - cached) / samples.length / own).toFixed(2)}× the sample's own (prompt ${(prompt / samples.length / own).toFixed(2)}×; target uncached ≤ 2×)`,
      );
    }
  }
  // The samples the fake judge passes (each through all five stages, as the pipeline section's set), then the whole set
  // (the fake fails some at stage 2 or 4: discards and regenerations, as a real set has).
  const passing = samples.filter((s) => fakeJudgePasses(s.query, s.tools, s.calls as FakeCall[]));
  for (const blockTokens of [16, 128]) await judgeModesBench(passing, `the fake passes, ${blockTokens}-token blocks`, blockTokens, report);
  await judgeModesBench(samples, "whole set, 128-token blocks", 128, report);
}

/**
 * Each judge mode's run over `samples` (their CoT left for the teacher to write, as xLAM's): LLM calls, prompt,
 * uncached and completion tokens per sample as the fake billed them through its prefix cache (`blockTokens`: 16 as
 * vLLM's, 128 as OpenAI's steps), and the uncached tokens against the sample's own (its tools, query, CoT and answer).
 */
async function judgeModesBench(all: Shown[], set: string, blockTokens: number, report: Report, count = Number(process.env.BENCH_TOKEN_RUN_SAMPLES) || 1000) {
  const samples = all.slice(0, count);
  for (const mode of JUDGE_MODE_IDS) {
    const llm = await startFakeLlm({ logLimit: 1, prefixCache: { blockTokens, capacityBlocks: 200_000 } });
    try {
      const client = (model: string) => createLlmClient({ baseURL: llm.url, model, maxRetries: 0 });
      const options = { stages: "all" as const, judge: client("fake-judge"), teacher: client("fake-teacher"), modelFor: () => "fake-judge", maxRegenerations: 3, judgeMode: mode as JudgeMode };
      const tokens = { ...NO_TOKENS };
      let calls = 0;
      let own = 0;
      const limit = pLimit(16);
      await Promise.all(
        samples.map((s) =>
          limit(async () => {
            const out = await refineSample({ query: s.query, tools: s.tools, answer: { kind: "calls", calls: s.calls }, cot: null }, options);
            addTokens(tokens, out.tokens);
            calls += out.calls;
            own += countTokens(sampleBlock({ ...out.sample, calls: out.sample.answer?.kind === "calls" ? out.sample.answer.calls : null }));
          }),
        ),
      );
      const per = (n: number) => (n / samples.length).toFixed(0);
      report(
        `run tokens, ${mode} judging (${set})`,
        `${(calls / samples.length).toFixed(2)} calls/sample; per sample prompt ${per(tokens.prompt)}, uncached ${per(tokens.prompt - tokens.cached)}, completion ${per(tokens.completion)}; uncached ${((tokens.prompt - tokens.cached) / own).toFixed(2)}× the sample's own ${per(own)} (${samples.length} samples)`,
      );
    } finally {
      await llm.close();
    }
  }
}
