// The client against the real fake server over real HTTP, through the real openai SDK (nothing mocked).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createLlmClient, type LlmClientConfig } from "./client";
import { startFakeLlm, FAKE_BAD_ARGUMENT } from "./fake-server";
import { judgeQueryToolsV1, judgeValuesV1, teacherCotV1, validateTeacherAnswer } from "./prompts";
import type { Tool } from "@/lib/samples/types";
import { billedTokens, useFakeLlm } from "@/test/fake-llm";

const tools: Tool[] = [
  {
    name: "forecast",
    description: "Daily weather forecast for a city.",
    parameters: { city: { description: "City name.", type: "str", default: "" }, days: { type: "int, optional", default: 1 } },
  },
];

const llm = useFakeLlm({}, { resetAfterEach: { latencyMs: 0, retryAfterSeconds: 1, failureRate: 0 } });

/** Short delays everywhere: tests should not wait for production backoffs. */
function client(overrides: Partial<LlmClientConfig> = {}) {
  return createLlmClient({ baseURL: llm.url, model: "fake-judge", timeoutMs: 2_000, maxRetries: 2, backoffMs: 10, ...overrides });
}

/** A stage-2 judge request for a query (directives go in the query, as they would in a sample's text). */
function judgeRequest(query: string) {
  return { ...judgeQueryToolsV1.build({ query, tools }), promptVersion: judgeQueryToolsV1.promptVersion };
}

describe("judge", () => {
  it("passes without a directive, at temperature 0 asking for structured outputs (the verdict schema)", async () => {
    const result = await client().judge(judgeRequest("Weather in Lyon tomorrow?"));
    expect(result).toMatchObject({ ok: true, verdict: "pass", model: "fake-judge", promptVersion: "judge-query-tools.v1", attempts: 1 });
    if (!result.ok) return;
    expect(result.reason).not.toBe("");
    expect(JSON.parse(result.raw)).toMatchObject({ verdict: "pass" });
    expect(result.tokens.prompt).toBeGreaterThan(0);
    expect(result.tokens.completion).toBeGreaterThan(0);
    expect(result.tokens).toEqual(billedTokens(llm.requests));
    expect(llm.requests[0].body).toMatchObject({ temperature: 0, response_format: { type: "json_schema", json_schema: { name: "verdict" } }, model: "fake-judge" });
    expect(llm.requests[0].task).toBe("judge");
  });

  it("fails with a reason on [[fake:fail]]", async () => {
    const result = await client().judge(judgeRequest("Weather in Lyon tomorrow? [[fake:fail]]"));
    expect(result).toMatchObject({ ok: true, verdict: "fail", attempts: 1 });
    if (result.ok) expect(result.reason).toMatch(/fail/);
  });

  it("scopes a directive to one prompt with @", async () => {
    const query = "Weather in Lyon? [[fake:fail@judge-values]]";
    const stage2 = await client().judge(judgeRequest(query));
    const stage4 = await client().judge({
      ...judgeValuesV1.build({ query, tools, calls: [{ name: "forecast", arguments: { city: "Lyon" } }] }),
      promptVersion: judgeValuesV1.promptVersion,
    });
    expect(stage2).toMatchObject({ ok: true, verdict: "pass" });
    expect(stage4).toMatchObject({ ok: true, verdict: "fail", promptVersion: "judge-values.v1" });
  });

  it("uses a per-request model override", async () => {
    const result = await client().judge({ ...judgeRequest("Weather in Lyon?"), model: "stage4-model" });
    expect(result).toMatchObject({ ok: true, model: "stage4-model" });
    expect(llm.requests[0].model).toBe("stage4-model");
  });
});

