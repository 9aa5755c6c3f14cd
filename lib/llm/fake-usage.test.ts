// The fake LLM's `usage`, through the real openai SDK and the studio's client (issue 15 §1, §2): prompt tokens are
// real o200k BPE tokens (not characters ÷ 4), and a simulated prefix cache reports the part of a prompt it has seen
// before as `prompt_tokens_details.cached_tokens`, in whole blocks, forgetting the least recently used.
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLlmClient } from "./client";
import { FAKE_TASK_MARKERS, startFakeLlm, type FakeLlm } from "./fake-server";

let llm: FakeLlm;
let openai: OpenAI;
beforeAll(async () => {
  llm = await startFakeLlm();
  openai = new OpenAI({ baseURL: llm.url, apiKey: "none", maxRetries: 0 });
});
afterAll(() => llm.close());
afterEach(() => {
  llm.reset();
  llm.setOptions({ prefixCache: { blockTokens: 16, capacityBlocks: 100_000 } });
});

const SYSTEM = `${FAKE_TASK_MARKERS.judge}\nprompt: judge-cot.v1\n${"You review function-calling training data with care. ".repeat(20)}`;

async function ask(user: string, system = SYSTEM) {
  const completion = await openai.chat.completions.create({
    model: "fake-judge",
    messages: [
      { role: "system", content: system },
      { role: "user", content: user },
    ],
  });
  return completion.usage!;
}

describe("token counts", () => {
  it("counts prompt tokens with a BPE tokenizer: 200 × ' hello' is 200 tokens, not 300 (its characters ÷ 4)", async () => {
    llm.setOptions({ prefixCache: null });
    const base = await ask("x");
    const longer = await ask(`x${" hello".repeat(200)}`);
    expect(longer.prompt_tokens - base.prompt_tokens).toBe(200);
  });

  it("counts completion tokens of the answer it wrote", async () => {
    const usage = await ask("Is this fine?");
    expect(usage.completion_tokens).toBeGreaterThan(5);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
  });
});

describe("the prefix cache", () => {
  it("reports nothing cached the first time, then the shared prefix in whole 16-token blocks", async () => {
    const first = await ask("Sample 1: what is the weather in Lyon? Question A.");
    expect(first.prompt_tokens_details?.cached_tokens).toBe(0);
    const second = await ask("Sample 1: what is the weather in Lyon? Question B, asked differently.");
    const cached = second.prompt_tokens_details!.cached_tokens!;
    expect(cached % 16).toBe(0);
    // The system text (over 200 tokens) is shared; the questions differ near the end.
    expect(cached).toBeGreaterThan(200);
    expect(cached).toBeLessThan(second.prompt_tokens);
  });

  it("caches only a prefix: the same text after a different start is not cached", async () => {
    await ask("Sample 1.");
    const other = await ask("Sample 1.", `Another system text first. ${SYSTEM}`);
    expect(other.prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it("forgets the least recently used blocks when full", async () => {
    llm.setOptions({ prefixCache: { blockTokens: 16, capacityBlocks: 20 } });
    await ask("first");
    await ask("first", `Something else entirely. ${SYSTEM}`); // fills the 20 blocks with other text
    expect((await ask("first")).prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it("caches nothing of a request whose client gave up before the answer", async () => {
    const gaveUp = openai.chat.completions.create(
      { model: "fake-judge", messages: [{ role: "system", content: SYSTEM }, { role: "user", content: "Late [[fake:slow=300]]" }] },
      { timeout: 100 },
    );
    await expect(gaveUp).rejects.toThrow(/timed out/i);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the fake's wait is over
    expect(llm.requests.at(-1)).toMatchObject({ outcome: "client gone", status: 0 });
    expect((await ask("Next sample.")).prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it("caches nothing when turned off", async () => {
    llm.setOptions({ prefixCache: null });
    await ask("same");
    expect((await ask("same")).prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it("reaches the studio's client: a judge result carries prompt, cached and completion tokens", async () => {
    const client = createLlmClient({ baseURL: llm.url, model: "fake-judge", maxRetries: 0 });
    const req = { system: SYSTEM, user: "Is it fine?", promptVersion: "judge-cot.v1" };
    await client.judge(req);
    const again = await client.judge(req);
    const logged = llm.requests.at(-1)!.usage!;
    expect(again.tokens).toEqual({ prompt: logged.prompt_tokens, cached: logged.prompt_tokens_details.cached_tokens, completion: logged.completion_tokens });
    expect(again.tokens.cached).toBeGreaterThan(0);
  });
});
