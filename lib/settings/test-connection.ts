// "Test connection" on the settings page: asks the judge endpoint for its model list (GET {baseURL}/models, cheap
// and free on every OpenAI-compatible server) with the settings as typed, before they are saved.
import { LlmConfigError, llmEnvValues, redactedUrl, resolveLlmConfig, type LlmConfig } from "@/lib/llm/config";
import { applyUpdate, savedLlmValues, type ParsedUpdate, type SavedSettings } from "./llm-settings";

export type ConnectionResult =
  | {
      ok: true;
      /** The redacted URL asked. */
      url: string;
      latencyMs: number;
      /** Models the server lists (the first 50), or null when it answered without a list. */
      served: string[] | null;
      /** Configured models (judge, per stage, teacher) the list does not contain. */
      missing: string[];
    }
  | { ok: false; url: string | null; message: string };

const MAX_WAIT_MS = 15_000;

/** The config the settings would give once the update is saved. */
export function previewConfig(
  saved: SavedSettings,
  update: Extract<ParsedUpdate, { ok: true }>,
  env: Record<string, string | undefined> = process.env,
): LlmConfig {
  return resolveLlmConfig(llmEnvValues(env), savedLlmValues(applyUpdate(saved, update)));
}

export async function testConnection(build: () => LlmConfig): Promise<ConnectionResult> {
  let config: LlmConfig;
  try {
    config = build();
  } catch (error) {
    if (error instanceof LlmConfigError) return { ok: false, url: null, message: error.message };
    throw error;
  }
  const url = `${config.baseURL}/models`;
  const shown = redactedUrl(url);
  // Whatever comes back is shown in the browser: the key must not, even if a server echoes it.
  const scrub = (text: string) => (config.apiKey ? text.split(config.apiKey).join("[the key]") : text);
  const started = performance.now();
  try {
    const response = await fetch(url, {
      headers: config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {},
      signal: AbortSignal.timeout(Math.min(config.timeoutMs, MAX_WAIT_MS)),
      cache: "no-store",
    });
    const latencyMs = Math.round(performance.now() - started);
    const text = await response.text();
    if (!response.ok) {
      const hint = response.status === 401 || response.status === 403 ? " (check the API key)" : response.status === 404 ? " (check the base URL: it usually ends in /v1)" : "";
      return { ok: false, url: shown, message: scrub(`HTTP ${response.status}${hint}: ${excerpt(text)}`) };
    }
    const served = modelIds(text);
    const wanted = [...new Set([config.model, ...Object.values(config.stageModels), config.teacherModel])];
    return { ok: true, url: shown, latencyMs, served: served?.slice(0, 50) ?? null, missing: served ? wanted.filter((m) => !served.includes(m)) : [] };
  } catch (error) {
    const err = error as Error & { cause?: { message?: string; code?: string } };
    const message =
      err.name === "TimeoutError"
        ? `no answer within ${Math.min(config.timeoutMs, MAX_WAIT_MS)} ms`
        : `cannot reach the server (${err.cause?.code ?? err.cause?.message ?? err.message})`;
    return { ok: false, url: shown, message: scrub(message) };
  }
}

/** The ids of an OpenAI-style `{data: [{id}]}` list, or null when the body is something else. */
function modelIds(text: string): string[] | null {
  try {
    const body = JSON.parse(text) as { data?: Array<{ id?: unknown }> };
    if (!Array.isArray(body.data)) return null;
    return body.data.map((m) => m.id).filter((id): id is string => typeof id === "string");
  } catch {
    return null;
  }
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || "(empty answer)";
}
