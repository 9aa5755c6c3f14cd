// The stages' judge halves against the project's fake OpenAI-compatible server, over real HTTP through the real
// client (nothing mocked). Directives in the query script the judge: [[fake:fail]], [[fake:500]], ...
import { describe, expect, it } from "vitest";
import { createLlmClient, type LlmClientConfig } from "@/lib/llm/client";
import type { Answer, Tool } from "@/lib/samples/types";
import { useFakeLlm } from "@/test/fake-llm";
import { stageOutcome, type PipelineSample, type StageContext, type StageId } from "../types";
import { classifyStage, cotStage, functionParamsStage, isTextSample, queryToolsStage } from ".";

const tools: Tool[] = [
  {
    name: "forecast",
    description: "Daily forecast for a city.",
    parameters: { city: { description: "City name.", type: "str", default: "" }, days: { description: "Days ahead.", type: "int, optional", default: 1 } },
  },
];
const calls: Answer = { kind: "calls", calls: [{ name: "forecast", arguments: { city: "Lyon", days: 1 } }] };

function sample(query: string, answer: Answer | null = calls): PipelineSample {
  return { query, tools, answer, cot: "The user wants tomorrow's forecast for Lyon, so forecast(city='Lyon', days=1)." };
}

const llm = useFakeLlm({}, { resetAfterEach: true });

function context(overrides: Partial<LlmClientConfig> = {}): StageContext {
  const judge = createLlmClient({ baseURL: llm.url, model: "fake-judge", timeoutMs: 2_000, maxRetries: 0, backoffMs: 10, ...overrides });
  return { judge, modelFor: (stage: StageId) => `judge-stage${stage}` };
}

const judgedStages = [
  { stage: queryToolsStage, prompt: "judge-query-tools.v2" },
  { stage: cotStage, prompt: "judge-cot.v2" },
  { stage: functionParamsStage, prompt: "judge-values.v2" },
];

describe("stages 2–4 with a judge", () => {
  it.each(judgedStages)("stage $stage.id: the rule verdict, then the judge's pass with model, prompt, tokens and latency", async ({ stage, prompt }) => {
    const verdicts = await stage.run(sample("Forecast for Lyon tomorrow?"), context());
    expect(verdicts.map((v) => [v.outcome, v.decidedBy])).toEqual([
      ["pass", expect.stringMatching(/^rule:/)],
      ["pass", `llm:judge-stage${stage.id}`],
    ]);
    const judged = verdicts[1];
    expect(judged).toMatchObject({ stage: stage.id, promptVersion: prompt, evidence: { attempts: 1 } });
    expect(judged.reason).toMatch(/passes/);
    expect(JSON.parse(judged.evidence.judge as string)).toMatchObject({ verdict: "pass" });
    expect(judged.promptTokens).toBeGreaterThan(0);
    expect(judged.completionTokens).toBeGreaterThan(0);
    expect(judged.latencyMs).toBeGreaterThanOrEqual(0);
    expect(stageOutcome(verdicts)).toBe("pass");
    expect(llm.requests.map((r) => [r.promptId, r.model])).toEqual([[prompt, `judge-stage${stage.id}`]]);
  });

  it.each(judgedStages)("stage $stage.id: [[fake:fail]] → the judge's fail, with its reason", async ({ stage }) => {
    const verdicts = await stage.run(sample("Forecast for Lyon tomorrow? [[fake:fail]]"), context());
    expect(verdicts.map((v) => v.outcome)).toEqual(["pass", "fail"]);
    expect(verdicts[1].reason).toMatch(/fake:fail/);
    expect(stageOutcome(verdicts)).toBe("fail");
  });

  it.each(judgedStages)("stage $stage.id: [[fake:500]] with no retries → error, never fail", async ({ stage }) => {
    const verdicts = await stage.run(sample("Forecast for Lyon tomorrow? [[fake:500]]"), context());
    expect(verdicts.map((v) => v.outcome)).toEqual(["pass", "error"]);
    expect(verdicts[1].reason).toMatch(/^The judge gave no usable answer \(server_error, 1 attempt\): /);
    expect(verdicts[1].evidence).toMatchObject({ failure: "server_error", status: 500, attempts: 1 });
    expect(stageOutcome(verdicts)).toBe("error");
  });

  it("an unparseable judge answer, retried and still garbage, is an error too", async () => {
    const verdicts = await functionParamsStage.run(sample("Forecast for Lyon? [[fake:garbage]]"), context({ maxRetries: 1 }));
    expect(verdicts[1]).toMatchObject({ outcome: "error", evidence: { failure: "unparseable", attempts: 2 } });
    expect(verdicts[1].reason).toMatch(/\(unparseable, 2 attempts\)/);
    expect(llm.requests).toHaveLength(2);
  });

  it("does not ask the judge when the rule fails", async () => {
    const bad: Answer = { kind: "calls", calls: [{ name: "forecast", arguments: { town: "Lyon" } }] };
    const verdicts = await functionParamsStage.run(sample("Forecast for Lyon?", bad), context());
    expect(verdicts.map((v) => [v.outcome, v.reason])).toEqual([["fail", "forecast(town=…): town is not a parameter of forecast (it takes city, days) (and 1 more problem)"]]);
    expect((await queryToolsStage.run(sample("q", { kind: "calls", calls: [{ name: "nope", arguments: {} }] }), context())).map((v) => v.outcome)).toEqual(["fail"]);
    expect((await cotStage.run({ ...sample("q"), cot: "" }, context())).map((v) => v.outcome)).toEqual(["fail"]);
    expect(llm.requests).toHaveLength(0);
  });

  it("stops before asking when the run is aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("run cancelled"));
    await expect(queryToolsStage.run(sample("q"), { ...context(), signal: controller.signal })).rejects.toThrow("run cancelled");
    expect(llm.requests).toHaveLength(0);
  });
});

