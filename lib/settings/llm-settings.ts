// The judge and teacher settings edited on /settings: what is saved, how an update is validated, and what the
// browser may see. Pure (no database): lib/settings/store.ts reads and writes them.
//
// Every field is optional: unset means "the default", which is the STUDIO_LLM_* environment variable (or a
// built-in value). The API key is write-only: the browser learns whether one is set, never the key itself.
import { z } from "zod";
import { InvalidRequestError } from "@/lib/errors";
import {
  hostProblem,
  keyFor,
  llmEnvValues,
  LLM_BUILT_IN,
  LLM_ENV,
  LLM_FIELD_SCHEMAS,
  redactedUrl,
  wholeNumber,
  type LlmEnv,
  type LlmField,
  type LlmValues,
  type SavedLlmValues,
  type StageModelField,
} from "@/lib/llm/config";
import { MODEL_STAGE_IDS, stageModelField, stageModelLabel } from "@/lib/pipeline/stage-registry";

/** Defaults of a new run (the runs form, the worker's rate limit) when nothing is saved. */
export const RUN_BUILT_IN = { concurrency: 16, requestsPerMinute: null, maxRegenerations: 3 } as const;

export interface RunDefaults {
  concurrency: number;
  /** Judge and teacher requests per minute per worker process; null = unlimited. */
  requestsPerMinute: number | null;
  maxRegenerations: number;
}

// The same bounds as a run's own options (lib/runs/create-run.ts).
const RUN_FIELD_SCHEMAS = {
  concurrency: wholeNumber(1, 1024),
  requestsPerMinute: wholeNumber(1, 100_000),
  maxRegenerations: wholeNumber(0, 20),
};

/** The fields the settings page edits (the backoff stays an environment-only tuning knob). */
export const SETTING_FIELDS = [
  "baseURL",
  "apiKey",
  "model",
  ...MODEL_STAGE_IDS.map(stageModelField),
  "teacherModel",
  "timeoutMs",
  "maxRetries",
  "requestsPerMinute",
  "concurrency",
  "maxRegenerations",
] as const;
export type SettingField = (typeof SETTING_FIELDS)[number];
type RunField = keyof typeof RUN_FIELD_SCHEMAS;
type PlainField = Exclude<SettingField, "apiKey">;

const FIELD_SCHEMAS: Record<SettingField, z.ZodType> = { ...LLM_FIELD_SCHEMAS, ...RUN_FIELD_SCHEMAS };

/** How each field is named to people (errors, the form). */
export const SETTING_LABELS: Record<SettingField, string> = {
  baseURL: "Base URL",
  apiKey: "API key",
  model: "Judge model",
  ...(Object.fromEntries(MODEL_STAGE_IDS.map((id) => [stageModelField(id), stageModelLabel(id)])) as Record<StageModelField, string>),
  teacherModel: "Teacher model",
  timeoutMs: "Timeout",
  maxRetries: "Retries",
  requestsPerMinute: "Rate limit",
  concurrency: "Concurrency",
  maxRegenerations: "Regeneration attempts",
};

/** What the settings table holds under key `llm` (with the key, the base URL it belongs to: never set from a form). */
export type SavedSettings = Partial<Pick<SavedLlmValues, Exclude<SettingField, RunField> | "apiKeyBaseURL">> & Partial<Record<RunField, number>>;

/**
 * A stored value as saved earlier: each field checked on its own, so one field that no longer validates (the
 * rules changed) falls back to its default instead of breaking the others. Returns the good fields.
 */
export function readSavedSettings(stored: unknown, fields: readonly SettingField[] = SETTING_FIELDS): SavedSettings {
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) return {};
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = (stored as Record<string, unknown>)[field];
    if (value === undefined || value === null || value === "") continue;
    const parsed = FIELD_SCHEMAS[field].safeParse(value);
    if (parsed.success) out[field] = parsed.data;
  }
  if (out.apiKey) {
    // A key saved before keys were bound belongs to the base URL saved with it (or, without one, the environment's).
    const boundTo = LLM_FIELD_SCHEMAS.baseURL.safeParse((stored as Record<string, unknown>).apiKeyBaseURL ?? out.baseURL);
    if (boundTo.success) out.apiKeyBaseURL = boundTo.data;
  }
  return out as SavedSettings;
}

/** An update: a field left out is kept, `null` or "" clears it (back to the default), a value replaces it. */
export type SettingsUpdate = Partial<Record<SettingField, string | number | null>>;

