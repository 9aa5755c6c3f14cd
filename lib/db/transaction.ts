// One transaction on a connection of the shared pool: committed when `work` resolves, rolled back when it throws.
import "server-only";
import type pg from "pg";
import { getPool } from "./client";

export async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await (await getPool()).connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}
