// LLM settings: the STUDIO_LLM_* environment variables are the defaults, settings saved on the /settings page
// (lib/settings/llm.ts) override them field by field. This file is pure: it validates each source and merges them,
// with errors that name the variable or field to fix.
// The API key is a secret: nothing here prints it; show `redactedConfig()` instead of the config itself.
import { z } from "zod";
import { MODEL_STAGE_IDS, stageModelEnv, stageModelField, type ModelStageId, type StageId } from "@/lib/pipeline/stage-registry";
import type { LlmClientConfig } from "./client";

/** The settings field of a stage's own judge model: `stage2Model`, … (one per registry stage with `ownModel`). */
export type StageModelField = `stage${ModelStageId}Model`;

/** `{stage2Model: f(2), …}`: one entry per stage with a model of its own. */
function perModelStage<T>(value: (id: ModelStageId) => T): Record<StageModelField, T> {
  return Object.fromEntries(MODEL_STAGE_IDS.map((id) => [stageModelField(id), value(id)])) as Record<StageModelField, T>;
}

export interface LlmConfig {
  baseURL: string;
  apiKey?: string;
  /** Default model for every judge. */
  model: string;
  /** Judge models of the stages that have their own (each falls back to `model`). */
  stageModels: Record<ModelStageId, string>;
  /** The teacher (CoT generation, answer regeneration); falls back to `model`. */
  teacherModel: string;
  timeoutMs: number;
  maxRetries: number;
  backoffMs: number;
}

/** What one source (the environment, or the saved settings) says: any field may be missing. */
export type LlmValues = {
  baseURL?: string;
  apiKey?: string;
  model?: string;
  teacherModel?: string;
  timeoutMs?: number;
  maxRetries?: number;
  backoffMs?: number;
} & Partial<Record<StageModelField, string>>;
export type LlmField = keyof LlmValues;

/** The saved settings' LLM values: the saved key carries the base URL it was saved with, the only one it goes to. */
export interface SavedLlmValues extends LlmValues {
  /** Unset only for a key saved before keys were bound: it then belongs to the environment's base URL. */
  apiKeyBaseURL?: string;
}

/** The variable behind each field. */
export const LLM_ENV: Record<LlmField, string> = {
  baseURL: "STUDIO_LLM_BASE_URL",
  apiKey: "STUDIO_LLM_API_KEY",
  model: "STUDIO_LLM_MODEL",
  ...perModelStage(stageModelEnv),
  teacherModel: "STUDIO_LLM_TEACHER_MODEL",
  timeoutMs: "STUDIO_LLM_TIMEOUT_MS",
  maxRetries: "STUDIO_LLM_MAX_RETRIES",
  backoffMs: "STUDIO_LLM_BACKOFF_MS",
};

/** The variables this file reads, for docs and error messages. */
export const LLM_ENV_VARS = Object.values(LLM_ENV);

/** Used when neither the settings nor the environment say otherwise. */
export const LLM_BUILT_IN = { timeoutMs: 60_000, maxRetries: 3, backoffMs: 500 } as const;

export class LlmConfigError extends Error {
  constructor(
    message: string,
    /** The variables (or, for saved settings, the fields) at fault. */
    readonly variables: string[],
  ) {
    super(message);
    this.name = "LlmConfigError";
  }
}

/** A whole number in [min, max], from a number or its text (environment variables and form fields are text). */
export const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const modelName = z.string().trim().max(200, "is too long");

