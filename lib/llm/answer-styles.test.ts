// Real models' answers (issue 13 §4), through the real openai SDK against the fake server answering in each style:
// the judge's verdict is read whatever the style, a conflicting answer is no verdict (never a fail), the teacher's
// reasoning field becomes its CoT, and a server that refuses structured outputs or JSON mode is asked again in the
// next format down, found out once per server and model.
import { describe, expect, it } from "vitest";
import { createLlmClient } from "./client";
import { FAKE_STYLES, startFakeLlm } from "./fake-server";
import { judgeQueryToolsV1, teacherCotV1, validateTeacherAnswer } from "./prompts";
import type { Tool } from "@/lib/samples/types";
import { useFakeLlm } from "@/test/fake-llm";

const tools: Tool[] = [{ name: "forecast", description: "Daily weather forecast for a city.", parameters: { city: { description: "City name.", type: "str", default: "" } } }];

const llm = useFakeLlm({}, { resetAfterEach: { style: "plain", refuseFormats: [] } });

const client = (url = llm.url, model = "fake-judge") => createLlmClient({ baseURL: url, model, timeoutMs: 2_000, maxRetries: 0, backoffMs: 1 });
const judgeRequest = (query: string) => ({ ...judgeQueryToolsV1.build({ query, tools }), promptVersion: judgeQueryToolsV1.promptVersion });
const READABLE = FAKE_STYLES.filter((style) => style !== "conflicting");

describe("the judge reads each style's verdict", () => {
  it.each(READABLE)("%s (server-wide): pass and fail as forced, the answer kept as received", async (style) => {
    llm.setOptions({ style });
    for (const verdict of ["pass", "fail"] as const) {
      const result = await client().judge(judgeRequest(`Weather in Lyon? [[fake:${verdict}]]`));
      expect(result).toMatchObject({ ok: true, verdict });
      // The raw answer is kept as the model wrote it, reasoning and prose included (the evidence a reviewer reads).
      if (result.ok && style !== "plain" && style !== "tool-call") expect(() => JSON.parse(result.raw)).toThrow();
    }
  });

  it.each(READABLE)("%s (per directive) answers in that style", async (style) => {
    const result = await client().judge(judgeRequest(`Weather in Lyon? [[fake:fail]] [[fake:style=${style}]]`));
    expect(result).toMatchObject({ ok: true, verdict: "fail" });
    const message = (await lastAnswer()).choices[0].message;
    if (style === "tool-call") expect(message).toMatchObject({ content: null, tool_calls: [{ type: "function" }] });
    if (style === "reasoning-field") expect(message.reasoning_content).toBeTruthy();
    if (style === "think") expect(message.content).toMatch(/^<think>/);
    if (style === "fence") expect(message.content).toMatch(/^Here is my assessment\.\n\n```json\n\{/);
    if (style === "prose") expect(message.content).toMatch(/^I checked the sample\. My verdict is \{/);
  });

  it("conflicting: two objects that disagree are no verdict (unparseable, never a fail), the answer kept", async () => {
    const result = await client().judge(judgeRequest("Weather in Lyon? [[fake:fail]] [[fake:style=conflicting]]"));
    expect(result).toMatchObject({ ok: false, kind: "unparseable" });
    if (!result.ok) {
      expect(result.message).toMatch(/disagree/);
      expect(result.raw).toMatch(/"verdict":"fail"[\s\S]*"verdict":"pass"/);
    }
  });

  it("an unknown style is refused, naming it", async () => {
    const result = await client().judge(judgeRequest("Weather? [[fake:style=shouty]]"));
    expect(result).toMatchObject({ ok: false, kind: "rejected", status: 400 });
    expect(() => llm.setOptions({ style: "shouty" as never })).toThrow(/style must be one of/);
  });
});

it("the teacher's reasoning_content becomes its <think> block (the CoT)", async () => {
  llm.setOptions({ style: "reasoning-field" });
  const result = await client(llm.url, "fake-teacher").complete({ ...teacherCotV1.build({ query: "Weather in Lyon?", tools }), promptVersion: teacherCotV1.promptVersion, validate: validateTeacherAnswer });
  const message = (await lastAnswer()).choices[0].message;
  expect(message.content).toMatch(/^\[forecast\(city="Lyon"\)\]$/);
  expect(result).toMatchObject({ ok: true });
  if (result.ok) expect(result.text).toBe(`<think>${message.reasoning_content.trim()}</think>\n\n[forecast(city="Lyon")]`);
});

describe("response formats: structured outputs, then JSON mode, then plain text", () => {
  it("a server refusing json_schema answers 400 as OpenAI does; the client asks again in JSON mode, and remembers", async () => {
    const server = await startFakeLlm({ refuseFormats: ["json_schema"] });
    try {
      const judge = client(server.url);
      expect(judge.responseFormat()).toBe("json_schema");
      expect(await judge.judge(judgeRequest("Weather in Lyon? [[fake:fail]]"))).toMatchObject({ ok: true, verdict: "fail", attempts: 1 });
      expect(server.requests.map((r) => [r.body.response_format?.type, r.status])).toEqual([["json_schema", 400], ["json_object", 200]]);
      expect(judge.responseFormat()).toBe("json_object");
      await judge.judge(judgeRequest("Weather in Paris?"));
      expect(server.requests.slice(2).map((r) => r.body.response_format?.type)).toEqual(["json_object"]);
    } finally {
      await server.close();
    }
  });

  it("a server refusing both gets plain text, and the verdict is read from a reasoning model's prose", async () => {
    const server = await startFakeLlm({ refuseFormats: ["json_schema", "json_object"], style: "think" });
    try {
      const judge = client(server.url);
      expect(await judge.judge(judgeRequest("Weather in Lyon? [[fake:fail]]"))).toMatchObject({ ok: true, verdict: "fail" });
      expect(server.requests.map((r) => [r.body.response_format?.type ?? "text", r.status])).toEqual([["json_schema", 400], ["json_object", 400], ["text", 200]]);
      expect(judge.responseFormat()).toBe("text");
      // Found out per server and model: another model on the same server starts from the top again.
      expect(client(server.url, "other-model").responseFormat()).toBe("json_schema");
    } finally {
      await server.close();
    }
  });
});

/** The fake's last answer as it sent it, asked again with the same body (the fake answers from the request alone). */
async function lastAnswer() {
  const last = llm.requests.at(-1)!;
  const response = await fetch(`${llm.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(last.body) });
  return response.json();
}
