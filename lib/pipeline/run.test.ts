// refineSample, the pipeline for one sample, against the project's fake OpenAI-compatible server over real HTTP
// (no database, nothing mocked). Directives in a sample's query reach every prompt built from it, so each test
// scripts the judge and the teacher through the sample itself: [[fake:fail@judge-cot]], [[fake:teacher-bad]], ...
import { describe, expect, it } from "vitest";
import { createLlmClient, type LlmClientConfig } from "@/lib/llm/client";
import { FAKE_BAD_ARGUMENT, FAKE_TRAILING_TEXT } from "@/lib/llm/fake-server";
import type { Answer, Tool } from "@/lib/samples/types";
import { billedTokens, useFakeLlm } from "@/test/fake-llm";
import { refineSample, type AttemptVerdict, type RefineOptions } from "./run";
import { stageOutcome, type PipelineSample, type StageId } from "./types";

// xLAM-style tool: `units` is optional, `city` required.
const tools: Tool[] = [
  {
    name: "get_weather",
    description: "Current weather for a city.",
    parameters: {
      city: { description: "The city name.", type: "str", default: "" },
      units: { description: "metric or imperial.", type: "str, optional", default: "metric" },
    },
  },
];
const good: Answer = { kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Lyon" } }] };
const unknownArgument: Answer = { kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Lyon", colour: "blue" } }] };
const COT = 'The user wants the weather in Lyon. get_weather takes the city, so I call get_weather(city="Lyon").';

function sample(query: string, answer: Answer | null, cot: string | null = null): PipelineSample {
  return { query, tools, answer, cot };
}

const llm = useFakeLlm({ latencyMs: 0 }, { resetAfterEach: true });

function client(model: string, overrides: Partial<LlmClientConfig>) {
  return createLlmClient({ baseURL: llm.url, model, timeoutMs: 5_000, maxRetries: 0, backoffMs: 1, ...overrides });
}

function fullOptions(overrides: Partial<LlmClientConfig> = {}, maxRegenerations = 3): RefineOptions {
  return {
    stages: "all",
    judge: client("fake-judge", overrides),
    teacher: client("fake-teacher", overrides),
    modelFor: (stage: StageId) => `judge-stage${stage}`,
    maxRegenerations,
  };
}

/** Each stage's outcome (by stageOutcome) on one attempt, for the stages that ran. */
function outcomesOf(verdicts: AttemptVerdict[], attempt = 1): Partial<Record<StageId, string>> {
  const byStage: Partial<Record<StageId, AttemptVerdict[]>> = {};
  for (const v of verdicts.filter((x) => x.attempt === attempt)) (byStage[v.stage] ??= []).push(v);
  return Object.fromEntries(Object.entries(byStage).map(([stage, vs]) => [stage, stageOutcome(vs!)]));
}

describe("refineSample, full pipeline", () => {
  it("generates a CoT for a sample without one (a revision by the teacher), then passes stages 1–5", async () => {
    const out = await refineSample(sample("What is the weather in Lyon?", good), fullOptions());
    expect(out.result).toBe("passed");
    expect(out.regenerations).toBe(0);

    expect(out.revisions).toHaveLength(1);
    const [revision] = out.revisions;
    expect(revision.author).toBe("llm:fake-teacher");
    expect(revision.reason).toMatch(/Generated a chain of thought/);
    expect(revision.before).toEqual({ answer: good, cot: null });
    // The reference answer is kept; the teacher only adds the reasoning.
    expect(revision.after.answer).toEqual(good);
    expect(revision.after.cot).toMatch(/get_weather/);
    expect(revision.after.cot).not.toMatch(/<\/?think>/);
    expect(out.sample).toMatchObject({ answer: good, cot: revision.after.cot });

    expect(outcomesOf(out.verdicts)).toEqual({ 1: "pass", 2: "pass", 3: "pass", 4: "pass", 5: "pass" });
    // Judges on stages 2, 3 and 4, on each stage's model, after the rule of that stage.
    const judged = out.verdicts.filter((v) => v.decidedBy.startsWith("llm:"));
    expect(judged.map((v) => [v.stage, v.decidedBy, v.promptVersion])).toEqual([
      [2, "llm:judge-stage2", "judge-query-tools.v2"],
      [3, "llm:judge-stage3", "judge-cot.v2"],
      [4, "llm:judge-stage4", "judge-values.v2"],
    ]);
    expect(llm.requests.map((r) => r.promptId)).toEqual(["teacher-cot.v2", "judge-query-tools.v2", "judge-cot.v2", "judge-values.v2"]);

    // Tokens: every call's usage summed, the teacher's included.
    const billed = billedTokens(llm.requests);
    expect(billed.prompt).toBeGreaterThan(0);
    expect(out.tokens).toEqual(billed);
    const verdictTokens = judged.reduce((n, v) => n + v.promptTokens!, 0);
    expect(out.tokens.prompt).toBeGreaterThan(verdictTokens); // the teacher's call counts too
  });

  it("saves a plain-text answer as a text sample; stages 2–5 do not run", async () => {
    const text: Answer = { kind: "text", text: "I can only tell you the weather, not book flights." };
    const out = await refineSample(sample("Book me a flight to Lyon.", text, "No tool books flights, so I say so."), fullOptions());
    expect(out.result).toBe("text");
    expect(out.verdicts.map((v) => v.stage)).toEqual([1]);
    expect(out.verdicts[0]).toMatchObject({ outcome: "pass", decidedBy: "rule:classify", evidence: { kind: "text" } });
    expect(out.revisions).toEqual([]);
    expect(llm.requests).toEqual([]);
  });

  it("a sample without a reference answer gets one (and its CoT) from the teacher, then is judged like any other", async () => {
    const out = await refineSample(sample("Weather in Lyon?", null), fullOptions());
    expect(out.result).toBe("passed");
    expect(out.revisions).toHaveLength(1);
    expect(out.revisions[0]).toMatchObject({ before: { answer: null, cot: null }, author: "llm:fake-teacher" });
    expect(out.sample.answer).toMatchObject({ kind: "calls", calls: [{ name: "get_weather" }] });
    expect(outcomesOf(out.verdicts)).toEqual({ 1: "pass", 2: "pass", 3: "pass", 4: "pass", 5: "pass" });
  });

  it("a rules-only run leaves a sample without a reference answer pending, untouched", async () => {
    const out = await refineSample(sample("Weather in Lyon?", null), { ...fullOptions(), stages: "rules" });
    expect(out).toMatchObject({ result: "pending", verdicts: [], revisions: [] });
    expect(llm.requests).toHaveLength(0);
  });

  it("a text sample without a CoT is saved as it is: no CoT is generated for it", async () => {
    const out = await refineSample(sample("Tell me a joke.", { kind: "text", text: "I can only fetch the weather." }), fullOptions());
    expect(out.result).toBe("text");
    expect(out.revisions).toEqual([]);
    expect(out.sample.cot).toBeNull();
    expect(llm.requests).toHaveLength(0);
  });

  it("a text answer that is really a call list is stored as calls (stage 1's rule) and checked by stages 2–5", async () => {
    const asText: Answer = { kind: "text", text: '[get_weather(city="Lyon", colour="blue")]' };
    const out = await refineSample(sample("Weather in Lyon?", asText, COT), fullOptions({}, 0));
    expect(out.verdicts[0]).toMatchObject({ stage: 1, outcome: "pass", decidedBy: "rule:classify", evidence: { kind: "calls" } });
    expect(out.revisions[0]).toMatchObject({ before: { answer: asText }, after: { answer: unknownArgument }, author: "rule:classify" });
    // Checked as calls: the unknown argument fails stage 4 (no regeneration allowed here), instead of every stage skipping.
    expect(outcomesOf(out.verdicts)).toEqual({ 1: "pass", 2: "pass", 3: "pass", 4: "fail" });
    expect(out.result).toBe("discarded");
    expect(out.reason).toMatch(/colour is not a parameter of get_weather/);
  });

  it("[[fake:fail@judge-query-tools]] discards at stage 2 with the judge's reason; stages 3–5 do not run", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:fail@judge-query-tools]]", good, COT), fullOptions());
    expect(out.result).toBe("discarded");
    const judge = out.verdicts.find((v) => v.stage === 2 && v.decidedBy.startsWith("llm:"))!;
    expect(judge.outcome).toBe("fail");
    expect(judge.reason).toMatch(/judge-query-tools.*fails/);
    expect(out.reason).toBe(`Stage 2: ${judge.reason}`);
    expect(Math.max(...out.verdicts.map((v) => v.stage))).toBe(2);
    expect(out.regenerations).toBe(0);
  });

  it("[[fake:fail@judge-cot]] on a sample with a CoT discards at stage 3, without regenerating", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:fail@judge-cot]]", good, COT), fullOptions());
    expect(out.result).toBe("discarded");
    expect(out.reason).toMatch(/^Stage 3: Fake judge \(judge-cot\.v2\)/);
    expect(outcomesOf(out.verdicts)).toEqual({ 1: "pass", 2: "pass", 3: "fail" });
    expect(out.revisions).toEqual([]);
    expect(llm.requests.some((r) => r.task === "teacher")).toBe(false);
  });

  it("regenerates an answer that fails stage 4's rules, re-judges stage 3 on the new answer, then passes", async () => {
    const out = await refineSample(sample("Weather in Lyon?", unknownArgument, COT), fullOptions());
    expect(out.result).toBe("passed");
    expect(out.regenerations).toBe(1);

    const failed = out.verdicts.find((v) => v.stage === 4 && v.attempt === 1)!;
    expect(failed).toMatchObject({ outcome: "fail", decidedBy: "rule:function-params" });
    expect(failed.reason).toMatch(/colour is not a parameter of get_weather/);
    expect(outcomesOf(out.verdicts, 1)).toEqual({ 1: "pass", 2: "pass", 3: "pass", 4: "fail" });
    // Attempt 2: stage 3 is judged again (the CoT came with the new answer), then 4 and 5.
    expect(outcomesOf(out.verdicts, 2)).toEqual({ 3: "pass", 4: "pass", 5: "pass" });
    expect(out.verdicts.filter((v) => v.attempt === 2 && v.stage === 3).map((v) => v.decidedBy)).toEqual(["rule:cot-present", "llm:judge-stage3"]);

    expect(out.revisions).toHaveLength(1);
    const [revision] = out.revisions;
    expect(revision.author).toBe("llm:fake-teacher");
    expect(revision.reason).toContain(`stage 4: ${failed.reason}`);
    expect(revision.before).toEqual({ answer: unknownArgument, cot: COT });
    expect(revision.after.answer).toEqual(out.sample.answer);
    expect(out.sample.answer).toMatchObject({ kind: "calls", calls: [{ name: "get_weather" }] });
    expect(Object.keys((out.sample.answer as Extract<Answer, { kind: "calls" }>).calls[0].arguments)).toEqual(["city"]);

    // The teacher was told why the answer failed, and stage 3's judge saw the new reasoning.
    const regenerate = llm.requests.filter((r) => r.promptId === "regenerate-answer.v3");
    expect(regenerate).toHaveLength(1);
    expect(JSON.stringify(regenerate[0].body.messages)).toContain(JSON.stringify(failed.reason).slice(1, -1));
    const cotJudges = llm.requests.filter((r) => r.promptId === "judge-cot.v2");
    expect(cotJudges).toHaveLength(2);
    expect(JSON.stringify(cotJudges[1].body.messages)).toContain(JSON.stringify(out.sample.cot).slice(1, -1));
    expect(out.tokens).toEqual(billedTokens(llm.requests));
  });

  it("[[fake:teacher-bad]]: discards with 'Regeneration exhausted' after exactly maxRegenerations attempts, each with its verdicts", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:teacher-bad]]", unknownArgument, COT), fullOptions({}, 3));
    expect(out.result).toBe("discarded");
    expect(out.regenerations).toBe(3);
    expect(out.reason).toMatch(/^Regeneration exhausted after 3 attempts: /);
    expect(out.reason).toContain(FAKE_BAD_ARGUMENT);
    expect(llm.requests.filter((r) => r.promptId === "regenerate-answer.v3")).toHaveLength(3);

    expect(out.revisions).toHaveLength(3);
    out.revisions.forEach((r, i) => expect(r.reason).toMatch(new RegExp(`^Regenerated the answer \\(attempt ${i + 2}\\)`)));
    expect(new Set(out.verdicts.map((v) => v.attempt))).toEqual(new Set([1, 2, 3, 4]));
    for (const attempt of [2, 3, 4]) {
      expect(outcomesOf(out.verdicts, attempt)).toEqual({ 3: "pass", 4: "fail" });
      const rule = out.verdicts.find((v) => v.attempt === attempt && v.stage === 4)!;
      expect(rule.reason).toContain(`${FAKE_BAD_ARGUMENT} is not a parameter of get_weather`);
    }
    expect(out.verdicts.some((v) => v.stage === 5)).toBe(false);
  });

  it("[[fake:teacher-fixes-after=2]]: a regeneration that succeeds on the last allowed attempt passes", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:teacher-fixes-after=2]]", unknownArgument, COT), fullOptions({}, 3));
    expect(out.result).toBe("passed");
    expect(out.regenerations).toBe(3);
    expect(outcomesOf(out.verdicts, 4)).toEqual({ 3: "pass", 4: "pass", 5: "pass" });
  });

  it("maxRegenerations 0: a stage 4 failure discards at once, without asking the teacher", async () => {
    const out = await refineSample(sample("Weather in Lyon?", unknownArgument, COT), fullOptions({}, 0));
    expect(out.result).toBe("discarded");
    expect(out.reason).toMatch(/^Regeneration exhausted after 0 attempts: get_weather\(colour=…\)/);
    expect(llm.requests.some((r) => r.task === "teacher")).toBe(false);
  });
});