/** One schema per field, shared by the environment and the settings form, so both accept the same values. */
export const LLM_FIELD_SCHEMAS = {
  baseURL: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^/\s]+/.test(v) && URL.canParse(v), "must be an http:// or https:// URL")
    // The paths (/models, /chat/completions) are appended to it: a query or fragment would swallow them.
    .refine((v) => !/[?#]/.test(v), "must not have a query (?) or fragment (#)")
    .transform((v) => v.replace(/\/+$/, "")),
  apiKey: z.string().trim().max(4_096, "is too long"),
  model: modelName,
  ...perModelStage(() => modelName),
  teacherModel: modelName,
  timeoutMs: wholeNumber(1, 3_600_000),
  maxRetries: wholeNumber(0, 20),
  backoffMs: wholeNumber(0, 600_000),
} satisfies Record<LlmField, z.ZodType>;

export interface EnvProblem {
  field: LlmField;
  variable: string;
  message: string;
}

/**
 * The environment's values, each validated on its own: a bad variable is reported (without its value, which may
 * be the key) and left out. Empty strings count as unset: `STUDIO_LLM_MODEL_STAGE2=` means "use the default".
 */
/** What the environment says about the LLM: its values, the bad variables, and where judges may live. */
export interface LlmEnv {
  values: LlmValues;
  problems: EnvProblem[];
  /** STUDIO_LLM_ALLOWED_HOSTS: the only hosts (name, or name:port) a base URL may point at; null = any. */
  allowedHosts: string[] | null;
}

export const ALLOWED_HOSTS_ENV = "STUDIO_LLM_ALLOWED_HOSTS";

/** Why `baseURL` may not be used under the allow-list, or null when it may. */
export function hostProblem(baseURL: string, allowedHosts: string[] | null): string | null {
  if (!allowedHosts) return null;
  const url = new URL(baseURL);
  const allowed = allowedHosts.some((entry) => entry === url.host.toLowerCase() || entry === url.hostname.toLowerCase());
  return allowed ? null : `points at ${url.host}, which is not in ${ALLOWED_HOSTS_ENV} (${allowedHosts.join(", ")})`;
}

export function llmEnvValues(env: Record<string, string | undefined> = process.env): LlmEnv {
  const values: Record<string, unknown> = {};
  const problems: EnvProblem[] = [];
  for (const [field, variable] of Object.entries(LLM_ENV) as [LlmField, string][]) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === "") continue;
    const parsed = LLM_FIELD_SCHEMAS[field].safeParse(raw);
    if (parsed.success) values[field] = parsed.data;
    else problems.push({ field, variable, message: `${variable} ${parsed.error.issues[0].message}` });
  }
  const hosts = (env[ALLOWED_HOSTS_ENV] ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  return { values: values as LlmValues, problems, allowedHosts: hosts.length > 0 ? hosts : null };
}

/** What a run whose requests go in files (mode offline) needs of the config: the models, no endpoint or key. */
export type ModelConfig = Omit<LlmConfig, "baseURL" | "apiKey">;

type ConfigProblem = { name: string; message: string };

/**
 * The config in force: each field from the saved settings, else the environment, else the built-in default.
 * A key is only ever sent to the base URL it came with: the environment's key to the environment's base URL, a
 * saved key to the base URL in force when it was saved. A changed URL needs its own key (a key must not follow a
 * changed URL to another server).
 */
export function resolveLlmConfig(env: LlmEnv, saved: SavedLlmValues = {}): LlmConfig {
  const problems = envProblems(env, saved, () => true);
  const baseURL = saved.baseURL ?? env.values.baseURL;
  if (!baseURL && !problems.some((p) => p.name === LLM_ENV.baseURL)) {
    problems.push({ name: LLM_ENV.baseURL, message: `${LLM_ENV.baseURL} is not set (the OpenAI-compatible endpoint, e.g. http://127.0.0.1:4010/v1)` });
  }
  const notAllowed = baseURL ? hostProblem(baseURL, env.allowedHosts) : null;
  if (notAllowed) {
    const name = saved.baseURL ? "baseURL" : LLM_ENV.baseURL;
    problems.push({ name, message: `${saved.baseURL ? "the saved base URL" : LLM_ENV.baseURL} ${notAllowed}` });
  }
  const models = modelsOf(env, saved, problems);
  if (problems.length > 0 || !baseURL || !models) throw configError(problems);
  const apiKey = keyFor(baseURL, env.values, saved);
  return { baseURL, ...(apiKey ? { apiKey } : {}), ...models };
}

/** The models in force, as resolveLlmConfig resolves them, with no endpoint needed (nor checked). */
export function resolveModelConfig(env: LlmEnv, saved: SavedLlmValues = {}): ModelConfig {
  const problems = envProblems(env, saved, (field) => field !== "baseURL" && field !== "apiKey");
  const models = modelsOf(env, saved, problems);
  if (problems.length > 0 || !models) throw configError(problems);
  return models;
}

