// The policy model of self-refinement rounds (lib/rounds/), edited on /settings beside the judge: its own base URL,
// key and model — typically the team's own fine-tuned model on vLLM. Stored under the settings key `policy` with the
// judge's field names, so the judge's rules apply unchanged (lib/settings/llm-settings.ts): the same validation, and
// the key bound to the base URL it was typed for (bindKey, keyFor). Without a base URL of its own the policy is
// asked at the judge's endpoint with the judge's key, as a judge panel member without one is. Pure.
import { keyFor, redactedUrl, type LlmConfig } from "@/lib/llm/config";
import type { LlmClientConfig } from "@/lib/llm/client";
import type { SavedSettings, SettingsSpec } from "./llm-settings";

export const POLICY_KEY = "policy";

export const POLICY_SPEC: SettingsSpec = {
  fields: ["baseURL", "apiKey", "model"],
  labels: { baseURL: "Policy base URL", apiKey: "Policy key", model: "Policy model" },
};

export type SavedPolicy = Pick<SavedSettings, "baseURL" | "apiKey" | "apiKeyBaseURL" | "model">;

/** What the browser gets: never the key, only whether one is saved for the base URL in force. */
export interface PolicyView {
  baseURL: string | null;
  model: string | null;
  keySet: boolean;
  /** The base URL the saved key belongs to (redacted), when it is not the one in force. */
  keySavedFor: string | null;
}

export function policyView(saved: SavedPolicy): PolicyView {
  const key = saved.baseURL ? keyFor(saved.baseURL, {}, saved) : undefined;
  return {
    baseURL: saved.baseURL ? redactedUrl(saved.baseURL) : null,
    model: saved.model ?? null,
    keySet: Boolean(key),
    keySavedFor: saved.apiKey && !key && saved.apiKeyBaseURL ? redactedUrl(saved.apiKeyBaseURL) : null,
  };
}

/** The policy's client: its own base URL with the key saved for it, or the judge's endpoint and key; `model` asked. */
export function policyClientConfig(saved: SavedPolicy, judge: Pick<LlmConfig, "baseURL" | "apiKey" | "timeoutMs" | "maxRetries" | "backoffMs">, model: string): LlmClientConfig {
  const common = { model, timeoutMs: judge.timeoutMs, maxRetries: judge.maxRetries, backoffMs: judge.backoffMs };
  if (!saved.baseURL) return { ...common, baseURL: judge.baseURL, apiKey: judge.apiKey };
  return { ...common, baseURL: saved.baseURL, apiKey: keyFor(saved.baseURL, {}, saved) };
}
