import { describe, expect, it } from "vitest";
import { LlmConfigError, clientConfigFor, llmEnvValues, loadLlmConfig, redactedConfig, resolveLlmConfig, resolveModelConfig } from "./config";

const base = { STUDIO_LLM_BASE_URL: "http://127.0.0.1:4010/v1/", STUDIO_LLM_MODEL: "judge-model" };

function errorOf(env: Record<string, string | undefined>): LlmConfigError {
  try {
    loadLlmConfig(env);
  } catch (err) {
    if (err instanceof LlmConfigError) return err;
    throw err;
  }
  throw new Error("expected an LlmConfigError");
}

describe("resolveModelConfig (a run whose requests go in files)", () => {
  it("needs a model name and nothing of the endpoint, and names what is missing or bad", () => {
    const models = resolveModelConfig(llmEnvValues({ STUDIO_LLM_MODEL: "qwen", STUDIO_LLM_BASE_URL: "not a url", STUDIO_LLM_TEACHER_MODEL: "big" }));
    expect(models).toMatchObject({ model: "qwen", teacherModel: "big", stageModels: { 2: "qwen" }, maxRetries: 3 });
    expect(models).not.toHaveProperty("baseURL");
    expect(() => resolveModelConfig(llmEnvValues({}))).toThrow(/STUDIO_LLM_MODEL is not set/);
    expect(() => resolveModelConfig(llmEnvValues({ STUDIO_LLM_MODEL: "qwen", STUDIO_LLM_MAX_RETRIES: "-1" }))).toThrow(/STUDIO_LLM_MAX_RETRIES must be at least 0/);
  });
});

describe("loadLlmConfig", () => {
  it("applies defaults and per-stage fallbacks", () => {
    const config = loadLlmConfig({ ...base, STUDIO_LLM_MODEL_STAGE3: "cot-model", STUDIO_LLM_MODEL_STAGE4: "" });
    expect(config).toEqual({
      baseURL: "http://127.0.0.1:4010/v1",
      model: "judge-model",
      stageModels: { 2: "judge-model", 3: "cot-model", 4: "judge-model" },
      teacherModel: "judge-model",
      timeoutMs: 60_000,
      maxRetries: 3,
      backoffMs: 500,
    });
    expect(clientConfigFor(config, 3).model).toBe("cot-model");
    expect(clientConfigFor(loadLlmConfig({ ...base, STUDIO_LLM_TEACHER_MODEL: "big" }), "teacher").model).toBe("big");
  });

  it("names the missing or invalid variable", () => {
    expect(errorOf({ STUDIO_LLM_MODEL: "m" }).variables).toEqual(["STUDIO_LLM_BASE_URL"]);
    expect(errorOf({ STUDIO_LLM_BASE_URL: "http://x/v1" }).message).toMatch(/STUDIO_LLM_MODEL is not set/);
    expect(errorOf({ ...base, STUDIO_LLM_BASE_URL: "localhost:4010" }).message).toMatch(/STUDIO_LLM_BASE_URL must be an http/);
    const bad = errorOf({ ...base, STUDIO_LLM_TIMEOUT_MS: "soon", STUDIO_LLM_MAX_RETRIES: "-1" });
    expect(bad.variables.sort()).toEqual(["STUDIO_LLM_MAX_RETRIES", "STUDIO_LLM_TIMEOUT_MS"]);
    expect(bad.message).toMatch(/STUDIO_LLM_TIMEOUT_MS must be a whole number/);
    expect(bad.message).toMatch(/STUDIO_LLM_MAX_RETRIES must be at least 0/);
  });

  it("never shows the key", () => {
    const secret = "sk-very-secret-123";
    const config = loadLlmConfig({ ...base, STUDIO_LLM_API_KEY: secret, STUDIO_LLM_BASE_URL: "https://user:pw@llm.example/v1" });
    expect(config.apiKey).toBe(secret);
    const shown = JSON.stringify(redactedConfig(config));
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain("pw@");
    expect(redactedConfig(config).apiKey).toBe("(set, hidden)");
    const err = errorOf({ STUDIO_LLM_API_KEY: secret, STUDIO_LLM_TIMEOUT_MS: secret });
    expect(err.message).not.toContain(secret);
  });
});