describe("refineSample, the hard-data pool (v3 flow)", () => {
  const pooled = (k = 4) => ({ ...fullOptions({}, 3), hardPool: { candidates: k, temperature: 0.8 } });
  const teacherRequests = () => llm.requests.filter((r) => r.task === "teacher");

  it("asks the teacher once for K candidates, keeps every one as a revision, and ends at the best that passes", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:teacher-fixes-after=2]]", unknownArgument, COT), pooled());
    expect(out).toMatchObject({ result: "passed", pool: "rescued", regenerations: 0, reason: "hard: candidate 3 of 4 chosen (2 passed)" });
    expect(teacherRequests()).toHaveLength(1);
    expect(teacherRequests()[0].body).toMatchObject({ n: 4, temperature: 0.8 });
    // Candidates in the teacher's order, the chosen one last: the sample ends at it and its verdicts are the latest.
    expect(out.revisions.map((r) => r.reason.replace(/ after: .*/, ""))).toEqual([
      "Hard pool: candidate 1 of 4 (did not pass)",
      "Hard pool: candidate 2 of 4 (did not pass)",
      "Hard pool: candidate 4 of 4 (passed, not chosen)",
      "Hard pool: candidate 3 of 4 (chosen)",
    ]);
    expect(out.revisions.every((r) => r.reason.includes(`stage 4: get_weather(colour=…)`))).toBe(true);
    expect(outcomesOf(out.verdicts, 2)).toEqual({ 3: "pass", 4: "fail" });
    expect(outcomesOf(out.verdicts, 5)).toEqual({ 3: "pass", 4: "pass", 5: "pass" });
    expect(out.sample.answer).toEqual(good);
    expect(out.tokens).toEqual(billedTokens(llm.requests));
  });

  it("drops the sample when no candidate passes a rule, in one teacher request (no regeneration loop after it)", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:teacher-bad]]", unknownArgument, COT), pooled(3));
    expect(out).toMatchObject({ result: "discarded", pool: "dropped", code: "hard-no-candidate", reason: "hard: no candidate passed (3 failed a rule)" });
    expect(teacherRequests()).toHaveLength(1);
    expect(out.revisions).toHaveLength(3);
  });

  it("drops the sample when the judge fails every candidate", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:fail@judge-values]]", unknownArgument, COT), pooled(2));
    expect(out).toMatchObject({ result: "discarded", pool: "dropped", reason: "hard: no candidate passed (2 failed the judge)" });
  });

  it("flags, never discards, when a judge could not answer on a candidate the rules passed", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:500@judge-values]]", unknownArgument, COT), pooled(2));
    expect(out).toMatchObject({ result: "flagged", pool: "flagged", reason: "hard: no candidate passed (2 got no usable verdict)" });
  });

  it("stages 1–3 stay a base check: a stage 3 fail discards the sample as it came, without the pool", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:fail@judge-cot]]", good, COT), pooled());
    expect(out).toMatchObject({ result: "discarded" });
    expect(out.pool).toBeUndefined();
    expect(teacherRequests()).toHaveLength(0);
  });
});

