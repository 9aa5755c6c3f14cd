// LLM settings from the environment, validated once, with errors that name the variable to fix.
// The API key is a secret: nothing here prints it; show `redactedConfig()` instead of the config itself.
import { z } from "zod";
import type { LlmClientConfig } from "./client";

export interface LlmConfig {
  baseURL: string;
  apiKey?: string;
  /** Default model for every judge. */
  model: string;
  /** Per-stage judge models (each falls back to `model`). */
  stageModels: { 2: string; 3: string; 4: string };
  /** The teacher (CoT generation, answer regeneration); falls back to `model`. */
  teacherModel: string;
  timeoutMs: number;
  maxRetries: number;
  backoffMs: number;
}

/** The variables this file reads, for docs and error messages. */
export const LLM_ENV_VARS = [
  "STUDIO_LLM_BASE_URL",
  "STUDIO_LLM_API_KEY",
  "STUDIO_LLM_MODEL",
  "STUDIO_LLM_MODEL_STAGE2",
  "STUDIO_LLM_MODEL_STAGE3",
  "STUDIO_LLM_MODEL_STAGE4",
  "STUDIO_LLM_TEACHER_MODEL",
  "STUDIO_LLM_TIMEOUT_MS",
  "STUDIO_LLM_MAX_RETRIES",
  "STUDIO_LLM_BACKOFF_MS",
] as const;

export class LlmConfigError extends Error {
  constructor(
    message: string,
    /** The variables at fault. */
    readonly variables: string[],
  ) {
    super(message);
    this.name = "LlmConfigError";
  }
}

// Empty strings count as unset: `STUDIO_LLM_MODEL_STAGE2=` in a .env file means "use the default".
const optionalText = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().optional());
const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce
      .number({ message: "must be a whole number" })
      .int("must be a whole number")
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );

// Keys are the variable names, so every zod issue path names the variable.
const envSchema = z.object({
  STUDIO_LLM_BASE_URL: z
    .string({ message: "is not set (the OpenAI-compatible endpoint, e.g. http://127.0.0.1:4010/v1)" })
    .trim()
    .refine((v) => /^https?:\/\/[^/\s]+/.test(v) && URL.canParse(v), "must be an http:// or https:// URL"),
  STUDIO_LLM_API_KEY: optionalText,
  STUDIO_LLM_MODEL: z.string({ message: "is not set (the model name the endpoint serves)" }).trim().min(1, "is empty"),
  STUDIO_LLM_MODEL_STAGE2: optionalText,
  STUDIO_LLM_MODEL_STAGE3: optionalText,
  STUDIO_LLM_MODEL_STAGE4: optionalText,
  STUDIO_LLM_TEACHER_MODEL: optionalText,
  STUDIO_LLM_TIMEOUT_MS: integer(1, 3_600_000, 60_000),
  STUDIO_LLM_MAX_RETRIES: integer(0, 20, 3),
  STUDIO_LLM_BACKOFF_MS: integer(0, 600_000, 500),
});

/** Whether an LLM endpoint is configured at all (the pipeline can run its rules without one). */
export function isLlmConfigured(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.STUDIO_LLM_BASE_URL?.trim());
}

/** Reads and validates the STUDIO_LLM_* variables; throws LlmConfigError naming each bad variable. */
export function loadLlmConfig(env: Record<string, string | undefined> = process.env): LlmConfig {
  const picked = Object.fromEntries(LLM_ENV_VARS.map((name) => [name, env[name]]));
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    // Never echo the received values: one of them may be the key.
    const problems = parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`);
    const variables = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    throw new LlmConfigError(`Invalid LLM configuration: ${problems.join("; ")}`, variables);
  }
  const e = parsed.data;
  return {
    baseURL: e.STUDIO_LLM_BASE_URL.replace(/\/+$/, ""),
    ...(e.STUDIO_LLM_API_KEY ? { apiKey: e.STUDIO_LLM_API_KEY } : {}),
    model: e.STUDIO_LLM_MODEL,
    stageModels: {
      2: e.STUDIO_LLM_MODEL_STAGE2 ?? e.STUDIO_LLM_MODEL,
      3: e.STUDIO_LLM_MODEL_STAGE3 ?? e.STUDIO_LLM_MODEL,
      4: e.STUDIO_LLM_MODEL_STAGE4 ?? e.STUDIO_LLM_MODEL,
    },
    teacherModel: e.STUDIO_LLM_TEACHER_MODEL ?? e.STUDIO_LLM_MODEL,
    timeoutMs: e.STUDIO_LLM_TIMEOUT_MS,
    maxRetries: e.STUDIO_LLM_MAX_RETRIES,
    backoffMs: e.STUDIO_LLM_BACKOFF_MS,
  };
}

/** The model for a role: stage 1's rare classification uses the default model. */
export function modelFor(config: LlmConfig, role: 1 | 2 | 3 | 4 | "teacher"): string {
  if (role === "teacher") return config.teacherModel;
  return role === 1 ? config.model : config.stageModels[role];
}

/** What createLlmClient needs, for one role. */
export function clientConfigFor(config: LlmConfig, role: 1 | 2 | 3 | 4 | "teacher"): LlmClientConfig {
  return {
    baseURL: config.baseURL,
    apiKey: config.apiKey,
    model: modelFor(config, role),
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    backoffMs: config.backoffMs,
  };
}

/** The config for display and logs: the key hidden, and any user:password in the URL too. */
export function redactedConfig(config: LlmConfig): Omit<LlmConfig, "apiKey"> & { apiKey: string } {
  let baseURL = config.baseURL;
  try {
    const url = new URL(config.baseURL);
    if (url.username || url.password) {
      url.username = "redacted";
      url.password = "";
      baseURL = url.toString().replace(/\/+$/, "");
    }
  } catch {
    // validated already; keep as is
  }
  return { ...config, baseURL, apiKey: config.apiKey ? "(set, hidden)" : "(not set)" };
}