/** The environment's bad variables of the `wanted` fields that the saved settings do not override. */
function envProblems(env: LlmEnv, saved: SavedLlmValues, wanted: (field: LlmField) => boolean): ConfigProblem[] {
  return env.problems.filter((p) => wanted(p.field) && saved[p.field] === undefined).map((p) => ({ name: p.variable, message: p.message }));
}

/** The model fields in force, or null (a problem added) when no model is set. */
function modelsOf(env: LlmEnv, saved: SavedLlmValues, problems: ConfigProblem[]): ModelConfig | null {
  const pick = <F extends LlmField>(field: F): LlmValues[F] => saved[field] ?? env.values[field];
  const model = pick("model");
  if (!model) {
    if (!problems.some((p) => p.name === LLM_ENV.model)) problems.push({ name: LLM_ENV.model, message: `${LLM_ENV.model} is not set (the model name the endpoint serves)` });
    return null;
  }
  return {
    model,
    stageModels: Object.fromEntries(MODEL_STAGE_IDS.map((id) => [id, pick(stageModelField(id)) ?? model])) as Record<ModelStageId, string>,
    teacherModel: pick("teacherModel") ?? model,
    timeoutMs: pick("timeoutMs") ?? LLM_BUILT_IN.timeoutMs,
    maxRetries: pick("maxRetries") ?? LLM_BUILT_IN.maxRetries,
    backoffMs: pick("backoffMs") ?? LLM_BUILT_IN.backoffMs,
  };
}

function configError(problems: ConfigProblem[]): LlmConfigError {
  return new LlmConfigError(`Invalid LLM configuration: ${problems.map((p) => p.message).join("; ")}`, [...new Set(problems.map((p) => p.name))]);
}

/** The key that may be sent to `baseURL`: the one saved with it, else the environment's if it is the environment's URL. */
export function keyFor(baseURL: string | undefined, env: LlmValues, saved: SavedLlmValues): string | undefined {
  if (saved.apiKey && baseURL === (saved.apiKeyBaseURL ?? env.baseURL)) return saved.apiKey;
  return baseURL === env.baseURL ? env.apiKey : undefined;
}

/** Whether the environment configures an LLM endpoint (the pipeline can run its rules without one). */
export function isLlmConfigured(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.STUDIO_LLM_BASE_URL?.trim());
}

/**
 * The environment's config alone; throws LlmConfigError naming each bad variable. Code that runs the pipeline
 * should use `getLlmConfig()` (lib/settings/llm.ts), which adds the saved settings.
 */
export function loadLlmConfig(env: Record<string, string | undefined> = process.env): LlmConfig {
  return resolveLlmConfig(llmEnvValues(env));
}

/** Who asks: a stage's judge, the judge by default (a stage without a model of its own), or the teacher. */
export type LlmRole = StageId | "judge" | "teacher";

/** The model for a role: a stage with a model of its own uses it, every other judge the judge model. */
export function modelFor(config: ModelConfig, role: LlmRole): string {
  if (role === "teacher") return config.teacherModel;
  if (role === "judge") return config.model;
  return (config.stageModels as Partial<Record<StageId, string>>)[role] ?? config.model;
}

/** What createLlmClient needs, for one role. */
export function clientConfigFor(config: LlmConfig, role: LlmRole): LlmClientConfig {
  return {
    baseURL: config.baseURL,
    apiKey: config.apiKey,
    model: modelFor(config, role),
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    backoffMs: config.backoffMs,
  };
}

/** Said when a judge server answers with a redirect: server-side requests never follow one (it could lead anywhere). */
export const REDIRECT_REFUSED = "the server answered with a redirect, which is not followed: set the base URL to the address it redirects to";

/** A base URL fit to show: any user:password in it hidden. */
export function redactedUrl(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    if (!url.username && !url.password) return baseURL;
    url.username = "redacted";
    url.password = "";
    return url.toString().replace(/\/+$/, "");
  } catch {
    return baseURL;
  }
}

/** The config for display and logs: the key hidden, and any user:password in the URL too. */
export function redactedConfig(config: LlmConfig): Omit<LlmConfig, "apiKey"> & { apiKey: string } {
  return { ...config, baseURL: redactedUrl(config.baseURL), apiKey: config.apiKey ? "(set, hidden)" : "(not set)" };
}