describe("refineSample, a call answer that does not parse (issue 9 §3)", () => {
  // What the chat importer keeps of `<think>COT</think>\n\n[get_weather(city="Lyon")]\nHope this helps!`.
  const malformed: Answer = { kind: "text", text: '[get_weather(city="Lyon")]\nHope this helps!' };
  const problem = "The training text is malformed: text after the call list: 'Hope this helps!'.";

  it("is never saved as text: stage 5 fails it with the problem, and the regenerated answer passes", async () => {
    const out = await refineSample(sample("Weather in Lyon?", malformed, COT), fullOptions());
    expect(out.result).toBe("passed");
    expect(out.regenerations).toBe(1);
    expect(out.verdicts[0]).toMatchObject({ stage: 1, outcome: "pass", evidence: { kind: "calls", parses: false } });
    // Stage 2's judge still answers its question (query and tools); the rules of 2–4 cannot read the calls.
    expect(outcomesOf(out.verdicts, 1)).toEqual({ 1: "pass", 2: "pass", 3: "skip", 4: "skip", 5: "fail" });
    expect(out.verdicts.filter((v) => v.attempt === 1 && v.stage === 2).map((v) => [v.decidedBy, v.outcome])).toEqual([
      ["rule:tool-names", "skip"],
      ["llm:judge-stage2", "pass"],
    ]);
    const stage5 = out.verdicts.find((v) => v.stage === 5 && v.attempt === 1)!;
    expect(stage5.reason).toBe(problem);
    expect(stage5.evidence.text).toBe(`<think>${COT}</think>\n\n${malformed.text}`);
    // The teacher was told what was wrong; the new answer is a call list that passes 3, 4 and 5.
    expect(out.revisions).toHaveLength(1);
    expect(out.revisions[0].reason).toContain(`stage 5: ${problem}`);
    expect(out.sample.answer).toMatchObject({ kind: "calls", calls: [{ name: "get_weather" }] });
    expect(outcomesOf(out.verdicts, 2)).toEqual({ 3: "pass", 4: "pass", 5: "pass" });
  });

  it("[[fake:teacher-malformed]]: a teacher that keeps writing prose after its calls → discarded, regeneration exhausted", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:teacher-malformed]]", malformed, COT), fullOptions({}, 2));
    expect(out.result).toBe("discarded");
    expect(out.code).toBe("regeneration-exhausted");
    expect(out.reason).toBe(`Regeneration exhausted after 2 attempts: The training text is malformed: text after the call list: '${FAKE_TRAILING_TEXT}'.`);
    for (const attempt of [1, 2, 3]) {
      expect(out.verdicts.find((v) => v.attempt === attempt && v.stage === 5)).toMatchObject({ outcome: "fail" });
    }
    expect(out.sample.answer).toMatchObject({ kind: "text" });
  });

  it("without a CoT, a rules-only run leaves it pending with stage 5's problem, not as a text sample", async () => {
    const out = await refineSample(sample("Weather in Lyon?", malformed), { ...fullOptions(), stages: "rules" });
    expect(out.result).toBe("pending");
    expect(out.reason).toBe(`Stage 5: ${problem} (regenerated in a full run)`);
    expect(llm.requests).toEqual([]);
  });

  it("a broken think block with no call at all is not a text sample either", async () => {
    const out = await refineSample(sample("Weather in Lyon?", { kind: "text", text: "Which city?</think>" }, COT), fullOptions({}, 0));
    expect(out.result).toBe("discarded");
    expect(out.reason).toBe("Regeneration exhausted after 0 attempts: The training text is malformed: a stray </think> after the think block.");
  });
});