describe("retries", () => {
  it("retries 429 ×2 honouring Retry-After, then succeeds with attempts = 3", async () => {
    const result = await client({ maxRetries: 3 }).judge(judgeRequest("Weather in Lyon? [[fake:429x2]]"));
    expect(result).toMatchObject({ ok: true, verdict: "pass", attempts: 3 });
    expect(llm.requests.map((r) => r.outcome)).toEqual(["http 429", "http 429", "answer"]);
    // The fake sends Retry-After: 1, so each retry arrives at least 1 s after the 429 (a few ms of clock granularity allowed).
    const gaps = llm.requests.slice(1).map((r, i) => r.receivedAt - llm.requests[i].receivedAt);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(995);
    if (result.ok) expect(result.latencyMs).toBeGreaterThanOrEqual(1_990);
    // Only the answered attempt has usage.
    if (result.ok) expect(result.tokens).toEqual(billedTokens(llm.requests));
  });

  it("gives up at once when Retry-After is longer than allowed", async () => {
    llm.setOptions({ retryAfterSeconds: 30 });
    const result = await client({ maxRetryAfterMs: 1_000 }).judge(judgeRequest("Weather? [[fake:429]]"));
    expect(result).toMatchObject({ ok: false, kind: "rate_limited", attempts: 1, status: 429 });
    if (!result.ok) expect(result.message).toMatch(/30000 ms/);
  });

  it("persistent 429 ends as rate_limited after maxRetries", async () => {
    llm.setOptions({ retryAfterSeconds: 0 });
    const result = await client({ maxRetries: 2 }).judge(judgeRequest("Weather? [[fake:429]]"));
    expect(result).toMatchObject({ ok: false, kind: "rate_limited", attempts: 3 });
  });

  it("persistent 500 ends as server_error after maxRetries, without throwing", async () => {
    const result = await client({ maxRetries: 2 }).judge(judgeRequest("Weather? [[fake:500]]"));
    expect(result).toMatchObject({ ok: false, kind: "server_error", attempts: 3, status: 500, model: "fake-judge", promptVersion: "judge-query-tools.v1" });
    expect(llm.requests).toHaveLength(3);
    if (!result.ok) expect(result.tokens).toEqual({ prompt: 0, cached: 0, completion: 0 });
  });

  it("500 ×1 then success", async () => {
    const result = await client().judge(judgeRequest("Weather? [[fake:500x1]]"));
    expect(result).toMatchObject({ ok: true, attempts: 2 });
  });

  it("a hanging server ends as timeout within the configured timeout", async () => {
    const started = performance.now();
    const result = await client({ timeoutMs: 300, maxRetries: 0 }).judge(judgeRequest("Weather? [[fake:hang]]"));
    const took = performance.now() - started;
    expect(result).toMatchObject({ ok: false, kind: "timeout", attempts: 1 });
    expect(took).toBeGreaterThanOrEqual(295);
    expect(took).toBeLessThan(300 + 500);
  });

  it("retries a timeout: hang ×1 then success", async () => {
    const result = await client({ timeoutMs: 300 }).judge(judgeRequest("Weather? [[fake:hangx1]]"));
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    if (result.ok) expect(result.latencyMs).toBeGreaterThanOrEqual(295);
  });

  it("a slow answer beyond the timeout is a timeout, a slow one within it is fine", async () => {
    const slow = await client({ timeoutMs: 300, maxRetries: 1 }).judge(judgeRequest("Weather? [[fake:slow=1000]]"));
    expect(slow).toMatchObject({ ok: false, kind: "timeout", attempts: 2 });
    const fine = await client({ timeoutMs: 300 }).judge(judgeRequest("Weather? [[fake:slow=50]]"));
    expect(fine).toMatchObject({ ok: true, attempts: 1 });
  });

  it("garbage ×1 then success, with the tokens of both attempts summed", async () => {
    const result = await client().judge(judgeRequest("Weather? [[fake:garbagex1]]"));
    expect(result).toMatchObject({ ok: true, verdict: "pass", attempts: 2 });
    expect(llm.requests.map((r) => r.outcome)).toEqual(["garbage", "answer"]);
    if (!result.ok) return;
    const [first, second] = llm.requests;
    expect(result.tokens).toEqual({
      prompt: first.usage!.prompt_tokens + second.usage!.prompt_tokens,
      // The retry repeats the prompt: the server's cache serves it.
      cached: second.usage!.prompt_tokens_details.cached_tokens,
      completion: first.usage!.completion_tokens + second.usage!.completion_tokens,
    });
    expect(result.tokens.prompt).toBe(2 * first.usage!.prompt_tokens);
  });

  it("persistent garbage ends as unparseable, keeping the raw answer", async () => {
    const result = await client({ maxRetries: 2 }).judge(judgeRequest("Weather? [[fake:garbage]]"));
    expect(result).toMatchObject({ ok: false, kind: "unparseable", attempts: 3 });
    if (result.ok) return;
    expect(result.raw).toMatch(/Sorry/);
    expect(result.message).toMatch(/no JSON object/);
    expect(result.tokens).toEqual(billedTokens(llm.requests));
    expect(result.tokens.completion).toBeGreaterThan(0);
  });

  it("a malformed HTTP body ×1 then success; persistent → unparseable", async () => {
    const once = await client().judge(judgeRequest("Weather? [[fake:badjsonx1]]"));
    expect(once).toMatchObject({ ok: true, attempts: 2 });
    const always = await client({ maxRetries: 1 }).judge(judgeRequest("Weather? [[fake:badjson]]"));
    expect(always).toMatchObject({ ok: false, kind: "unparseable", attempts: 2 });
  });

  it("consumes counted directives in order: 429x1, garbagex1, then an answer", async () => {
    llm.setOptions({ retryAfterSeconds: 0 });
    const result = await client().judge(judgeRequest("Weather? [[fake:429x1]] [[fake:garbagex1]]"));
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(llm.requests.map((r) => r.outcome)).toEqual(["http 429", "garbage", "answer"]);
  });

  it("does not retry a rejected request (401)", async () => {
    const result = await client().judge(judgeRequest("Weather? [[fake:401]]"));
    expect(result).toMatchObject({ ok: false, kind: "rejected", status: 401, attempts: 1 });
  });

  it("never follows a redirect: the attempt fails as rejected and the target gets nothing", async () => {
    const target = await listen((_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
    const redirecting = await listen((_req, res) => res.writeHead(307, { Location: `${target.url}/chat/completions` }).end());
    try {
      const result = await client({ baseURL: redirecting.url, apiKey: "sk-not-for-target" }).judge(judgeRequest("Weather?"));
      expect(result).toMatchObject({ ok: false, kind: "rejected", status: 307, attempts: 1 });
      if (!result.ok) expect(result.message).toMatch(/redirect, which is not followed/);
      expect(redirecting.hits).toBe(1);
      expect(target.hits).toBe(0);
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });

  it("an unreachable server ends as a connection error", async () => {
    const gone = await startFakeLlm();
    await gone.close();
    const result = await createLlmClient({ baseURL: gone.url, model: "m", maxRetries: 1, backoffMs: 10 }).judge(judgeRequest("Weather?"));
    expect(result).toMatchObject({ ok: false, kind: "connection", attempts: 2 });
  });

  it("survives a seeded random failure rate (soak)", async () => {
    llm.setOptions({ failureRate: 0.3, seed: 42, failureKinds: ["500", "429", "garbage", "badjson"], retryAfterSeconds: 0 });
    const c = client({ maxRetries: 8, backoffMs: 1 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => c.judge(judgeRequest(`Weather in city ${i}?`))));
    expect(results.every((r) => r.ok)).toBe(true);
    const failures = llm.requests.filter((r) => r.outcome !== "answer").length;
    expect(failures).toBeGreaterThan(0);
    expect(results.reduce((n, r) => n + r.attempts, 0)).toBe(llm.requests.length);
  });
});

describe("complete (teacher)", () => {
  const teacher = () => client({ model: "fake-teacher" });
  const request = (query: string) => ({
    ...teacherCotV1.build({ query, tools }),
    promptVersion: teacherCotV1.promptVersion,
    validate: validateTeacherAnswer,
  });

  it("answers <think> then a call of the tool with the query's values, at temperature 0 without a JSON format", async () => {
    const result = await teacher().complete(request("Weather in Lyon tomorrow?"));
    expect(result).toMatchObject({ ok: true, attempts: 1, model: "fake-teacher", promptVersion: "teacher-cot.v1" });
    if (!result.ok) return;
    expect(result.text).toMatch(/^<think>\n[\s\S]+\n<\/think>\n\n\[forecast\(city="Lyon"\)\]$/);
    expect(llm.requests[0].body.temperature).toBe(0);
    expect(llm.requests[0].body.response_format).toBeUndefined();
  });

  it("teacher-bad adds an unknown argument", async () => {
    const result = await teacher().complete(request("Weather? [[fake:teacher-bad]]"));
    expect(result.ok && result.text).toContain(`${FAKE_BAD_ARGUMENT}=`);
  });

  it("retries an answer that fails validation (garbage ×1)", async () => {
    const result = await teacher().complete(request("Weather? [[fake:garbagex1]]"));
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    const always = await teacher().complete(request("Weather? [[fake:garbage]]"));
    expect(always).toMatchObject({ ok: false, kind: "unparseable", attempts: 3 });
    if (!always.ok) expect(always.message).toMatch(/<think>/);
  });

  it("asks for n answers in one request and gets them in order, the prompt billed once", async () => {
    const result = await teacher().complete({ ...request("Weather in Lyon? [[fake:teacher-fixes-after=2]]"), n: 4, temperature: 0.8 });
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0].body).toMatchObject({ n: 4, temperature: 0.8 });
    if (!result.ok) throw new Error(result.message);
    expect(result.texts).toHaveLength(4);
    expect(result.texts.map((t) => t.includes(FAKE_BAD_ARGUMENT))).toEqual([true, true, false, false]);
    expect(result.text).toBe(result.texts[0]);
    expect(result.tokens).toEqual(billedTokens(llm.requests));
  });

  it("leaves out the answers that fail validation, and retries only when none is acceptable", async () => {
    const good = "<think>\nLyon.\n</think>\n\n[forecast(city=\"Lyon\")]";
    const answers = [[good, "no think block here", good], ["still nothing", "nothing"]];
    let call = 0;
    const server = await listen((_req, res) => {
      const contents = answers[Math.min(call++, answers.length - 1)];
      const choices = contents.map((content, index) => ({ index, message: { role: "assistant", content }, finish_reason: "stop" }));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "x", object: "chat.completion", model: "m", choices }));
    });
    try {
      const some = await client({ baseURL: server.url, maxRetries: 1 }).complete({ ...request("Weather?"), n: 3 });
      expect(some).toMatchObject({ ok: true, attempts: 1, texts: [good, good] });
      const none = await client({ baseURL: server.url, maxRetries: 1 }).complete({ ...request("Weather?"), n: 2 });
      expect(none).toMatchObject({ ok: false, kind: "unparseable", attempts: 2 });
    } finally {
      await server.close();
    }
  });
});

