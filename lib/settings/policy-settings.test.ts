import { describe, expect, it } from "vitest";
import { applyUpdate, bindKey, parseSettingsUpdate, type ParsedUpdate } from "./llm-settings";
import { POLICY_SPEC, policyClientConfig, policyView, type SavedPolicy } from "./policy-settings";

const JUDGE = { baseURL: "http://judge.example/v1", apiKey: "sk-judge", timeoutMs: 1000, maxRetries: 2, backoffMs: 10 };

function save(saved: SavedPolicy, input: unknown): SavedPolicy {
  const update = parseSettingsUpdate(input, null, POLICY_SPEC) as Extract<ParsedUpdate, { ok: true }>;
  if (!update.ok) throw new Error("refused");
  return applyUpdate(saved, bindKey(saved, update, undefined));
}

describe("the policy model's settings", () => {
  it("take a base URL, a key and a model, named as the policy's, and nothing of the judge's", () => {
    const parsed = parseSettingsUpdate({ baseURL: "vllm:8000", model: "x".repeat(300), teacherModel: "t" }, null, POLICY_SPEC);
    expect(parsed).toMatchObject({ ok: false, fields: { baseURL: "must be an http:// or https:// URL", model: "is too long" } });
    if (parsed.ok) return;
    expect(parsed.message).toMatch(/^Policy base URL must be an http/);
    expect(parsed.message).toMatch(/Policy model is too long/);
    expect(parsed.message).toMatch(/unknown setting: teacherModel/);
  });

  it("send the key only to the base URL it was saved with, as the judge's key", () => {
    let saved = save({}, { baseURL: "http://vllm.local:8000/v1", apiKey: "sk-policy", model: "funreason-r1" });
    expect(policyClientConfig(saved, JUDGE, "funreason-r2")).toEqual({ baseURL: "http://vllm.local:8000/v1", apiKey: "sk-policy", model: "funreason-r2", timeoutMs: 1000, maxRetries: 2, backoffMs: 10 });
    expect(policyView(saved)).toEqual({ baseURL: "http://vllm.local:8000/v1", model: "funreason-r1", keySet: true, keySavedFor: null });
    // Pointed elsewhere, the key stays behind: it must be typed again for the new URL.
    saved = save(saved, { baseURL: "http://other.example/v1" });
    expect(policyClientConfig(saved, JUDGE, "m").apiKey).toBeUndefined();
    expect(policyView(saved)).toMatchObject({ keySet: false, keySavedFor: "http://vllm.local:8000/v1" });
    expect(JSON.stringify(policyView(saved))).not.toContain("sk-policy");
  });

  it("without a base URL of its own, ask the judge's endpoint with the judge's key; a key typed without a URL goes nowhere", () => {
    const saved = save({}, { apiKey: "sk-lonely", model: "m" });
    expect(policyClientConfig(saved, JUDGE, "m")).toMatchObject({ baseURL: JUDGE.baseURL, apiKey: "sk-judge" });
    expect(policyView(saved).keySet).toBe(false);
  });
});