describe("refineSample, judge and teacher faults never discard", () => {
  it("a judge answering HTTP 500 (no retries) gives an error verdict and a flagged sample", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:500]]", good, COT), fullOptions({ maxRetries: 0 }));
    expect(out.result).toBe("flagged");
    expect(out.verdicts.some((v) => v.outcome === "fail")).toBe(false);
    const error = out.verdicts.find((v) => v.outcome === "error")!;
    expect(error).toMatchObject({ stage: 2, decidedBy: "llm:judge-stage2", evidence: { failure: "server_error", status: 500, attempts: 1 } });
    expect(out.reason).toMatch(/^Stage 2: The judge gave no usable answer \(server_error, 1 attempt\)/);
    expect(llm.requests).toHaveLength(1);
  });

  it("a stage 4 judge error flags the sample instead of regenerating it", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:503@judge-values]]", good, COT), fullOptions({ maxRetries: 0 }));
    expect(out.result).toBe("flagged");
    expect(out.reason).toMatch(/^Stage 4: The judge gave no usable answer/);
    expect(out.regenerations).toBe(0);
    expect(llm.requests.some((r) => r.task === "teacher")).toBe(false);
  });

  it("a teacher failing to generate the CoT flags the sample after stage 1, with no judge verdict", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:500]]", good), fullOptions({ maxRetries: 0 }));
    expect(out.result).toBe("flagged");
    expect(out.reason).toMatch(/^CoT generation failed: server_error after 1 attempt/);
    // Stage 1 (a rule, which does not need the CoT) ran first; nothing after the failed generation did.
    expect(out.verdicts.map((v) => [v.stage, v.decidedBy])).toEqual([[1, "rule:classify"]]);
    expect(out.revisions).toEqual([]);
    expect(out.sample).toMatchObject({ answer: good, cot: null });
  });

  it("persistent [[fake:garbage]] from the judge, retried, is an error and a flagged sample", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:garbage]]", good, COT), fullOptions({ maxRetries: 1 }));
    expect(out.result).toBe("flagged");
    expect(out.verdicts.some((v) => v.outcome === "fail")).toBe(false);
    expect(out.verdicts.at(-1)).toMatchObject({ stage: 2, outcome: "error", evidence: { failure: "unparseable", attempts: 2 } });
    expect(llm.requests).toHaveLength(2);
  });

  it("garbage once per request ([[fake:garbagex1]]) is retried away: the sample passes", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:garbagex1]]", good, COT), fullOptions({ maxRetries: 1 }));
    expect(out.result).toBe("passed");
    // Stages 2, 3, 4: each judge request answered garbage first, then a verdict.
    expect(llm.requests.map((r) => r.outcome)).toEqual(["garbage", "answer", "garbage", "answer", "garbage", "answer"]);
    expect(out.verdicts.filter((v) => v.decidedBy.startsWith("llm:")).map((v) => v.evidence.attempts)).toEqual([2, 2, 2]);
    // The garbage attempts' tokens are counted too.
    expect(out.tokens).toEqual(billedTokens(llm.requests));
  });
});