describe("over the wire", () => {
  it("the timeout covers the body: headers at once and the body too late is a timeout", async () => {
    const server = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.flushHeaders();
      const body = JSON.stringify({ id: "x", object: "chat.completion", model: "m", choices: [{ index: 0, message: { role: "assistant", content: '{"verdict":"pass","reason":"ok"}' }, finish_reason: "stop" }] });
      const later = setTimeout(() => res.end(body), 1_000);
      res.on("close", () => clearTimeout(later));
    });
    try {
      const started = performance.now();
      const result = await client({ baseURL: server.url, timeoutMs: 300, maxRetries: 0 }).judge(judgeRequest("Weather?"));
      expect(result).toMatchObject({ ok: false, kind: "timeout", attempts: 1 });
      expect(performance.now() - started).toBeLessThan(900);
    } finally {
      await server.close();
    }
  });

  it("is the Chat Completions JSON, the system text in ASCII escapes, read back as sent", async () => {
    let contentType: string | undefined;
    let raw = Buffer.alloc(0);
    const server = await listen((req, res) => {
      contentType = req.headers["content-type"];
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        raw = Buffer.concat(chunks);
        const choices = [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }];
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "x", object: "chat.completion", model: "m", choices }));
      });
    });
    try {
      const system = "Name the task (\"task: …\"), then answer — in \u00e9t\u00e9 or 日本語 😀.\n\"quoted\" \\ back";
      await client({ baseURL: server.url, model: "m" }).complete({ system, user: "Weather in Lyon?", promptVersion: "p.v1", temperature: 0.5, seed: 7, n: 2 });
      expect(contentType).toBe("application/json");
      // Every byte ASCII: the system text's characters beyond it travel as \u escapes.
      expect([...raw].every((byte) => byte < 0x80)).toBe(true);
      expect(JSON.parse(raw.toString("utf8"))).toEqual({
        model: "m",
        temperature: 0.5,
        seed: 7,
        messages: [
          { role: "system", content: system },
          { role: "user", content: "Weather in Lyon?" },
        ],
        n: 2,
      });
      // A user text is sent as it is.
      await client({ baseURL: server.url, model: "m" }).complete({ system, user: "Météo à Lyon ?", promptVersion: "p.v1" });
      expect(JSON.parse(raw.toString("utf8")).messages[1].content).toBe("Météo à Lyon ?");
    } finally {
      await server.close();
    }
  });
});

/** A local HTTP server that counts the requests it receives. */
async function listen(handle: http.RequestListener) {
  const counted = { url: "", hits: 0, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  const server = http.createServer((req, res) => {
    counted.hits += 1;
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  counted.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return counted;
}