describe("resolveLlmConfig (saved settings over the environment)", () => {
  const env = llmEnvValues({ ...base, STUDIO_LLM_API_KEY: "sk-env", STUDIO_LLM_TIMEOUT_MS: "5000" });

  it("takes each saved field over the environment and keeps the rest", () => {
    const config = resolveLlmConfig(env, { model: "saved-judge", stage4Model: "saved-params", maxRetries: 0 });
    expect(config).toMatchObject({
      baseURL: "http://127.0.0.1:4010/v1",
      apiKey: "sk-env",
      model: "saved-judge",
      stageModels: { 2: "saved-judge", 3: "saved-judge", 4: "saved-params" },
      teacherModel: "saved-judge",
      timeoutMs: 5000,
      maxRetries: 0,
    });
  });

  it("sends each key only to the URL it came with: the environment's to the environment's, a saved one to its own", () => {
    expect(resolveLlmConfig(env, { baseURL: "http://127.0.0.1:4010/v1" }).apiKey).toBe("sk-env");
    expect(resolveLlmConfig(env, { baseURL: "https://other.example/v1" }).apiKey).toBeUndefined();
    const other = { apiKey: "sk-saved", apiKeyBaseURL: "https://other.example/v1" };
    expect(resolveLlmConfig(env, { ...other, baseURL: "https://other.example/v1" }).apiKey).toBe("sk-saved");
    expect(resolveLlmConfig(env, { ...other, baseURL: "https://third.example/v1" }).apiKey).toBeUndefined();
    // Saved for another URL, while the environment's URL is in force: the environment's key.
    expect(resolveLlmConfig(env, other).apiKey).toBe("sk-env");
  });

  it("refuses a base URL outside STUDIO_LLM_ALLOWED_HOSTS, whether saved or from the environment (runs never reach it)", () => {
    const pinned = llmEnvValues({ STUDIO_LLM_BASE_URL: "http://127.0.0.1:4010/v1", STUDIO_LLM_MODEL: "m", STUDIO_LLM_ALLOWED_HOSTS: "127.0.0.1:4010" });
    expect(resolveLlmConfig(pinned).baseURL).toBe("http://127.0.0.1:4010/v1");
    expect(() => resolveLlmConfig(pinned, { baseURL: "http://metadata.internal/v1" })).toThrow(/the saved base URL points at metadata\.internal, which is not in STUDIO_LLM_ALLOWED_HOSTS/);
    const envElsewhere = llmEnvValues({ STUDIO_LLM_BASE_URL: "http://10.1.1.1/v1", STUDIO_LLM_MODEL: "m", STUDIO_LLM_ALLOWED_HOSTS: "llm.internal" });
    expect(() => resolveLlmConfig(envElsewhere)).toThrow(/STUDIO_LLM_BASE_URL points at 10\.1\.1\.1/);
    expect(llmEnvValues({ STUDIO_LLM_BASE_URL: "http://127.0.0.1:4010/v1?x=1" }).problems.map((p) => p.variable)).toEqual(["STUDIO_LLM_BASE_URL"]);
  });

  it("lets saved settings stand in for missing or broken variables, and names what is still missing", () => {
    const broken = llmEnvValues({ STUDIO_LLM_TIMEOUT_MS: "soon" });
    expect(broken.problems.map((p) => p.variable)).toEqual(["STUDIO_LLM_TIMEOUT_MS"]);
    const missing = () => resolveLlmConfig(broken, { baseURL: "http://llm.local/v1" });
    expect(missing).toThrow(/STUDIO_LLM_MODEL is not set/);
    expect(missing).toThrow(/STUDIO_LLM_TIMEOUT_MS must be a whole number/);
    const fixed = resolveLlmConfig(broken, { baseURL: "http://llm.local/v1", model: "m", timeoutMs: 1000 });
    expect(fixed).toMatchObject({ baseURL: "http://llm.local/v1", model: "m", timeoutMs: 1000, maxRetries: 3 });
  });
});