export type ParsedUpdate =
  | { ok: true; set: SavedSettings; clear: SettingField[] }
  | { ok: false; fields: Partial<Record<SettingField, string>>; message: string };

const updateShape = z.record(z.string(), z.unknown());

/** A settings update as a route reads it: a JSON object of fields (parseSettingsUpdate checks each one). */
export const SettingsBody = z.record(z.string(), z.unknown(), { error: "the settings must be a JSON object" });

/** The update, or a 400 that names every bad field. */
export function requireSettingsUpdate(body: unknown, spec: SettingsSpec = JUDGE_SPEC): Extract<ParsedUpdate, { ok: true }> {
  const update = parseSettingsUpdate(body, undefined, spec);
  if (!update.ok) throw new InvalidRequestError(update.message, { fields: update.fields });
  return update;
}

/** Which fields an update may carry and how they are named: the judge settings' by default, or a part of them. */
export interface SettingsSpec {
  fields: readonly SettingField[];
  labels: Partial<Record<SettingField, string>>;
}
const JUDGE_SPEC: SettingsSpec = { fields: SETTING_FIELDS, labels: SETTING_LABELS };

/**
 * Validates an update from the browser or the API; every bad field gets its own message (never its value). A base
 * URL must point at a host STUDIO_LLM_ALLOWED_HOSTS allows, when it is set.
 */
export function parseSettingsUpdate(input: unknown, allowedHosts: string[] | null = llmEnvValues().allowedHosts, spec: SettingsSpec = JUDGE_SPEC): ParsedUpdate {
  const shape = updateShape.safeParse(input);
  if (!shape.success) return { ok: false, fields: {}, message: "the settings must be a JSON object" };
  const set: Record<string, unknown> = {};
  const clear: SettingField[] = [];
  const fields: Partial<Record<SettingField, string>> = {};
  const unknown = Object.keys(shape.data).filter((key) => !(spec.fields as readonly string[]).includes(key));
  for (const field of spec.fields) {
    if (!(field in shape.data)) continue;
    const value = shape.data[field];
    if (value === null || (typeof value === "string" && value.trim() === "")) {
      clear.push(field);
      continue;
    }
    if (typeof value !== "string" && typeof value !== "number") {
      fields[field] = "must be text or a number";
      continue;
    }
    const parsed = FIELD_SCHEMAS[field].safeParse(value);
    if (!parsed.success) {
      fields[field] = parsed.error.issues[0].message;
      continue;
    }
    const problem = field === "baseURL" ? hostProblem(parsed.data as string, allowedHosts) : null;
    if (problem) fields[field] = problem;
    else set[field] = parsed.data;
  }
  const problems = Object.entries(fields).map(([field, message]) => `${spec.labels[field as SettingField]} ${message}`);
  if (unknown.length > 0) problems.push(`unknown setting${unknown.length > 1 ? "s" : ""}: ${unknown.slice(0, 5).join(", ")}`);
  if (problems.length > 0) return { ok: false, fields, message: problems.join("; ") };
  return { ok: true, set: set as SavedSettings, clear };
}

/** An update as stored: set fields merged over the saved ones, cleared ones removed. */
export interface StoredUpdate {
  set: SavedSettings;
  clear: (keyof SavedSettings)[];
}

/**
 * The update with the key bound to the base URL it is typed with (the one in force after the update): a saved
 * key is only ever sent there, so pointing the settings at another URL later needs the key typed again.
 */
export function bindKey(saved: SavedSettings, update: Extract<ParsedUpdate, { ok: true }>, envBaseURL: string | undefined): StoredUpdate {
  if (update.clear.includes("apiKey")) return { set: update.set, clear: [...update.clear, "apiKeyBaseURL"] };
  if (update.set.apiKey === undefined) return update;
  const baseURL = update.set.baseURL ?? (update.clear.includes("baseURL") ? undefined : saved.baseURL) ?? envBaseURL;
  return baseURL ? { set: { ...update.set, apiKeyBaseURL: baseURL }, clear: update.clear } : { set: update.set, clear: [...update.clear, "apiKeyBaseURL"] };
}

/** The saved settings after an update (what store.ts writes in one statement, computed here for tests and previews). */
export function applyUpdate(saved: SavedSettings, update: StoredUpdate): SavedSettings {
  const next: Record<string, unknown> = { ...saved, ...update.set };
  for (const field of update.clear) delete next[field];
  return next as SavedSettings;
}

/** The LLM half of the saved settings, for resolveLlmConfig. */
export function savedLlmValues(saved: SavedSettings): SavedLlmValues {
  return Object.fromEntries(Object.entries(saved).filter(([field]) => !(field in RUN_FIELD_SCHEMAS)));
}

