// The judge panels saved on the Settings page (settings key `judge-panels`, lib/judges/panels.ts says what they are).
// Read fresh each time: a run's worker reads them once when it takes the run up, the page after every save.
import "server-only";
import { recordAudit } from "@/lib/audit/log";
import { getPool } from "@/lib/db/client";
import { InvalidRequestError } from "@/lib/errors";
import { applyPanelsUpdate, panelHostProblems, panelsView, readSavedPanels, type PanelsUpdate, type PanelView, type SavedPanel } from "@/lib/judges/panels";
import { llmEnvValues } from "@/lib/llm/config";

const KEY = "judge-panels";

export async function getJudgePanels(): Promise<SavedPanel[]> {
  const pool = await getPool();
  const { rows } = await pool.query<{ value: unknown }>(`SELECT value FROM settings WHERE key = $1`, [KEY]);
  return readSavedPanels(rows[0]?.value);
}

export async function getJudgePanelsView(): Promise<PanelView[]> {
  return panelsView(await getJudgePanels());
}

/**
 * Replaces the saved panels with the update (new keys bound to their member's base URL, kept keys only where that URL
 * did not change), audited without any key. A base URL STUDIO_LLM_ALLOWED_HOSTS does not allow is a 400 naming it.
 */
export async function saveJudgePanels(update: PanelsUpdate, author: string, env: Record<string, string | undefined> = process.env): Promise<void> {
  const problems = panelHostProblems(update, llmEnvValues(env).allowedHosts);
  if (Object.keys(problems).length > 0) throw new InvalidRequestError(Object.values(problems).join("; "), { fields: problems });
  const pool = await getPool();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Locked, so two saves at once each keep the keys of what they read.
    const current = await client.query<{ value: unknown }>(`SELECT value FROM settings WHERE key = $1 FOR UPDATE`, [KEY]);
    const before = readSavedPanels(current.rows[0]?.value);
    const panels = applyPanelsUpdate(before, update);
    await client.query(
      `INSERT INTO settings (key, value, updated_by, updated_at) VALUES ($1, $2::jsonb, $3, now())
       ON CONFLICT (key) DO UPDATE SET value = $2::jsonb, updated_by = $3, updated_at = now()`,
      [KEY, JSON.stringify({ panels }), author],
    );
    await recordAudit(
      {
        actor: author,
        action: "settings.panels",
        target: { type: "settings", id: KEY },
        summary: `Saved ${panels.length} judge panel${panels.length === 1 ? "" : "s"}${panels.length ? `: ${panels.map((p) => p.name).join(", ")}` : ""}`,
        before: { panels: panelsView(before) },
        after: { panels: panelsView(panels) },
      },
      client,
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
