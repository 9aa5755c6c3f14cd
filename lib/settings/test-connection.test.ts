// "Test connection" against real HTTP servers: the project's fake LLM, and a strict one that checks the key and
// echoes it back on refusal (as some real servers do) so we can see it never reaches the result.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLlmConfig } from "@/lib/llm/config";
import { startFakeLlm } from "@/lib/llm/fake-server";
import { useFakeLlm } from "@/test/fake-llm";
import { parseSettingsUpdate, readSavedSettings, type ParsedUpdate } from "./llm-settings";
import { previewConfig, testConnection } from "./test-connection";

const KEY = "sk-strict-server-key-77";
const fake = useFakeLlm();
let strict: http.Server;
let strictUrl: string;

beforeAll(async () => {
  strict = http.createServer((req, res) => {
    const sent = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    res.setHeader("Content-Type", "application/json");
    if (sent !== KEY) {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${sent}` } }));
    } else res.end(JSON.stringify({ object: "list", data: [{ id: "strict-judge" }] }));
  });
  await new Promise<void>((resolve) => strict.listen(0, "127.0.0.1", resolve));
  strictUrl = `http://127.0.0.1:${(strict.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await new Promise((resolve) => strict.close(resolve));
});

function update(input: object): Extract<ParsedUpdate, { ok: true }> {
  const parsed = parseSettingsUpdate(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed;
}

describe("testConnection", () => {
  it("finds out the judge model's response format: structured outputs, else JSON mode, else plain text", async () => {
    const found: string[] = [];
    for (const refuseFormats of [[], ["json_schema"], ["json_schema", "json_object"]] as const) {
      const server = await startFakeLlm({ refuseFormats: [...refuseFormats] });
      try {
        const result = await testConnection(() => loadLlmConfig({ STUDIO_LLM_BASE_URL: server.url, STUDIO_LLM_MODEL: "fake-judge" }));
        if (!result.ok || !result.responseFormat.mode) throw new Error(JSON.stringify(result));
        found.push(result.responseFormat.label);
      } finally {
        await server.close();
      }
    }
    expect(found).toEqual(["structured outputs (json_schema)", "JSON mode (json_object)", "plain text (the verdict read from the answer)"]);
  });

  it("says why the format is not known when the judge model gives no verdict, without the server's words", async () => {
    const server = await startFakeLlm({ failureRate: 1, failureKinds: ["garbage"] });
    try {
      const answered = await testConnection(() => loadLlmConfig({ STUDIO_LLM_BASE_URL: server.url, STUDIO_LLM_MODEL: "fake-judge" }));
      expect(answered).toMatchObject({ ok: true, responseFormat: { mode: null, problem: "the judge model fake-judge gave no verdict to a test request (unparseable)" } });
    } finally {
      await server.close();
    }
  });

  it("lists the served models and says which configured ones are missing", async () => {
    const config = () => loadLlmConfig({ STUDIO_LLM_BASE_URL: fake.url, STUDIO_LLM_MODEL: "fake-judge", STUDIO_LLM_TEACHER_MODEL: "big-teacher" });
    const result = await testConnection(config);
    expect(result).toMatchObject({ ok: true, url: `${fake.url}/models`, served: 2, missing: ["big-teacher"] });
  });

  it("sends the key as typed in the form, and never returns it even when the server echoes it", async () => {
    const env = { STUDIO_LLM_BASE_URL: strictUrl, STUDIO_LLM_MODEL: "strict-judge" };
    const good = await testConnection(() => previewConfig({}, update({ apiKey: KEY }), env));
    expect(good).toMatchObject({ ok: true, served: 1, missing: [] });

    const wrongKey = `${KEY}-wrong`;
    const refused = await testConnection(() => previewConfig({ apiKey: wrongKey }, update({}), env));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.message).toBe("HTTP 401 (check the API key)");
    expect(JSON.stringify(refused)).not.toContain(wrongKey);
  });

  it("sends the saved key only to the base URL it was saved with; a new URL gets the key typed with it, or none", async () => {
    const recorder = await startRecorder();
    try {
      const saved = readSavedSettings({ baseURL: strictUrl, apiKey: KEY, model: "strict-judge" });
      const elsewhere = await testConnection(() => previewConfig(saved, update({ baseURL: `${recorder.url}/anything` }), {}));
      expect(elsewhere).toMatchObject({ ok: false, message: "HTTP 401 (check the API key)" });
      expect(recorder.received).toHaveLength(1);
      expect(recorder.received[0].authorization).toBeUndefined();

      const typed = await testConnection(() => previewConfig(saved, update({ baseURL: recorder.url, apiKey: "sk-typed-now" }), {}));
      expect(typed.ok).toBe(false);
      expect(recorder.received[1].authorization).toBe("Bearer sk-typed-now");

      // The environment's key stays with the environment's URL.
      const env = { STUDIO_LLM_BASE_URL: strictUrl, STUDIO_LLM_MODEL: "strict-judge", STUDIO_LLM_API_KEY: KEY };
      await testConnection(() => previewConfig({}, update({ baseURL: recorder.url }), env));
      expect(recorder.received[2].authorization).toBeUndefined();
      expect(JSON.stringify(recorder.received)).not.toContain(KEY);
    } finally {
      await recorder.close();
    }
  });

  it("returns the status and a fixed message, never what the server answered", async () => {
    const recorder = await startRecorder();
    try {
      const env = { STUDIO_LLM_BASE_URL: recorder.url, STUDIO_LLM_MODEL: "m", STUDIO_LLM_API_KEY: "sk-echoed-key" };
      const refused = await testConnection(() => loadLlmConfig(env));
      expect(refused).toEqual({ ok: false, url: `${recorder.url}/models`, message: "HTTP 401 (check the API key)" });

      recorder.answer = { status: 200, body: JSON.stringify({ data: [{ id: "internal-secret-model" }, { id: "m" }] }) };
      const listed = await testConnection(() => loadLlmConfig(env));
      expect(listed).toMatchObject({ ok: true, served: 2, missing: [] });
      expect(JSON.stringify(listed)).not.toContain("internal-secret-model");

      recorder.answer = { status: 500, body: "database password is hunter2" };
      const failed = await testConnection(() => loadLlmConfig(env));
      expect(failed).toEqual({ ok: false, url: `${recorder.url}/models`, message: "HTTP 500 (the server refused the request)" });
    } finally {
      await recorder.close();
    }
  });

  it("follows no redirect and asks only hosts STUDIO_LLM_ALLOWED_HOSTS allows", async () => {
    const target = await startRecorder();
    const redirecting = await startRecorder();
    try {
      redirecting.answer = { status: 302, body: "moved", location: `${target.url}/models` };
      const env = { STUDIO_LLM_BASE_URL: redirecting.url, STUDIO_LLM_MODEL: "m", STUDIO_LLM_API_KEY: "sk-stays-home" };
      const redirected = await testConnection(() => loadLlmConfig(env));
      expect(redirected).toEqual({ ok: false, url: `${redirecting.url}/models`, message: expect.stringMatching(/^HTTP 302 \(the server answered with a redirect, which is not followed/) });
      expect(redirecting.received).toHaveLength(1);
      expect(target.received).toHaveLength(0);

      const pinned = { ...env, STUDIO_LLM_BASE_URL: target.url, STUDIO_LLM_ALLOWED_HOSTS: "llm.internal, 10.0.0.5:8000" };
      const refused = await testConnection(() => previewConfig({}, update({}), pinned));
      expect(refused).toMatchObject({ ok: false, url: null, message: expect.stringMatching(/STUDIO_LLM_BASE_URL points at 127\.0\.0\.1:\d+, which is not in STUDIO_LLM_ALLOWED_HOSTS/) });
      const port = new URL(target.url).port;
      const allowed = await testConnection(() => previewConfig({}, update({}), { ...pinned, STUDIO_LLM_ALLOWED_HOSTS: `llm.internal,127.0.0.1:${port}` }));
      expect(allowed).toMatchObject({ ok: false, message: "HTTP 401 (check the API key)" });
      expect(target.received).toHaveLength(1);
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });

  it("explains an unreachable server, a wrong path and incomplete settings", async () => {
    const closedPort = await freePort();
    const closed = await testConnection(() => loadLlmConfig({ STUDIO_LLM_BASE_URL: `http://127.0.0.1:${closedPort}/v1`, STUDIO_LLM_MODEL: "m" }));
    expect(closed).toMatchObject({ ok: false, message: expect.stringMatching(/^cannot reach the server \(ECONNREFUSED\)/) });

    const wrongPath = await testConnection(() => loadLlmConfig({ STUDIO_LLM_BASE_URL: fake.url.replace(/\/v1$/, "/nope"), STUDIO_LLM_MODEL: "m" }));
    expect(wrongPath).toMatchObject({ ok: false, message: expect.stringMatching(/^HTTP 404 \(check the base URL/) });

    const incomplete = await testConnection(() => previewConfig({}, update({ model: "m" }), {}));
    expect(incomplete).toMatchObject({ ok: false, url: null, message: expect.stringMatching(/STUDIO_LLM_BASE_URL is not set/) });
  });
});

interface Recorder {
  url: string;
  /** What each request carried. */
  received: Array<{ method?: string; url?: string; authorization?: string }>;
  /** What the next requests get: by default a 401 that echoes the Authorization header back, base64-encoded. */
  answer: { status: number; body: string; location?: string } | null;
  close(): Promise<void>;
}

/** A local listener that records every request it receives (method, path, Authorization). */
async function startRecorder(): Promise<Recorder> {
  const recorder: Recorder = {
    url: "",
    received: [],
    answer: null,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    recorder.received.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    const echo = Buffer.from(req.headers.authorization ?? "none").toString("base64");
    const { status, body, location } = recorder.answer ?? { status: 401, body: JSON.stringify({ error: { message: `bad key ${echo}` } }) };
    res.writeHead(status, { "Content-Type": "application/json", ...(location ? { Location: location } : {}) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  recorder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return recorder;
}

/** A port nothing listens on (taken, then given back). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