export function runDefaultsOf(saved: SavedSettings): RunDefaults {
  return {
    concurrency: saved.concurrency ?? RUN_BUILT_IN.concurrency,
    requestsPerMinute: saved.requestsPerMinute ?? RUN_BUILT_IN.requestsPerMinute,
    maxRegenerations: saved.maxRegenerations ?? RUN_BUILT_IN.maxRegenerations,
  };
}

/** One field as the page shows it: the saved value (if any) and the default that applies without it. */
export interface FieldView {
  saved: string | number | null;
  /** null: no default (the field is needed, or unlimited for the rate limit). */
  default: string | number | null;
  /** Where the default comes from: an environment variable's name, another field, or "built-in". */
  defaultFrom: string;
}

/** Everything the browser gets about the settings. By construction it has no field that can hold the key. */
export interface SettingsView {
  fields: Record<PlainField, FieldView>;
  apiKey: {
    /** A key is saved on the settings page. */
    saved: boolean;
    /** STUDIO_LLM_API_KEY is set. */
    environment: boolean;
    /** The key requests use now: the saved one, the environment's, or none. */
    inUse: "saved" | "environment" | "none";
    /** The base URL the saved key belongs to (shown redacted), when it is not the one in force. */
    savedFor: string | null;
  };
  /** Environment variables that are set but invalid (named, never shown). */
  environmentProblems: string[];
  updatedAt: string | null;
  updatedBy: string | null;
}

export function settingsView(
  env: Pick<LlmEnv, "values" | "problems">,
  saved: SavedSettings,
  meta: { updatedAt: Date | null; updatedBy: string | null } = { updatedAt: null, updatedBy: null },
): SettingsView {
  const envField = (field: LlmField): FieldView["default"] => env.values[field] ?? null;
  const modelDefault = (field: StageModelField | "teacherModel"): Pick<FieldView, "default" | "defaultFrom"> =>
    env.values[field] !== undefined
      ? { default: env.values[field], defaultFrom: LLM_ENV[field] }
      : { default: saved.model ?? env.values.model ?? null, defaultFrom: "the judge model" };
  const fromEnv = (field: LlmField, builtIn?: number): Pick<FieldView, "default" | "defaultFrom"> =>
    env.values[field] !== undefined || builtIn === undefined
      ? { default: envField(field), defaultFrom: LLM_ENV[field] }
      : { default: builtIn, defaultFrom: "built-in" };
  const builtIn = (value: number | null): Pick<FieldView, "default" | "defaultFrom"> => ({ default: value, defaultFrom: "built-in" });
  const defaults: Record<PlainField, Pick<FieldView, "default" | "defaultFrom">> = {
    baseURL: fromEnv("baseURL"),
    model: fromEnv("model"),
    ...(Object.fromEntries(MODEL_STAGE_IDS.map((id) => [stageModelField(id), modelDefault(stageModelField(id))])) as Record<StageModelField, ReturnType<typeof modelDefault>>),
    teacherModel: modelDefault("teacherModel"),
    timeoutMs: fromEnv("timeoutMs", LLM_BUILT_IN.timeoutMs),
    maxRetries: fromEnv("maxRetries", LLM_BUILT_IN.maxRetries),
    requestsPerMinute: builtIn(RUN_BUILT_IN.requestsPerMinute),
    concurrency: builtIn(RUN_BUILT_IN.concurrency),
    maxRegenerations: builtIn(RUN_BUILT_IN.maxRegenerations),
  };
  const fields = Object.fromEntries(
    (Object.keys(defaults) as PlainField[]).map((field) => [field, { saved: saved[field] ?? null, ...defaults[field] }]),
  ) as Record<PlainField, FieldView>;
  const baseURL = saved.baseURL ?? env.values.baseURL;
  const key = keyFor(baseURL, env.values, saved);
  const savedFor = saved.apiKey && key !== saved.apiKey ? (saved.apiKeyBaseURL ?? env.values.baseURL ?? null) : null;
  return {
    fields,
    apiKey: {
      saved: Boolean(saved.apiKey),
      environment: Boolean(env.values.apiKey),
      inUse: !key ? "none" : key === saved.apiKey ? "saved" : "environment",
      savedFor: savedFor && redactedUrl(savedFor),
    },
    environmentProblems: env.problems.map((p) => p.message),
    updatedAt: meta.updatedAt ? meta.updatedAt.toISOString() : null,
    updatedBy: meta.updatedBy,
  };
}
