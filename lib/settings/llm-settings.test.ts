import { describe, expect, it } from "vitest";
import { llmEnvValues } from "@/lib/llm/config";
import { applyUpdate, bindKey, parseSettingsUpdate, readSavedSettings, runDefaultsOf, settingsView, type ParsedUpdate } from "./llm-settings";

const SECRET = "sk-settings-secret-42";
const env = llmEnvValues({
  STUDIO_LLM_BASE_URL: "http://127.0.0.1:4010/v1",
  STUDIO_LLM_MODEL: "env-judge",
  STUDIO_LLM_MODEL_STAGE3: "env-cot",
  STUDIO_LLM_API_KEY: SECRET,
});

function ok(input: unknown): Extract<ParsedUpdate, { ok: true }> {
  const parsed = parseSettingsUpdate(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed;
}

describe("parseSettingsUpdate", () => {
  it("sets given fields, clears null and empty ones, and leaves out the rest", () => {
    const update = ok({ baseURL: " https://llm.example/v1/ ", model: "judge", timeoutMs: "3000", concurrency: 8, teacherModel: "", apiKey: null });
    expect(update.set).toEqual({ baseURL: "https://llm.example/v1", model: "judge", timeoutMs: 3000, concurrency: 8 });
    expect(update.clear.sort()).toEqual(["apiKey", "teacherModel"]);
  });

  it("names every bad field with a message a person can act on, never echoing the value", () => {
    const parsed = parseSettingsUpdate({ baseURL: "localhost:4010", timeoutMs: "soon", concurrency: 0, maxRegenerations: 2.5, apiKey: SECRET, colour: "red" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.fields).toEqual({
      baseURL: "must be an http:// or https:// URL",
      timeoutMs: "must be a whole number",
      concurrency: "must be at least 1",
      maxRegenerations: "must be a whole number",
    });
    expect(parsed.message).toMatch(/^Base URL must be an http/);
    expect(parsed.message).toMatch(/unknown setting: colour/);
    expect(JSON.stringify(parsed)).not.toContain(SECRET);
    expect(JSON.stringify(parsed)).not.toContain("localhost:4010");
  });

  it("refuses a base URL with a query or fragment (they would swallow /models), or on a host not allowed", () => {
    expect(parseSettingsUpdate({ baseURL: "http://127.0.0.1:9/anything?" }, null)).toMatchObject({ ok: false, fields: { baseURL: "must not have a query (?) or fragment (#)" } });
    expect(parseSettingsUpdate({ baseURL: "http://127.0.0.1:9/v1#" }, null)).toMatchObject({ ok: false, fields: { baseURL: "must not have a query (?) or fragment (#)" } });
    expect(parseSettingsUpdate({ baseURL: "file:///etc/passwd" }, null)).toMatchObject({ ok: false, fields: { baseURL: "must be an http:// or https:// URL" } });
    const pinned = ["llm.internal", "127.0.0.1:4010"];
    expect(parseSettingsUpdate({ baseURL: "http://169.254.169.254/latest" }, pinned)).toMatchObject({
      ok: false,
      fields: { baseURL: "points at 169.254.169.254, which is not in STUDIO_LLM_ALLOWED_HOSTS (llm.internal, 127.0.0.1:4010)" },
    });
    expect(parseSettingsUpdate({ baseURL: "http://127.0.0.1:4011/v1" }, pinned).ok).toBe(false);
    expect(parseSettingsUpdate({ baseURL: "http://127.0.0.1:4010/v1" }, pinned).ok).toBe(true);
    expect(parseSettingsUpdate({ baseURL: "https://LLM.internal:8443/v1" }, pinned).ok).toBe(true);
  });

  it("refuses what is not an object of text or numbers", () => {
    expect(parseSettingsUpdate([1, 2])).toMatchObject({ ok: false, message: "the settings must be a JSON object" });
    expect(parseSettingsUpdate({ model: { name: "x" } })).toMatchObject({ ok: false, fields: { model: "must be text or a number" } });
  });
});

describe("saved settings", () => {
  it("binds a typed key to the base URL it is saved with, and a key saved before binding to its saved URL", () => {
    expect(bindKey({}, ok({ apiKey: "k" }), "http://env/v1").set).toEqual({ apiKey: "k", apiKeyBaseURL: "http://env/v1" });
    expect(bindKey({ baseURL: "http://saved/v1" }, ok({ apiKey: "k" }), "http://env/v1").set.apiKeyBaseURL).toBe("http://saved/v1");
    expect(bindKey({ baseURL: "http://saved/v1" }, ok({ apiKey: "k", baseURL: "http://new/v1" }), undefined).set.apiKeyBaseURL).toBe("http://new/v1");
    expect(bindKey({ apiKey: "k", apiKeyBaseURL: "http://a/v1" }, ok({ apiKey: null }), undefined).clear).toEqual(["apiKey", "apiKeyBaseURL"]);
    // A URL change alone keeps the key where it was.
    expect(bindKey({ apiKey: "k", apiKeyBaseURL: "http://a/v1" }, ok({ baseURL: "http://b/v1" }), undefined).set).toEqual({ baseURL: "http://b/v1" });
    expect(readSavedSettings({ baseURL: "http://saved/v1", apiKey: "k" })).toEqual({ baseURL: "http://saved/v1", apiKey: "k", apiKeyBaseURL: "http://saved/v1" });
  });

  it("merges an update over what is saved", () => {
    const saved = applyUpdate({ model: "a", stage2Model: "b", apiKey: SECRET }, ok({ stage2Model: null, teacherModel: "t" }));
    expect(saved).toEqual({ model: "a", teacherModel: "t", apiKey: SECRET });
  });

  it("drops a stored field that no longer validates instead of breaking the others", () => {
    expect(readSavedSettings({ model: "m", timeoutMs: -5, concurrency: "12", extra: 1 })).toEqual({ model: "m", concurrency: 12 });
    expect(readSavedSettings("nonsense")).toEqual({});
  });

  it("gives run defaults from the saved values, or the built-in ones", () => {
    expect(runDefaultsOf({})).toEqual({ concurrency: 16, requestsPerMinute: null, maxRegenerations: 3 });
    expect(runDefaultsOf({ concurrency: 4, requestsPerMinute: 120 })).toEqual({ concurrency: 4, requestsPerMinute: 120, maxRegenerations: 3 });
  });
});

describe("settingsView (what the browser gets)", () => {
  it("shows saved values next to their defaults and where each default comes from", () => {
    const view = settingsView(env, { model: "saved-judge", concurrency: 4 });
    expect(view.fields.model).toEqual({ saved: "saved-judge", default: "env-judge", defaultFrom: "STUDIO_LLM_MODEL" });
    expect(view.fields.stage3Model).toEqual({ saved: null, default: "env-cot", defaultFrom: "STUDIO_LLM_MODEL_STAGE3" });
    // Without its own variable a stage follows the judge model in force (here the saved one).
    expect(view.fields.stage2Model).toEqual({ saved: null, default: "saved-judge", defaultFrom: "the judge model" });
    expect(view.fields.timeoutMs).toEqual({ saved: null, default: 60_000, defaultFrom: "built-in" });
    expect(view.fields.concurrency).toEqual({ saved: 4, default: 16, defaultFrom: "built-in" });
    expect(view.fields.requestsPerMinute).toEqual({ saved: null, default: null, defaultFrom: "built-in" });
  });

  it("says whether a key is set and which one is used, never the key", () => {
    const fromEnv = settingsView(env, {});
    expect(fromEnv.apiKey).toEqual({ saved: false, environment: true, inUse: "environment", savedFor: null });
    const saved = settingsView(env, { apiKey: "sk-saved-key-9" });
    expect(saved.apiKey).toEqual({ saved: true, environment: true, inUse: "saved", savedFor: null });
    // A key saved for another URL is not used here, and the page says where it belongs.
    const moved = settingsView(env, { apiKey: "sk-saved-key-9", apiKeyBaseURL: "https://a.example/v1", baseURL: "https://b.example/v1" });
    expect(moved.apiKey).toEqual({ saved: true, environment: true, inUse: "none", savedFor: "https://a.example/v1" });
    // Another base URL without its own key: the environment's key is not sent there.
    expect(settingsView(env, { baseURL: "https://other.example/v1" }).apiKey.inUse).toBe("none");

    for (const view of [fromEnv, saved]) {
      const json = JSON.stringify(view);
      expect(json).not.toContain(SECRET);
      expect(json).not.toContain("sk-saved-key-9");
    }
  });

  it("names broken environment variables without their values", () => {
    const view = settingsView(llmEnvValues({ STUDIO_LLM_MAX_RETRIES: "many", STUDIO_LLM_API_KEY: SECRET }), {});
    expect(view.environmentProblems).toEqual(["STUDIO_LLM_MAX_RETRIES must be a whole number"]);
    expect(view.fields.baseURL).toEqual({ saved: null, default: null, defaultFrom: "STUDIO_LLM_BASE_URL" });
  });
});
