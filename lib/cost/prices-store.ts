// The model prices saved on the Settings page (settings key `model-prices`): read fresh each time (a run's cost is
// shown at the prices in force, not the ones of the day it ran).
import "server-only";
import { recordAudit } from "@/lib/audit/log";
import { getPool } from "@/lib/db/client";
import { readSavedPrices, type ModelPrice, type PricesUpdate } from "./prices";

const KEY = "model-prices";

export async function getModelPrices(): Promise<ModelPrice[]> {
  const pool = await getPool();
  const { rows } = await pool.query<{ value: unknown }>(`SELECT value FROM settings WHERE key = $1`, [KEY]);
  return readSavedPrices(rows[0]?.value);
}

/** Replaces every saved price (a model left out has none), audited with the prices before and after. */
export async function saveModelPrices(update: PricesUpdate, author: string): Promise<ModelPrice[]> {
  const pool = await getPool();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const current = await client.query<{ value: unknown }>(`SELECT value FROM settings WHERE key = $1 FOR UPDATE`, [KEY]);
    await client.query(
      `INSERT INTO settings (key, value, updated_by, updated_at) VALUES ($1, $2::jsonb, $3, now())
       ON CONFLICT (key) DO UPDATE SET value = $2::jsonb, updated_by = $3, updated_at = now()`,
      [KEY, JSON.stringify({ prices: update.prices }), author],
    );
    await recordAudit(
      {
        actor: author,
        action: "settings.prices",
        target: { type: "settings", id: KEY },
        summary: `Saved the prices of ${update.prices.length} model${update.prices.length === 1 ? "" : "s"}`,
        before: { prices: readSavedPrices(current.rows[0]?.value) },
        after: { prices: update.prices },
      },
      client,
    );
    await client.query("COMMIT");
    return update.prices;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
