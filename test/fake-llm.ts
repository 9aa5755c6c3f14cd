// The fake OpenAI-compatible server (lib/llm/fake-server.ts) for one test file: started before its tests, stopped
// after them, and optionally named as the pipeline's LLM in the environment and wiped between tests.
import { afterAll, afterEach, beforeAll } from "vitest";
import { startFakeLlm, type FakeLlm, type FakeLlmOptions, type FakeRequestLog } from "@/lib/llm/fake-server";
import { setFakeLlmEnv } from "./llm-env";

export interface FakeLlmUse {
  /** Point the pipeline's LLM settings at the fake for this file (setFakeLlmEnv), with these variables besides. */
  env?: true | Record<string, string>;
  /** After each test: forget the request log and counters, and put back these options if given. */
  resetAfterEach?: true | Partial<FakeLlmOptions>;
}

/**
 * Registers the hooks (call it at the top of a file or a describe, before the hooks that use the server: vitest runs
 * before-hooks in the order they were registered, after-hooks in reverse, so the server outlives the file's own) and
 * returns the server. Its fields are read when used, so the value can be taken before the server starts; using it
 * outside a hook or a test throws.
 */
export function useFakeLlm(options: Parameters<typeof startFakeLlm>[0] = {}, use: FakeLlmUse = {}): FakeLlm {
  let llm: FakeLlm | undefined;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    llm = await startFakeLlm(options);
    if (use.env) restoreEnv = setFakeLlmEnv(llm.url, use.env === true ? {} : use.env);
  });
  if (use.resetAfterEach) {
    const { resetAfterEach } = use;
    afterEach(() => {
      started().reset();
      if (resetAfterEach !== true) started().setOptions(resetAfterEach);
    });
  }
  afterAll(async () => {
    restoreEnv?.();
    await llm?.close();
  });

  function started(): FakeLlm {
    if (!llm) throw new Error("the fake LLM starts in beforeAll: use it in a hook or a test");
    return llm;
  }
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    get requests() {
      return started().requests;
    },
    get batchApiCalls() {
      return started().batchApiCalls;
    },
    setOptions: (partial) => started().setOptions(partial),
    reset: () => started().reset(),
    close: () => started().close(),
  };
}

/** The prompt, cached and completion tokens the fake billed for these requests, summed: what a client should count. */
export function billedTokens(requests: FakeRequestLog[]) {
  return requests.reduce(
    (sum, r) => ({
      prompt: sum.prompt + (r.usage?.prompt_tokens ?? 0),
      cached: sum.cached + (r.usage?.prompt_tokens_details.cached_tokens ?? 0),
      completion: sum.completion + (r.usage?.completion_tokens ?? 0),
    }),
    { prompt: 0, cached: 0, completion: 0 },
  );
}
