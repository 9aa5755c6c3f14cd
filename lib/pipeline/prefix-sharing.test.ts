// Prompts that share their prefix (issue 15 §2), through the real pipeline and SDK against the fake LLM and its
// simulated prefix cache: every call about a sample (the teacher's CoT, the judges of stages 2, 3 and 4) starts with
// the same system text and the same sample block, so the server's cache serves all but the first call's sample and
// each call's short question: a sample's uncached prompt tokens stay within 2× its own tokens (4.3× before).
import { describe, expect, it } from "vitest";
import { createLlmClient } from "@/lib/llm/client";
import { COMBINED_TASKS, judgeCombinedV1, judgeCotV2, judgeQueryToolsV2, judgeValuesV2, regenerateAnswerV3, teacherCotV2 } from "@/lib/llm/prompts";
import { sampleBlock } from "@/lib/llm/prompts/shared";
import { countTokens } from "@/lib/llm/tokens";
import type { Tool } from "@/lib/samples/types";
import { useFakeLlm } from "@/test/fake-llm";
import { refineSample, type RefineOptions } from "./run";
import { callsOf } from "./stages/common";

const tools: Tool[] = [
  {
    name: "get_weather",
    description: "Current weather for a city, with the temperature in the unit asked for.",
    parameters: {
      city: { description: "The city name, e.g. Lyon.", type: "str", default: "" },
      units: { description: "metric or imperial.", type: "str, optional", default: "metric" },
    },
  },
  {
    name: "get_time",
    description: "The local time in a city.",
    parameters: { city: { description: "The city name.", type: "str", default: "" } },
  },
];
const CITIES = ["Lyon", "Paris", "Rome", "Berlin", "Madrid", "Vienna", "Oslo"];

const llm = useFakeLlm({ logLimit: 1000 });

const client = (model: string) => createLlmClient({ baseURL: llm.url, model, maxRetries: 0 });
const options = (): RefineOptions => ({ stages: "all", judge: client("fake-judge"), teacher: client("fake-teacher"), modelFor: () => "fake-judge", maxRegenerations: 0 });

describe("the prompts' layout", () => {
  const shown = { query: "What is the weather in Lyon?", tools, cot: "Lyon is named: get_weather.", calls: [{ name: "get_weather", arguments: { city: "Lyon" } }] };
  const built = [
    teacherCotV2.build(shown),
    judgeQueryToolsV2.build(shown),
    judgeCotV2.build(shown),
    judgeValuesV2.build(shown),
    regenerateAnswerV3.build({ ...shown, failures: [{ stage: 4, reason: "wrong city" }] }),
    // One call for stages 2–4 (a combined-judge run): the same prefix, then its own short question.
    judgeCombinedV1.build({ ...shown, tasks: COMBINED_TASKS }),
  ];

  it("gives every call about a sample one system text and the sample first, then only a short question", () => {
    const block = sampleBlock(shown);
    for (const prompt of built) {
      expect(prompt.system).toBe(built[0].system);
      expect(prompt.user.startsWith(block)).toBe(true);
      expect(countTokens(prompt.user.slice(block.length))).toBeLessThan(80);
    }
  });

  it("gives every sample of a dataset the same system text, and writes the tools as compact JSON", () => {
    const other = judgeCotV2.build({ ...shown, query: "Time in Oslo?", tools: [tools[1]] });
    expect(other.system).toBe(built[2].system);
    expect(built[2].user).toContain(JSON.stringify(tools));
    expect(built[2].user).not.toContain(JSON.stringify(tools, null, 2).slice(0, 20));
  });
});

describe("a run's prompts through a prefix cache", () => {
  it("bills each sample (after the dataset's first) at most 2× its own tokens uncached, over its four calls", async () => {
    const ratios: number[] = [];
    for (const city of CITIES) {
      llm.requests.length = 0;
      const out = await refineSample({ query: `What is the weather in ${city}?`, tools, answer: { kind: "calls", calls: [{ name: "get_weather", arguments: { city } }] }, cot: null }, options());
      expect(out.result).toBe("passed");
      expect(out.calls).toBe(4); // the CoT, then the judges of stages 2, 3 and 4
      const own = countTokens(sampleBlock({ ...out.sample, calls: callsOf(out.sample) }));
      ratios.push((out.tokens.prompt - out.tokens.cached) / own);
    }
    // The first sample also pays for the shared system text once; every later one finds it cached.
    for (const ratio of ratios.slice(1)) expect(ratio).toBeLessThanOrEqual(2);
  });

  it("with one judge call for stages 2–4: two calls a sample, about half the prompt tokens sent, no more uncached", async () => {
    const run = async (judgeMode: RefineOptions["judgeMode"], city: string) => {
      const out = await refineSample({ query: `What is the weather in ${city}?`, tools, answer: { kind: "calls", calls: [{ name: "get_weather", arguments: { city } }] }, cot: null }, { ...options(), judgeMode });
      expect(out.result).toBe("passed");
      return out;
    };
    // A sample of its own per mode (the cache would otherwise serve the second from the first), after a warm-up.
    await run("per-stage", "Porto");
    const perStage = await run("per-stage", "Lisbon");
    const combined = await run("combined", "Seville");
    expect([perStage.calls, combined.calls]).toEqual([4, 2]);
    expect(combined.tokens.prompt).toBeLessThan(perStage.tokens.prompt * 0.6);
    expect(combined.tokens.prompt - combined.tokens.cached).toBeLessThanOrEqual(perStage.tokens.prompt - perStage.tokens.cached);
  });
});
