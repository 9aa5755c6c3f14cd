// The LLM settings a test file's pipeline reads from the environment (lib/settings/store.ts): the fake LLM as judge,
// no retries (a judge fault becomes an error verdict at once; the retry loop has its own tests). Set for one file
// and put back after it, so the next file on the same worker sees its own.
export function setFakeLlmEnv(baseURL: string | undefined, extra: Record<string, string> = {}): () => void {
  const values: Record<string, string | undefined> = {
    STUDIO_LLM_BASE_URL: baseURL,
    STUDIO_LLM_MODEL: "fake-judge",
    STUDIO_LLM_MAX_RETRIES: "0",
    STUDIO_LLM_BACKOFF_MS: "1",
    ...extra,
  };
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const apply = (env: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}
