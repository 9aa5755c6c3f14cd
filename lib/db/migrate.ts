// Applies prisma/migrations/<timestamp>_<name>/migration.sql ourselves: Prisma's native schema engine, which
// `prisma migrate deploy` needs, cannot be downloaded on these machines. The bookkeeping table is Prisma's own
// `_prisma_migrations`, written the way Prisma writes it, so `prisma migrate status|deploy` keep working wherever
// that engine exists.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { upgradeCutConversations } from "@/lib/samples/conversation-upgrade";

/**
 * The project folder: the nearest ancestor of the working directory holding prisma/schema.prisma. Resolved from
 * process.cwd() rather than import.meta.url because under `next start` this code runs from a bundle in .next/server.
 */
export function projectRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "prisma", "schema.prisma"))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** STUDIO_MIGRATIONS_DIR if set, else <project>/prisma/migrations. */
export function migrationsDir(): string {
  const override = process.env.STUDIO_MIGRATIONS_DIR;
  return override ? path.resolve(override) : path.join(projectRoot(), "prisma", "migrations");
}

export interface LocalMigration {
  /** The folder name, e.g. 20261125000000_init: what Prisma stores as migration_name. */
  name: string;
  file: string;
  sql: string;
  /** sha256 hex of the file's bytes, as Prisma computes it. */
  checksum: string;
}

/** The migrations on disk, in the order Prisma applies them (folder names sort by their timestamp prefix). */
export function readMigrations(dir: string = migrationsDir()): LocalMigration[] {
  if (!existsSync(dir)) throw new Error(`no migrations folder at ${dir} (set STUDIO_MIGRATIONS_DIR to point at one)`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!existsSync(file)) throw new Error(`migration folder ${path.join(dir, name)} has no migration.sql`);
      const bytes = readFileSync(file);
      return { name, file, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

/**
 * What some migrations also do to the data, in code (the SQL cannot): run right after the migration's SQL, in its
 * transaction, so the migration is recorded only with its data upgraded.
 */
const DATA_UPGRADES: Record<string, (client: pg.ClientBase) => Promise<void>> = {
  "20261205120000_conversations": upgradeCutConversations,
};

// The advisory lock key Prisma's own migrate takes, so this and `prisma migrate deploy` also exclude each other.
const LOCK_KEY = 72707369;

// Exactly the table Prisma's schema engine creates for PostgreSQL.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Applies every migration not yet recorded, each once and in its own transaction, under an advisory lock so that
 * processes starting together (web app, CLI, test workers) never apply one twice. Refuses to apply anything when an
 * applied migration's file has changed since. Returns the names it applied.
 */
export async function migrate(db: pg.Pool | string, opts: { dir?: string } = {}): Promise<{ applied: string[] }> {
  const migrations = readMigrations(opts.dir);
  let client: pg.Client | pg.PoolClient;
  if (typeof db === "string") {
    client = new pg.Client({ connectionString: db });
    await client.connect();
  } else {
    client = await db.connect();
  }
  let broken: Error | undefined;
  try {
    // Session-level lock: it must outlive the per-migration transactions below.
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    try {
      return await applyPending(client, migrations);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch((error: Error) => (broken = error));
    }
  } finally {
    // A pooled connection whose unlock failed may still hold the lock: destroy it rather than hand it out again.
    if ("release" in client) client.release(broken);
    else await client.end();
  }
}

async function applyPending(client: pg.ClientBase, migrations: LocalMigration[]): Promise<{ applied: string[] }> {
  await client.query(CREATE_TABLE);
  const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );

  // A row without finished_at is a migration that Prisma (never us: ours roll back) left half-applied.
  const unresolved = rows.filter((r) => !r.finished_at && !r.rolled_back_at);
  if (unresolved.length > 0) {
    const names = unresolved.map((r) => r.migration_name).join(", ");
    throw new Error(
      `migration ${names} failed earlier and was left unfinished in _prisma_migrations: repair the database, then ` +
        `mark it with \`prisma migrate resolve --rolled-back <name>\` (or delete its row) before migrating again`,
    );
  }

  // Rows with rolled_back_at were undone (prisma migrate resolve) and count as not applied, as in Prisma.
  const applied = new Map(rows.filter((r) => !r.rolled_back_at).map((r) => [r.migration_name, r.checksum]));
  const edited = migrations.filter((m) => applied.has(m.name) && applied.get(m.name) !== m.checksum);
  if (edited.length > 0) {
    const details = edited.map((m) => `  ${m.name}: ${display(m.file)} now has checksum ${m.checksum}, the database recorded ${applied.get(m.name)}`);
    throw new Error(
      [
        `refusing to migrate: ${edited.length === 1 ? "an applied migration was" : "applied migrations were"} edited after being applied (nothing was applied):`,
        ...details,
        "Restore the original file(s) and put the change in a new migration folder instead.",
      ].join("\n"),
    );
  }

  const done: string[] = [];
  for (const m of migrations.filter((m) => !applied.has(m.name))) {
    const id = randomUUID();
    await client.query("BEGIN");
    try {
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, clock_timestamp(), 0)`,
        [id, m.checksum, m.name],
      );
      // No parameters: the simple query protocol runs the file's many statements in one call.
      await client.query(m.sql);
      await DATA_UPGRADES[m.name]?.(client);
      await client.query(
        `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
        [id],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      const e = error as pg.DatabaseError;
      const where = e.position ? ` (line ${m.sql.slice(0, Number(e.position) - 1).split("\n").length})` : "";
      throw new Error(`migration ${display(m.file)} failed${where}, rolled back and not recorded: ${e.message}`, { cause: error });
    }
    done.push(m.name);
  }
  return { applied: done };
}

/** A path relative to the working directory when it is inside it, else absolute. */
function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
