// "Test connection" on the settings page: asks the judge endpoint for its model list (GET {baseURL}/models, cheap
// and free on every OpenAI-compatible server) with the settings as typed, before they are saved.
// Then one tiny judge request (lib/llm/prompts/judge-probe.v1.ts) on the judge model finds out which response format
// the server takes — structured outputs, JSON mode or plain text — the way the pipeline's client will ask.
// The result goes to the browser, so it holds the status and a fixed message, never the server's words: a server
// can echo what it was sent (the key) or be something other than a judge.
import "server-only";
import { createLlmClient, RESPONSE_FORMAT_LABELS, type ResponseFormatMode } from "@/lib/llm/client";
import { judgeProbeV1 } from "@/lib/llm/prompts";
import { LlmConfigError, llmEnvValues, redactedUrl, REDIRECT_REFUSED, resolveLlmConfig, type LlmConfig } from "@/lib/llm/config";
import { applyUpdate, bindKey, savedLlmValues, type ParsedUpdate, type SavedSettings } from "./llm-settings";

export type ConnectionResult =
  | {
      ok: true;
      /** The redacted URL asked. */
      url: string;
      latencyMs: number;
      /** How many models the server lists (their names stay on the server), or null when it answered without a list. */
      served: number | null;
      /** Configured models (judge, per stage, teacher) the list does not contain. */
      missing: string[];
      /** How the judge model's verdicts will be asked for; or, when the probe got no verdict, why (no server words). */
      responseFormat: { mode: ResponseFormatMode; label: string } | { mode: null; problem: string };
    }
  | { ok: false; url: string | null; message: string };

const MAX_WAIT_MS = 15_000;

/** The config the settings would give once the update is saved (a saved key only with the URL it was saved with). */
export function previewConfig(
  saved: SavedSettings,
  update: Extract<ParsedUpdate, { ok: true }>,
  env: Record<string, string | undefined> = process.env,
): LlmConfig {
  const environment = llmEnvValues(env);
  return resolveLlmConfig(environment, savedLlmValues(applyUpdate(saved, bindKey(saved, update, environment.values.baseURL))));
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
  const started = performance.now();
  try {
    const response = await fetch(url, {
      headers: config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {},
      signal: AbortSignal.timeout(Math.min(config.timeoutMs, MAX_WAIT_MS)),
      cache: "no-store",
      redirect: "manual",
    });
    const latencyMs = Math.round(performance.now() - started);
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, url: shown, message: statusMessage(response.status) };
    }
    const text = await response.text();
    const served = modelIds(text);
    const wanted = [...new Set([config.model, ...Object.values(config.stageModels), config.teacherModel])];
    const missing = served ? wanted.filter((m) => !served.includes(m)) : [];
    return { ok: true, url: shown, latencyMs, served: served?.length ?? null, missing, responseFormat: await probeResponseFormat(config) };
  } catch (error) {
    const err = error as Error & { cause?: { message?: string; code?: string } };
    const message =
      err.name === "TimeoutError"
        ? `no answer within ${Math.min(config.timeoutMs, MAX_WAIT_MS)} ms`
        : `cannot reach the server${err.cause?.code ? ` (${err.cause.code})` : ""}`;
    return { ok: false, url: shown, message };
  }
}

/** Asks the judge model one verdict, moving down the response formats as the pipeline's client does. */
async function probeResponseFormat(config: LlmConfig): Promise<Extract<ConnectionResult, { ok: true }>["responseFormat"]> {
  const judge = createLlmClient({ baseURL: config.baseURL, apiKey: config.apiKey, model: config.model, timeoutMs: Math.min(config.timeoutMs, MAX_WAIT_MS), maxRetries: 0 });
  const result = await judge.judge({ ...judgeProbeV1.build({}), promptVersion: judgeProbeV1.promptVersion });
  if (!result.ok) {
    const status = result.status ? `HTTP ${result.status}, ` : "";
    return { mode: null, problem: `the judge model ${config.model} gave no verdict to a test request (${status}${result.kind.replace("_", " ")})` };
  }
  const mode = judge.responseFormat();
  return { mode, label: RESPONSE_FORMAT_LABELS[mode] };
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

function statusMessage(status: number): string {
  if (status >= 300 && status < 400) return `HTTP ${status} (${REDIRECT_REFUSED})`;
  if (status === 401 || status === 403) return `HTTP ${status} (check the API key)`;
  if (status === 404) return `HTTP ${status} (check the base URL: it usually ends in /v1)`;
  return `HTTP ${status} (the server refused the request)`;
}
