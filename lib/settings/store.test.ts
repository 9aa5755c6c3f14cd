// Saved settings on the real database: saving, merging concurrent saves, clearing, the short cache, and a full
// pipeline chunk that builds its judge and teacher from the saved settings (against the fake LLM).
import { useOwnDatabase } from "@/test/own-database";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { processChunk } from "@/lib/jobs/pipeline-chunk";
import { startFakeLlm, type FakeLlm } from "@/lib/llm/fake-server";
import { seedDataset } from "@/test/seed";
import { parseSettingsUpdate } from "./llm-settings";
import { SETTINGS_CACHE_MS, forgetCachedSettings, getLlmConfig, getRunDefaults, getSettingsView, resetSettings, saveSettings } from "./store";

// Saved settings apply to every process on a database: this file gets its own, so other test files never run
// with its settings.
const ownDatabase = await useOwnDatabase("settings");

const ENV_KEY = "sk-env-key-for-settings-test";
let llm: FakeLlm;
let env: Record<string, string>;

beforeAll(async () => {
  llm = await startFakeLlm({ latencyMs: 0 });
  env = { STUDIO_LLM_BASE_URL: llm.url, STUDIO_LLM_MODEL: "env-judge", STUDIO_LLM_API_KEY: ENV_KEY, STUDIO_LLM_MAX_RETRIES: "0" };
  Object.assign(process.env, env);
});
afterAll(async () => {
  await closeDb();
  await ownDatabase.drop();
  await llm.close();
  for (const name of Object.keys(env)) delete process.env[name];
});

async function save(input: object, author = "human:ann") {
  const parsed = parseSettingsUpdate(input);
  if (!parsed.ok) throw new Error(parsed.message);
  await saveSettings(parsed, author);
}

describe("saved settings", () => {
  it("start empty: the environment is in force", async () => {
    await resetSettings("human:test-admin");
    const view = await getSettingsView();
    expect(view.fields.model).toEqual({ saved: null, default: "env-judge", defaultFrom: "STUDIO_LLM_MODEL" });
    expect(view.updatedAt).toBeNull();
    expect(await getLlmConfig()).toMatchObject({ baseURL: llm.url, model: "env-judge", apiKey: ENV_KEY });
    expect(await getRunDefaults()).toEqual({ concurrency: 16, requestsPerMinute: null, maxRegenerations: 3 });
  });

  it("keep both of two saves of different fields, clear a field on null, and never show the key", async () => {
    await resetSettings("human:test-admin");
    await save({ model: "saved-judge", apiKey: "sk-saved-1" }, "human:ann");
    await save({ concurrency: 3, requestsPerMinute: 90 }, "human:bob");
    let view = await getSettingsView();
    expect(view.fields.model.saved).toBe("saved-judge");
    expect(view.fields.concurrency.saved).toBe(3);
    expect(view.apiKey).toEqual({ saved: true, environment: true, inUse: "saved", savedFor: null });
    expect(view.updatedBy).toBe("human:bob");
    expect(JSON.stringify(view)).not.toContain("sk-saved-1");
    expect(JSON.stringify(view)).not.toContain(ENV_KEY);
    expect(await getLlmConfig()).toMatchObject({ model: "saved-judge", apiKey: "sk-saved-1" });
    expect(await getRunDefaults()).toEqual({ concurrency: 3, requestsPerMinute: 90, maxRegenerations: 3 });

    await save({ apiKey: null, model: "" });
    view = await getSettingsView();
    expect(view.fields.model.saved).toBeNull();
    expect(view.apiKey.inUse).toBe("environment");
    expect(view.fields.concurrency.saved).toBe(3);
    expect(await getLlmConfig()).toMatchObject({ model: "env-judge", apiKey: ENV_KEY });
  });

  it("send a saved key only to the base URL it was saved with: a new URL needs the key typed with it", async () => {
    await resetSettings("human:test-admin");
    await save({ apiKey: "sk-saved-2" });
    expect(await getLlmConfig()).toMatchObject({ baseURL: llm.url, apiKey: "sk-saved-2" });

    await save({ baseURL: "http://127.0.0.1:9/v1" });
    const config = await getLlmConfig();
    expect(config.baseURL).toBe("http://127.0.0.1:9/v1");
    expect(config.apiKey).toBeUndefined();
    expect((await getSettingsView()).apiKey).toMatchObject({ saved: true, inUse: "none", savedFor: llm.url });

    await save({ baseURL: "http://127.0.0.1:9/v1", apiKey: "sk-for-port-9" });
    expect(await getLlmConfig()).toMatchObject({ baseURL: "http://127.0.0.1:9/v1", apiKey: "sk-for-port-9" });
    // Back to the environment's URL: its own key again, not the one typed for port 9.
    await save({ baseURL: null });
    expect(await getLlmConfig()).toMatchObject({ baseURL: llm.url, apiKey: ENV_KEY });
  });

  it("are read again after a few seconds when another process saves them", async () => {
    await resetSettings("human:test-admin");
    expect((await getLlmConfig()).teacherModel).toBe("env-judge");
    // Another process's save: this process's cache does not know about it yet.
    await (await getPool()).query(`INSERT INTO settings (key, value) VALUES ('llm', '{"teacherModel": "elsewhere"}')`);
    expect((await getLlmConfig()).teacherModel).toBe("env-judge");
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + SETTINGS_CACHE_MS + 1);
    try {
      expect((await getLlmConfig()).teacherModel).toBe("elsewhere");
    } finally {
      vi.restoreAllMocks();
      forgetCachedSettings();
    }
  });
});

describe("a full run after saving settings", () => {
  it("judges each stage and regenerates with the saved models", async () => {
    await resetSettings("human:test-admin");
    await save({ stage2Model: "saved-stage2", stage4Model: "saved-stage4", teacherModel: "saved-teacher" });
    const { datasetId, ids } = await seedDataset([{}, {}]);
    const pool = await getPool();
    const run = await pool.query<{ id: number }>(
      `INSERT INTO pipeline_runs (dataset_id, stages, concurrency, max_regenerations, total) VALUES ($1, 'all', 2, 1, $2) RETURNING id`,
      [datasetId, ids.length],
    );
    const runId = run.rows[0].id;
    await pool.query(`INSERT INTO pipeline_run_samples (run_id, sample_id, sample_version) SELECT $1, unnest($2::int[]), 1`, [runId, ids]);

    await processChunk({ runId, sampleIds: ids });

    const verdicts = await pool.query<{ stage: number; decided_by: string }>(
      `SELECT DISTINCT stage, decided_by FROM stage_verdicts WHERE run_id = $1 AND decided_by LIKE 'llm:%' ORDER BY stage`,
      [runId],
    );
    expect(verdicts.rows).toEqual([
      { stage: 2, decided_by: "llm:saved-stage2" },
      { stage: 3, decided_by: "llm:env-judge" },
      { stage: 4, decided_by: "llm:saved-stage4" },
    ]);
    const authors = await pool.query<{ author: string }>(`SELECT DISTINCT author FROM sample_revisions WHERE run_id = $1`, [runId]);
    expect(authors.rows).toEqual([{ author: "llm:saved-teacher" }]);
    const statuses = await pool.query<{ status: string }>(`SELECT DISTINCT status::text FROM samples WHERE id = ANY($1::int[])`, [ids]);
    expect(statuses.rows).toEqual([{ status: "passed" }]);
  });
});
