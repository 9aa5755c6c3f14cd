// The saved judge/teacher settings in the `settings` table (key `llm`), and the config in force for new work.
// Worker processes read the config when they build a run's LLM clients; it is cached for a few seconds so a busy
// worker does not ask the database for every chunk, and a save is seen everywhere soon after.
import "server-only";
import { recordAudit } from "@/lib/audit/log";
import { getPool } from "@/lib/db/client";
import { BUILT_IN_FAKE_ENV, isBuiltInFake } from "@/lib/llm/built-in-fake";
import { llmEnvValues, resolveLlmConfig, resolveModelConfig, type LlmConfig, type ModelConfig } from "@/lib/llm/config";
import {
  bindKey,
  readSavedSettings,
  runDefaultsOf,
  savedLlmValues,
  settingsView,
  type ParsedUpdate,
  type RunDefaults,
  type SavedSettings,
  type SettingsSpec,
  type SettingsView,
} from "./llm-settings";
import { POLICY_KEY, POLICY_SPEC, type SavedPolicy } from "./policy-settings";

const KEY = "llm";

/** How long a process keeps the saved settings before reading them again. */
export const SETTINGS_CACHE_MS = 5_000;

interface Stored {
  saved: SavedSettings;
  updatedAt: Date | null;
  updatedBy: string | null;
}

// On globalThis for the same reason as the pool (lib/db/client.ts): Next's dev server re-evaluates modules.
const cache = globalThis as { __studioSettings?: { at: number; value: Promise<Stored> } };

async function readStored(key = KEY, fields?: SettingsSpec["fields"]): Promise<Stored> {
  const pool = await getPool();
  const { rows } = await pool.query<{ value: unknown; updated_at: Date; updated_by: string | null }>(
    `SELECT value, updated_at, updated_by FROM settings WHERE key = $1`,
    [key],
  );
  const row = rows[0];
  return row ? { saved: readSavedSettings(row.value, fields), updatedAt: row.updated_at, updatedBy: row.updated_by } : { saved: {}, updatedAt: null, updatedBy: null };
}

/** The saved settings, at most SETTINGS_CACHE_MS old. */
function cachedStored(): Promise<Stored> {
  const entry = cache.__studioSettings;
  if (entry && Date.now() - entry.at < SETTINGS_CACHE_MS) return entry.value;
  const value = readStored();
  cache.__studioSettings = { at: Date.now(), value };
  // A failed read must not be served from the cache.
  value.catch(() => {
    if (cache.__studioSettings?.value === value) cache.__studioSettings = undefined;
  });
  return value;
}

/** Forgets the cached settings (after a save in this process, and in tests). */
export function forgetCachedSettings(): void {
  cache.__studioSettings = undefined;
}

/** The LLM config new work uses: saved settings over the environment. Throws LlmConfigError when incomplete. */
export async function getLlmConfig(env: Record<string, string | undefined> = process.env): Promise<LlmConfig> {
  const { saved } = await cachedStored();
  return resolveLlmConfig(llmEnvValues(env), savedLlmValues(saved));
}

/** The models in force (saved settings over the environment), no endpoint needed: a run in mode offline. Throws LlmConfigError without a model. */
export async function getModelConfig(env: Record<string, string | undefined> = process.env): Promise<ModelConfig> {
  const { saved } = await cachedStored();
  return resolveModelConfig(llmEnvValues(env), savedLlmValues(saved));
}

/** Whether an LLM endpoint is configured, by the settings page or the environment. */
export async function isLlmAvailable(env: Record<string, string | undefined> = process.env): Promise<boolean> {
  const { saved } = await cachedStored();
  return Boolean(saved.baseURL ?? llmEnvValues(env).values.baseURL);
}

/** Concurrency, rate limit and regeneration attempts a new run starts with. */
export async function getRunDefaults(): Promise<RunDefaults> {
  return runDefaultsOf((await cachedStored()).saved);
}

/** The saved settings, fresh from the database. */
export async function getStoredSettings(): Promise<SavedSettings> {
  return (await readStored()).saved;
}

/** What the settings page shows (fresh from the database: the page must show what was just saved). */
export async function getSettingsView(env: Record<string, string | undefined> = process.env): Promise<SettingsView> {
  const stored = await readStored();
  return settingsView(llmEnvValues(env), stored.saved, stored);
}

/**
 * Applies a validated update in one statement: the set fields merged over the stored ones, the cleared ones
 * removed, so two people saving different fields at the same time both keep their change.
 */
export async function saveSettings(
  update: Extract<ParsedUpdate, { ok: true }>,
  author: string,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  await writeSettings(KEY, update, author, llmEnvValues(env).values.baseURL);
}

/** The policy model's saved settings (lib/settings/policy-settings.ts), fresh from the database. */
export async function getPolicySettings(): Promise<SavedPolicy> {
  return (await readStored(POLICY_KEY, POLICY_SPEC.fields)).saved;
}

/** Saves the policy model's settings as the judge's are saved (its key bound to its own base URL; none from the environment). */
export async function savePolicySettings(update: Extract<ParsedUpdate, { ok: true }>, author: string): Promise<void> {
  await writeSettings(POLICY_KEY, update, author, undefined);
}

async function writeSettings(key: string, update: Extract<ParsedUpdate, { ok: true }>, author: string, envBaseURL: string | undefined): Promise<void> {
  const pool = await getPool();
  // A new key is stored with the base URL it is saved for: it is only ever sent there (lib/llm/config.ts keyFor).
  const stored = bindKey((await readStored(key)).saved, update, envBaseURL);
  await pool.query(
    `INSERT INTO settings (key, value, updated_by, updated_at) VALUES ($1, $2::jsonb - $3::text[], $4, now())
     ON CONFLICT (key) DO UPDATE SET value = (settings.value || $2::jsonb) - $3::text[], updated_by = $4, updated_at = now()`,
    [key, JSON.stringify(stored.set), stored.clear, author],
  );
  forgetCachedSettings();
  // The key itself never goes into the log: only that it was set or cleared.
  const shown = Object.fromEntries(Object.entries(update.set).map(([field, value]) => [field, field === "apiKey" ? "(set)" : value]));
  await recordAudit({
    actor: author,
    action: "settings.change",
    target: { type: "settings", id: key },
    summary: `Changed ${[...Object.keys(update.set), ...update.clear].join(", ") || "nothing"}`,
    after: { set: shown, cleared: update.clear },
  });
}

/** Removes every saved setting: the environment's values apply again. */
export async function resetSettings(actor: string): Promise<void> {
  const pool = await getPool();
  await pool.query(`DELETE FROM settings WHERE key = $1`, [KEY]);
  forgetCachedSettings();
  await recordAudit({ actor, action: "settings.reset", target: { type: "settings", id: KEY }, summary: "Reset every saved setting to the environment's defaults" });
}

/**
 * Whether the judge in force is the built-in fake LLM (lib/llm/built-in-fake.ts). Every page asks: with the
 * database unreachable, the environment alone answers (the page says what failed; its frame still shows).
 */
export async function isBuiltInFakeInForce(env: Record<string, string | undefined> = process.env): Promise<boolean> {
  if (env[BUILT_IN_FAKE_ENV] !== "1") return false;
  const saved = await cachedStored().then((s) => s.saved.baseURL, () => undefined);
  return isBuiltInFake(saved, env);
}
