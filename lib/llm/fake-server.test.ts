// The fake server itself, over plain HTTP (fetch), plus its CLI entry.
import { spawn } from "node:child_process";
import path from "node:path";
import OpenAI, { toFile } from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FAKE_TASK_MARKERS, extractToolsList, startFakeLlm, type FakeLlm } from "./fake-server";
import { chatPromptTokens, countTokens } from "./tokens";

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(async () => {
  await llm.close();
});
afterEach(() => {
  llm.reset();
  llm.setOptions({ failureRate: 0, script: undefined });
});

function post(body: unknown, raw?: string) {
  return fetch(`${llm.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw ?? JSON.stringify(body),
  });
}

const judgeBody = (user: string) => ({
  model: "m",
  messages: [
    { role: "system", content: `${FAKE_TASK_MARKERS.judge}\nprompt: judge-cot.v1\nBe strict.` },
    { role: "user", content: user },
  ],
});

describe("fake LLM server", () => {
  it("lists models", async () => {
    const res = await fetch(`${llm.url}/models`);
    expect(res.status).toBe(200);
    expect((await res.json()).data.length).toBeGreaterThan(0);
  });

  it("refuses streaming with a clear 400", async () => {
    const res = await post({ ...judgeBody("hi"), stream: true });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/streaming is not supported/);
  });

  it("refuses an unknown directive, naming it", async () => {
    const res = await post(judgeBody("hi [[fake:fial]]"));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain("[[fake:fial]]");
  });

  it("answers a judge with JSON and its usage in o200k tokens, as OpenAI reports it", async () => {
    const body = judgeBody("some sample text");
    const json = await (await post(body)).json();
    const content = json.choices[0].message.content;
    expect(JSON.parse(content)).toMatchObject({ verdict: "pass" });
    const prompt = chatPromptTokens(body.messages);
    expect(json.usage).toEqual({
      prompt_tokens: prompt,
      completion_tokens: countTokens(content),
      total_tokens: prompt + countTokens(content),
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it("judges stages 2 and 4 from the evidence when no directive decides, and a directive still wins", async () => {
    // What the pipeline's prompts send (lib/llm/prompts/judge-query-tools.v1.ts, judge-values.v1.ts), in short.
    const bmi = [{ name: "determine_body_mass_index", description: "Calculate body mass index given weight and height.", parameters: { type: "dict", properties: { weight: { type: "float" }, height: { type: "float" } }, required: ["weight", "height"] } }];
    const sample = (query: string) => `query:\n${query}\n\ntools:\n${JSON.stringify(bmi, null, 2)}`;
    const ask = async (promptId: string, user: string) => {
      const body = { model: "m", messages: [{ role: "system", content: `${FAKE_TASK_MARKERS.judge}\nprompt: ${promptId}\nJudge.` }, { role: "user", content: user }] };
      return JSON.parse((await (await post(body)).json()).choices[0].message.content) as { verdict: string; reason: string };
    };
    const triangle = "Calculate the area of a triangle given the base is 10 meters and height is 5 meters.";
    const call = `\n\nanswer (the calls, as JSON):\n${JSON.stringify([{ name: "determine_body_mass_index", arguments: { weight: 10, height: 5 } }], null, 2)}\n\nRight?`;
    expect(await ask("judge-query-tools.v1", sample(triangle))).toMatchObject({ verdict: "fail", reason: expect.stringContaining("no tool fits the query") });
    expect(await ask("judge-values.v1", sample(triangle) + call)).toMatchObject({ verdict: "fail", reason: expect.stringContaining("does not do what the query asks") });
    expect((await ask("judge-query-tools.v1", sample("What is the body mass index of someone weighing 70 kg, 1.75 m tall?"))).verdict).toBe("pass");
    expect((await ask("judge-values.v1", sample(`${triangle} [[fake:pass]]`) + call)).verdict).toBe("pass");
  });

  it("counts xN per exact body: another body starts its own count", async () => {
    expect((await post(judgeBody("a [[fake:500x1]]"))).status).toBe(500);
    expect((await post(judgeBody("b [[fake:500x1]]"))).status).toBe(500);
    expect((await post(judgeBody("a [[fake:500x1]]"))).status).toBe(200);
    expect(llm.requests.map((r) => r.attempt)).toEqual([1, 1, 2]);
  });

  it("sends a malformed body for badjson", async () => {
    const res = await post(judgeBody("[[fake:badjson]]"));
    expect(res.status).toBe(200);
    await expect(res.clone().json()).rejects.toThrow();
  });

  it("takes directives from a script", async () => {
    llm.setOptions({ script: ({ attempt }) => (attempt === 1 ? "503" : "fail") });
    expect((await post(judgeBody("x"))).status).toBe(503);
    const json = await (await post(judgeBody("x"))).json();
    expect(JSON.parse(json.choices[0].message.content).verdict).toBe("fail");
  });

  it("spreads its latency when asked, around the same mean, the same for the same body and seed", async () => {
    llm.setOptions({ latencyMs: 40, latencyJitter: 0.5 });
    try {
      for (let i = 0; i < 12; i++) expect((await post(judgeBody(`Sample ${i}`))).status).toBe(200);
      const waited = llm.requests.map((r) => r.waitedMs!);
      expect(Math.min(...waited)).toBeGreaterThanOrEqual(20);
      expect(Math.max(...waited)).toBeLessThanOrEqual(60);
      expect(new Set(waited).size).toBeGreaterThan(6);
      llm.reset();
      for (let i = 0; i < 12; i++) await post(judgeBody(`Sample ${i}`));
      expect(llm.requests.map((r) => r.waitedMs)).toEqual(waited);
      llm.setOptions({ latencyJitter: 0 });
      await post(judgeBody("Sample 0"));
      expect(llm.requests.at(-1)!.waitedMs).toBe(40);
      expect(() => llm.setOptions({ latencyJitter: 1.5 })).toThrow(/latencyJitter/);
    } finally {
      llm.setOptions({ latencyMs: 0, latencyJitter: 0 });
    }
  });

  it("draws random failures from the seed, the body and the attempt, not from arrival order", async () => {
    llm.setOptions({ failureRate: 0.5, seed: 7 });
    const bodies = Array.from({ length: 20 }, (_, i) => judgeBody(`sample ${i}`));
    const first = await Promise.all(bodies.map(async (b) => (await post(b)).status));
    llm.reset();
    const second = await Promise.all([...bodies].reverse().map(async (b) => (await post(b)).status));
    expect(second.reverse()).toEqual(first);
    expect(first.some((s) => s !== 200)).toBe(true);
    expect(first.some((s) => s === 200)).toBe(true);
  });

  it("close() ends hanging requests", async () => {
    const other = await startFakeLlm();
    const hanging = fetch(`${other.url}/chat/completions`, { method: "POST", body: JSON.stringify(judgeBody("[[fake:hang]]")) });
    await new Promise((r) => setTimeout(r, 50));
    await other.close();
    await expect(hanging).rejects.toThrow();
  });

  it("finds the tools list after the tools: line", () => {
    const text = 'query:\nwhat [x]?\n\ntools:\n[\n  {"name": "f", "description": "has ] and [ inside"}\n]\n\nanswer:\n[]';
    expect(extractToolsList(text)).toEqual([{ name: "f", description: "has ] and [ inside" }]);
    expect(extractToolsList("no tools here")).toBeNull();
  });

  it("runs from the command line", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["lib/llm/fake-server.ts", "--port", "0", "--latency", "5", "--batch-delay", "400"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
          const m = /listening on (\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}`)));
      });
      const res = await fetch(`${url}/models`);
      expect(res.status).toBe(200);
      // --batch-delay: a batch is done that long after its creation, not before.
      const openai = new OpenAI({ baseURL: url, apiKey: "x", maxRetries: 0 });
      const line = JSON.stringify({ custom_id: "a", method: "POST", url: "/v1/chat/completions", body: judgeBody("hi") });
      const file = await openai.files.create({ file: await toFile(Buffer.from(line), "in.jsonl"), purpose: "batch" });
      const created = Date.now();
      const batch = await openai.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
      let status = batch.status;
      while (status !== "completed") status = (await openai.batches.retrieve(batch.id)).status;
      expect(Date.now() - created).toBeGreaterThanOrEqual(400);
    } finally {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  });
});