describe("refineSample, rules only", () => {
  it("never calls an LLM and leaves a sample without CoT pending", async () => {
    const out = await refineSample(sample("Weather in Lyon? [[fake:fail]]", good), {
      stages: "rules",
      judge: null,
      teacher: null,
      modelFor: () => "rules",
      maxRegenerations: 3,
    });
    expect(out.result).toBe("pending");
    expect(out.revisions).toEqual([]);
    expect(out.sample.cot).toBeNull();
    expect(out.verdicts.every((v) => v.decidedBy.startsWith("rule:"))).toBe(true);
    expect(out.tokens).toEqual({ prompt: 0, cached: 0, completion: 0 });
    expect(llm.requests).toEqual([]);
  });

  it("with clients at hand, still never calls them; a stage 4 failure stays pending for a full run", async () => {
    const out = await refineSample(sample("Weather in Lyon?", unknownArgument, COT), { ...fullOptions(), stages: "rules" });
    expect(out.result).toBe("pending");
    expect(out.reason).toMatch(/^Stage 4: get_weather\(colour=…\).*\(regenerated in a full run\)$/);
    expect(out.regenerations).toBe(0);
    expect(llm.requests).toEqual([]);
  });
});

describe("refineSample on a conversation: every assistant turn, with the conversation before it", () => {
  const result = (content: string) => ({ role: "tool" as const, content, name: "get_weather" });
  const conversation = (later: Answer, after: PipelineSample["followUp"] = []): PipelineSample => ({
    ...sample("What is the weather in Lyon?", good, COT),
    followUp: [
      result('{"sky": "clear"}'),
      { role: "assistant", cot: "Report it.", answer: { kind: "text", text: "Clear in Lyon." } },
      { role: "user", content: "And in Oslo?" },
      { role: "assistant", cot: "Now Oslo.", answer: later },
      ...(after ?? []),
    ],
  });
  const rulesOnly: RefineOptions = { stages: "rules", judge: null, teacher: null, modelFor: () => "rules", maxRegenerations: 0 };

  it("a later turn calling a tool that is not offered discards the sample, naming the turn; its verdicts carry it", async () => {
    const out = await refineSample(conversation({ kind: "calls", calls: [{ name: "book_flight", arguments: { to: "Oslo" } }] }), rulesOnly);
    expect(out.result).toBe("discarded");
    expect(out.reason).toMatch(/^Turn 3, stage 2: The answer calls book_flight/);
    const failing = out.verdicts.filter((v) => v.outcome === "fail");
    expect(failing.map((v) => [v.turn, v.stage])).toEqual([[3, 2]]);
    expect(out.verdicts.filter((v) => v.turn === undefined).every((v) => v.outcome !== "fail")).toBe(true);
  });

  it("passes when every turn passes, with verdicts for each turn", async () => {
    const oslo: Answer = { kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Oslo" } }] };
    const out = await refineSample(conversation(oslo), fullOptions());
    expect(out.result).toBe("passed");
    expect(out.reason).toBe("Passed all stages on each of the 3 turns.");
    expect(new Set(out.verdicts.map((v) => v.turn ?? 1))).toEqual(new Set([1, 2, 3]));
    // Turn 3's judges read the conversation before it, earlier tool results included.
    const turn3 = llm.requests.filter((r) => JSON.stringify(r.body.messages).includes("And in Oslo?"));
    expect(turn3.length).toBeGreaterThan(0);
    expect(JSON.stringify(turn3[0].body.messages)).toContain('Tool result (get_weather): {\\"sky\\": \\"clear\\"}');
  });

  it("a later turn whose calls are regenerated ends the conversation there: what followed is cut, and kept on the revision", async () => {
    const after = [result('{"sky": "snow"}'), { role: "assistant" as const, cot: null, answer: { kind: "text" as const, text: "Snow in Oslo." } }];
    const input = conversation(unknownArgument, after);
    const out = await refineSample(input, fullOptions());
    expect(out.result).toBe("passed");
    expect(out.regenerations).toBe(1);
    const regenerated = out.revisions.find((r) => r.turn === 3 && /^Regenerated the answer/.test(r.reason))!;
    expect(regenerated.reason).toMatch(/The 2 messages after turn 3 were removed: they followed calls no longer in the conversation\.$/);
    expect(regenerated.followUp).toEqual({ before: input.followUp, after: input.followUp!.slice(0, 4).map((m, i) => (i === 3 ? out.sample.followUp![3] : m)) });
    expect(out.sample.followUp).toHaveLength(4);
    expect(out.sample.followUp![3]).toMatchObject({ role: "assistant", answer: regenerated.after.answer, cot: regenerated.after.cot });
    expect(out.sample.answer).toEqual(good);
  });
});

describe("refineSample on a conversation, rules only", () => {
  it("stays pending, saying which turn a rule stopped", async () => {
    const out = await refineSample(
      {
        ...sample("What is the weather in Lyon?", good, COT),
        followUp: [{ role: "user", content: "And in blue?" }, { role: "assistant", cot: "Blue.", answer: unknownArgument }],
      },
      { stages: "rules", judge: null, teacher: null, modelFor: () => "rules", maxRegenerations: 0 },
    );
    expect(out.result).toBe("pending");
    expect(out.reason).toMatch(/^Turn 2, stage 4: .*colour.* \(regenerated in a full run\)$/);
  });
});
