// Integration tests of the migration runner against the run's real PostgreSQL, each in throwaway databases.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { withDatabase } from "../../test/global-setup";
import { migrate, migrationsDir, readMigrations } from "./migrate";
import { testDir } from "@/test/temp-dir";

const server = process.env.DATABASE_URL!;
const created: string[] = [];

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh empty database and a fresh migrations folder holding `files` ({folder name: sql}). */
async function fixture(files: Record<string, string>) {
  const name = `studio_test_migrate_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE "${name}"`);
  created.push(name);
  const dir = await testDir("studio-migrations-");
  await writeMigrations(dir, files);
  return { url: withDatabase(server, name), dir };
}

async function writeMigrations(dir: string, files: Record<string, string>) {
  for (const [folder, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, folder), { recursive: true });
    await writeFile(path.join(dir, folder, "migration.sql"), sql);
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const tableExists = async (url: string, table: string) =>
  (await query<{ ok: boolean }>(url, `SELECT to_regclass('public.${table}') IS NOT NULL AS ok`))[0].ok;

afterAll(async () => {
  for (const name of created) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe("migrate", () => {
  it("applies each migration once, in folder order, and a second run applies nothing", async () => {
    const { url, dir } = await fixture({
      "20260102000000_second": `ALTER TABLE a ADD COLUMN note text;`,
      "20260101000000_first": `CREATE TABLE a (id int PRIMARY KEY);\nINSERT INTO a VALUES (1);`,
    });
    expect(await migrate(url, { dir })).toEqual({ applied: ["20260101000000_first", "20260102000000_second"] });
    expect(await migrate(url, { dir })).toEqual({ applied: [] });
    expect(await query(url, `SELECT id, note FROM a`)).toEqual([{ id: 1, note: null }]);

    await writeMigrations(dir, { "20260103000000_third": `ALTER TABLE a ADD COLUMN size int;` });
    expect(await migrate(url, { dir })).toEqual({ applied: ["20260103000000_third"] });
  });

  it("keeps _prisma_migrations exactly as Prisma's schema engine does", async () => {
    const sql = `CREATE TABLE t (id int);\n`;
    const { url, dir } = await fixture({ "20260101000000_init": sql });
    const pool = new pg.Pool({ connectionString: url });
    try {
      await migrate(pool, { dir });
    } finally {
      await pool.end();
    }

    const columns = await query(
      url,
      `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", len: 36, is_nullable: "NO", column_default: null },
      { column_name: "checksum", data_type: "character varying", len: 64, is_nullable: "NO", column_default: null },
      { column_name: "finished_at", data_type: "timestamp with time zone", len: null, is_nullable: "YES", column_default: null },
      { column_name: "migration_name", data_type: "character varying", len: 255, is_nullable: "NO", column_default: null },
      { column_name: "logs", data_type: "text", len: null, is_nullable: "YES", column_default: null },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone", len: null, is_nullable: "YES", column_default: null },
      { column_name: "started_at", data_type: "timestamp with time zone", len: null, is_nullable: "NO", column_default: "now()" },
      { column_name: "applied_steps_count", data_type: "integer", len: null, is_nullable: "NO", column_default: "0" },
    ]);
    const pk = await query(
      url,
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = '_prisma_migrations'::regclass AND i.indisprimary`,
    );
    expect(pk).toEqual([{ attname: "id" }]);

    const [row] = await query<Record<string, unknown> & { started_at: Date; finished_at: Date }>(url, `SELECT * FROM _prisma_migrations`);
    expect(row).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      checksum: createHash("sha256").update(sql).digest("hex"),
      migration_name: "20260101000000_init",
      logs: null,
      rolled_back_at: null,
      applied_steps_count: 1,
    });
    expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
  });

  it("refuses loudly, applying nothing, when an applied migration was edited", async () => {
    const { url, dir } = await fixture({ "20260101000000_init": `CREATE TABLE a (id int);` });
    await migrate(url, { dir });
    const [{ checksum: recorded }] = await query<{ checksum: string }>(url, `SELECT checksum FROM _prisma_migrations`);

    await writeMigrations(dir, {
      "20260101000000_init": `CREATE TABLE a (id bigint);`,
      "20260102000000_next": `CREATE TABLE b (id int);`,
    });
    const now = createHash("sha256").update(`CREATE TABLE a (id bigint);`).digest("hex");
    const error = await migrate(url, { dir }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/refusing to migrate/);
    expect((error as Error).message).toContain("20260101000000_init");
    expect((error as Error).message).toContain(recorded);
    expect((error as Error).message).toContain(now);
    expect(await tableExists(url, "b")).toBe(false);
  });

  it("rolls a failing migration back, records nothing, names the file, and applies it once fixed", async () => {
    const { url, dir } = await fixture({
      "20260101000000_ok": `CREATE TABLE a (id int);`,
      "20260102000000_broken": `CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nSELECT no_such_column FROM b;\n`,
      "20260103000000_after": `CREATE TABLE c (id int);`,
    });
    const error = await migrate(url, { dir }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/20260102000000_broken\/migration\.sql failed \(line 3\), rolled back and not recorded: .*no_such_column/);
    expect(await tableExists(url, "a")).toBe(true);
    expect(await tableExists(url, "b")).toBe(false);
    expect(await tableExists(url, "c")).toBe(false);
    expect(await query(url, `SELECT migration_name FROM _prisma_migrations`)).toEqual([{ migration_name: "20260101000000_ok" }]);

    await writeMigrations(dir, { "20260102000000_broken": `CREATE TABLE b (id int);` });
    expect(await migrate(url, { dir })).toEqual({ applied: ["20260102000000_broken", "20260103000000_after"] });
  });

  it("lets concurrent runs apply each migration exactly once", async () => {
    const { url, dir } = await fixture({
      // Slow enough that the runs really overlap; a second application would fail on the duplicate table.
      "20260101000000_slow": `SELECT pg_sleep(0.3); CREATE TABLE a (id int);`,
      "20260102000000_more": `CREATE TABLE b (id int);`,
    });
    const results = await Promise.all([migrate(url, { dir }), migrate(url, { dir }), migrate(url, { dir })]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(["20260101000000_slow", "20260102000000_more"]);
    expect(await query(url, `SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`)).toEqual([
      { migration_name: "20260101000000_slow" },
      { migration_name: "20260102000000_more" },
    ]);
  });

  it("finds the project's migrations from the working directory, or STUDIO_MIGRATIONS_DIR", async () => {
    expect(migrationsDir()).toBe(path.resolve("prisma/migrations"));
    expect(readMigrations().map((m) => m.name)).toContain("20261125000000_init");
    const init = readMigrations().find((m) => m.name === "20261125000000_init")!;
    expect(init.checksum).toBe(createHash("sha256").update(await readFile(init.file)).digest("hex"));

    const previous = process.env.STUDIO_MIGRATIONS_DIR;
    process.env.STUDIO_MIGRATIONS_DIR = "/somewhere/else";
    try {
      expect(migrationsDir()).toBe("/somewhere/else");
      expect(() => readMigrations()).toThrow(/no migrations folder at \/somewhere\/else/);
    } finally {
      if (previous === undefined) delete process.env.STUDIO_MIGRATIONS_DIR;
      else process.env.STUDIO_MIGRATIONS_DIR = previous;
    }
  });
});