describe("stage 1 with a judge", () => {
  it("never asks about clear answers", async () => {
    expect((await classifyStage.run(sample("q"), context())).map((v) => v.decidedBy)).toEqual(["rule:classify"]);
    expect(isTextSample(await classifyStage.run(sample("q", { kind: "text", text: "Which city?" }), context()))).toBe(true);
    expect(llm.requests).toHaveLength(0);
  });

  it("judge pass on an empty call list → a call sample; a text answer that parses as calls is the rule's to read", async () => {
    const verdicts = await classifyStage.run(sample("Forecast for Lyon?", { kind: "calls", calls: [] }), context());
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({
      stage: 1,
      outcome: "pass",
      decidedBy: "llm:judge-stage1",
      promptVersion: "judge-classify.v1",
      evidence: { kind: "calls", why: "the answer is an empty call list" },
    });
    expect(isTextSample(verdicts)).toBe(false);
    expect(llm.requests).toHaveLength(1);

    const asText = await classifyStage.run(sample("Forecast for Lyon?", { kind: "text", text: "[forecast(city='Lyon')]" }), context());
    expect(asText).toMatchObject([{ decidedBy: "rule:classify", evidence: { kind: "calls", calls: [{ name: "forecast", arguments: { city: "Lyon" } }] } }]);
    expect(llm.requests).toHaveLength(1);
  });

  it("judge fail (= plain text) on an empty call list → a text sample, still a pass", async () => {
    const verdicts = await classifyStage.run(sample("Forecast for Lyon? [[fake:fail]]", { kind: "calls", calls: [] }), context());
    expect(verdicts[0]).toMatchObject({ outcome: "pass", evidence: { kind: "text", why: "the answer is an empty call list" } });
    expect(isTextSample(verdicts)).toBe(true);
  });

  it("judge error → error, never a classification", async () => {
    const verdicts = await classifyStage.run(sample("Forecast? [[fake:500]]", { kind: "calls", calls: [] }), context());
    expect(verdicts[0]).toMatchObject({ outcome: "error", evidence: { failure: "server_error" } });
    expect(stageOutcome(verdicts)).toBe("error");
    expect(isTextSample(verdicts)).toBe(false);
  });
});
