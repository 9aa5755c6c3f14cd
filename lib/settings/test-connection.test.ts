// "Test connection" against real HTTP servers: the project's fake LLM, and a strict one that checks the key and
// echoes it back on refusal (as some real servers do) so we can see it never reaches the result.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLlmConfig } from "@/lib/llm/config";
import { startFakeLlm, type FakeLlm } from "@/lib/llm/fake-server";
import { parseSettingsUpdate, type ParsedUpdate } from "./llm-settings";
import { previewConfig, testConnection } from "./test-connection";

const KEY = "sk-strict-server-key-77";
let fake: FakeLlm;
let strict: http.Server;
let strictUrl: string;

beforeAll(async () => {
  fake = await startFakeLlm();
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
  await fake.close();
  await new Promise((resolve) => strict.close(resolve));
});

function update(input: object): Extract<ParsedUpdate, { ok: true }> {
  const parsed = parseSettingsUpdate(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed;
}

describe("testConnection", () => {
  it("lists the served models and says which configured ones are missing", async () => {
    const config = () => loadLlmConfig({ STUDIO_LLM_BASE_URL: fake.url, STUDIO_LLM_MODEL: "fake-judge", STUDIO_LLM_TEACHER_MODEL: "big-teacher" });
    const result = await testConnection(config);
    expect(result).toMatchObject({ ok: true, url: `${fake.url}/models`, served: ["fake-judge", "fake-teacher"], missing: ["big-teacher"] });
  });

  it("sends the key as typed in the form, and never returns it even when the server echoes it", async () => {
    const env = { STUDIO_LLM_BASE_URL: strictUrl, STUDIO_LLM_MODEL: "strict-judge" };
    const good = await testConnection(() => previewConfig({}, update({ apiKey: KEY }), env));
    expect(good).toMatchObject({ ok: true, served: ["strict-judge"], missing: [] });

    const wrongKey = `${KEY}-wrong`;
    const refused = await testConnection(() => previewConfig({ apiKey: wrongKey }, update({}), env));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.message).toMatch(/^HTTP 401 \(check the API key\)/);
    expect(refused.message).toContain("[the key]");
    expect(JSON.stringify(refused)).not.toContain(wrongKey);
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

/** A port nothing listens on (taken, then given back). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
