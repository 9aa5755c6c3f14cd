// Proves that the database our SQL migrations build is the one prisma/schema.prisma describes. Prisma's own
// `migrate diff` needs the native schema engine, which cannot be downloaded here, so this test compares them itself:
// the schema is read by Prisma's own parser (the DMMF it hands to generators), the database from pg_catalog.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Indexes in the migrations that Prisma's schema language has no words for, each with why it exists. Anything else
// in the database must be in schema.prisma.
const INDEXES_PRISMA_CANNOT_DESCRIBE: Record<string, string> = {
  samples_search_idx: "GIN over the expression studio_sample_search(query, cot, answer): the table's full-text search",
  samples_review_queue_idx: "partial index (status passed or flagged): the review queue's next-sample claim",
  samples_decided_by_idx: "partial index (decided_by set): the table's decided-by filter, free for pending imports",
  samples_discarded_groups_idx: "partial index (status discarded): the discard audit's groups by stage and code",
  samples_claimed_by_idx: "partial index (claimed_by set): the claims an annotator holds, for the review queue",
  samples_dashboard_idx: "partial index (decided samples): the dashboard's funnel and failure reasons, index-only",
  stage_verdicts_llm_tokens_idx: "partial index with INCLUDE (LLM verdicts): the Runs page's and the dashboard's judge calls and tokens, index-only",
  samples_multi_turn_idx: "partial index (conversations): the table's turns filter, free for single-turn samples",
};

// Stored generated columns (Prisma's schema language has no words for them, and the client never reads them), as
// "table.column", each with why it exists. Each must be in the database, generated.
const GENERATED_COLUMNS_PRISMA_CANNOT_DESCRIBE: Record<string, string> = {
  "stage_verdicts.counts_call": "whether an LLM verdict is a request of its own (a combined call's later shares are not): covered by stage_verdicts_llm_tokens_idx",
};

// ---------------------------------------------------------------------------------------------------------------
// The schema, through Prisma's parser

/** The parts of Prisma's DMMF datamodel this test reads. */
interface Datamodel {
  models: Model[];
  enums: { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] }[];
  indexes: Index[];
}
interface Model {
  name: string;
  dbName?: string | null;
  fields: Field[];
}
interface Field {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
interface Index {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
}

// A Prisma generator is any command speaking JSON-RPC: requests on its stdin, replies on its stderr. This one just
// writes the DMMF datamodel that `prisma generate` hands it to the file named by DMMF_OUT.
const DUMP_GENERATOR = `
import { createInterface } from "node:readline";
import { writeFileSync } from "node:fs";
const reply = (message) => process.stderr.write(JSON.stringify(message) + "\\n");
createInterface({ input: process.stdin }).on("line", (line) => {
  const message = JSON.parse(line);
  if (message.method === "getManifest") {
    reply({ jsonrpc: "2.0", id: message.id, result: { manifest: { prettyName: "DMMF dump", requiresEngines: [] } } });
  } else if (message.method === "generate") {
    writeFileSync(process.env.DMMF_OUT, JSON.stringify(message.params.dmmf.datamodel));
    reply({ jsonrpc: "2.0", id: message.id, result: null });
  }
});
`;

/** Parses a schema with the project's Prisma CLI (`prisma generate` running only a DMMF-dumping generator). */
async function loadDatamodel(schemaPath: string): Promise<Datamodel> {
  const dir = await mkdtemp(path.join(tmpdir(), "studio-dmmf-"));
  try {
    const generator = path.join(dir, "dump-dmmf.mjs");
    await writeFile(generator, DUMP_GENERATOR);
    const schema = path.join(dir, "schema.prisma");
    const block = `\ngenerator studio_dmmf {\n  provider = ${JSON.stringify(`"${process.execPath}" "${generator}"`)}\n  output   = ${JSON.stringify(path.join(dir, "out"))}\n}\n`;
    await writeFile(schema, (await readFile(schemaPath, "utf8")) + block);
    const out = path.join(dir, "dmmf.json");
    await promisify(execFile)(process.execPath, ["node_modules/prisma/build/index.js", "generate", "--schema", schema, "--generator", "studio_dmmf"], {
      // prisma.config.ts (loaded from the project folder) points the engine check at a dummy file; say it here too.
      env: { ...process.env, DMMF_OUT: out, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", PRISMA_SCHEMA_ENGINE_BINARY: path.resolve("package.json") },
    });
    return JSON.parse(await readFile(out, "utf8"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The database, through pg_catalog

interface Snapshot {
  tables: Map<string, Map<string, Column>>;
  enums: Map<string, string[]>;
  indexes: Map<string, DbIndex>;
  foreignKeys: DbForeignKey[];
}
interface Column {
  type: string;
  notNull: boolean;
  default: string | null;
  /** The default evaluated to text, for constant defaults. */
  defaultValue: string | null;
  sequence: string | null;
  /** A stored generated column (its `default` is then its expression). */
  generated: boolean;
}
interface DbIndex {
  table: string;
  columns: string[];
  primary: boolean;
  unique: boolean;
  method: string;
}
interface DbForeignKey {
  name: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: string;
  onUpdate: string;
}

async function snapshot(url: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query<{ table: string; column: string; type: string; not_null: boolean; default: string | null; sequence: string | null; generated: boolean }>(`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
             pg_get_expr(d.adbin, d.adrelid) AS default, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS sequence,
             a.attgenerated = 's' AS generated
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
       WHERE c.relkind IN ('r', 'p')
       ORDER BY c.relname, a.attnum`);
    const tables = new Map<string, Map<string, Column>>();
    for (const row of columns.rows) {
      let defaultValue: string | null = null;
      // Evaluate constant defaults ('{}'::jsonb, 'pending'::"SampleStatus", 0, false) to compare values, not spellings.
      if (row.default && !row.generated && !/nextval\(|CURRENT_TIMESTAMP|now\(\)/i.test(row.default)) {
        defaultValue = (await client.query<{ v: string }>(`SELECT (${row.default})::text AS v`)).rows[0].v;
      }
      if (!tables.has(row.table)) tables.set(row.table, new Map());
      tables.get(row.table)!.set(row.column, { type: row.type, notNull: row.not_null, default: row.default, defaultValue, sequence: row.sequence, generated: row.generated });
    }

    const enums = await client.query<{ name: string; labels: string[] }>(`
      SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
        JOIN pg_enum e ON e.enumtypid = t.oid
       GROUP BY t.typname`);

    const indexes = await client.query<{ name: string; table: string; columns: string[]; primary: boolean; unique: boolean; method: string }>(`
      SELECT ic.relname AS name, tc.relname AS table, i.indisprimary AS primary, i.indisunique AS unique, am.amname AS method,
             array(SELECT coalesce(a.attname, '(expression)') || CASE WHEN i.indoption[k.ord - 1] & 1 = 1 THEN ' DESC' ELSE '' END
                     FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                     LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                    ORDER BY k.ord)::text[] AS columns
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_class tc ON tc.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = tc.relnamespace AND n.nspname = 'public'
        JOIN pg_am am ON am.oid = ic.relam`);

    const foreignKeys = await client.query<DbForeignKey>(`
      SELECT con.conname AS name, tc.relname AS table, rc.relname AS "refTable",
             con.confdeltype AS "onDelete", con.confupdtype AS "onUpdate",
             array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
             array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS "refColumns"
        FROM pg_constraint con
        JOIN pg_class tc ON tc.oid = con.conrelid
        JOIN pg_class rc ON rc.oid = con.confrelid
        JOIN pg_namespace n ON n.oid = tc.relnamespace AND n.nspname = 'public'
       WHERE con.contype = 'f'`);

    return {
      tables,
      enums: new Map(enums.rows.map((r) => [r.name, r.labels])),
      indexes: new Map(indexes.rows.map(({ name, ...rest }) => [name, rest])),
      foreignKeys: foreignKeys.rows,
    };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The comparison: one readable line per difference, naming the model and field

// Prisma's PostgreSQL types for fields without a @db attribute.
const DEFAULT_TYPES: Record<string, string> = {
  String: "text",
  Boolean: "boolean",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

/** What format_type() prints for a @db.X(args) native type. */
function nativeTypeName([name, args]: [string, string[]]): string {
  const a = args.length ? `(${args.join(",")})` : "";
  const names: Record<string, string> = {
    Text: "text",
    Boolean: "boolean",
    SmallInt: "smallint",
    Integer: "integer",
    BigInt: "bigint",
    Real: "real",
    DoublePrecision: "double precision",
    Decimal: `numeric${a}`,
    VarChar: `character varying${a}`,
    Char: `character${a}`,
    Uuid: "uuid",
    Inet: "inet",
    Xml: "xml",
    Json: "json",
    JsonB: "jsonb",
    ByteA: "bytea",
    Date: "date",
    Timestamp: `timestamp${a} without time zone`,
    Timestamptz: `timestamp${a} with time zone`,
    Time: `time${a} without time zone`,
    Timetz: `time${a} with time zone`,
    Bit: `bit${a}`,
    VarBit: `bit varying${a}`,
    Money: "money",
    Oid: "oid",
    Citext: "citext",
  };
  if (!(name in names)) throw new Error(`schema-drift test: teach nativeTypeName about @db.${name}`);
  return names[name];
}

/** format_type() quotes identifiers that are not all lower case. */
function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

const REFERENTIAL_ACTIONS: Record<string, string> = { Cascade: "c", Restrict: "r", NoAction: "a", SetNull: "n", SetDefault: "d" };
const ACTION_NAMES = Object.fromEntries(Object.entries(REFERENTIAL_ACTIONS).map(([k, v]) => [v, k]));

function compareSchema(dm: Datamodel, db: Snapshot): string[] {
  const problems: string[] = [];
  const tableOf = (modelName: string) => {
    const model = dm.models.find((m) => m.name === modelName)!;
    return model.dbName ?? model.name;
  };
  const columnOf = (model: Model, fieldName: string) => {
    const field = model.fields.find((f) => f.name === fieldName)!;
    return field.dbName ?? field.name;
  };
  const enumDbName = (name: string) => {
    const e = dm.enums.find((x) => x.name === name)!;
    return e.dbName ?? e.name;
  };

  // Enums: same type names, same values in the same order.
  for (const e of dm.enums) {
    const name = e.dbName ?? e.name;
    const expected = e.values.map((v) => v.dbName ?? v.name);
    const actual = db.enums.get(name);
    if (!actual) problems.push(`enum ${e.name}: no type "${name}" in the database`);
    else if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(`enum ${e.name}: the database has values [${actual.join(", ")}], schema.prisma [${expected.join(", ")}] (same order required)`);
    }
  }
  for (const name of db.enums.keys()) {
    if (!dm.enums.some((e) => (e.dbName ?? e.name) === name)) problems.push(`enum type "${name}" is in the database but not in schema.prisma`);
  }

  // Tables and columns.
  for (const model of dm.models) {
    const table = model.dbName ?? model.name;
    const columns = db.tables.get(table);
    if (!columns) {
      problems.push(`model ${model.name}: no table "${table}" in the database`);
      continue;
    }
    const scalars = model.fields.filter((f) => f.kind !== "object");
    for (const field of scalars) {
      const column = field.dbName ?? field.name;
      const where = `${model.name}.${field.name} (column ${table}.${column})`;
      const actual = columns.get(column);
      if (!actual) {
        problems.push(`${where}: no such column in the database`);
        continue;
      }
      const base = field.kind === "enum" ? quoteIdent(enumDbName(field.type)) : field.nativeType ? nativeTypeName(field.nativeType) : DEFAULT_TYPES[field.type];
      const type = base + (field.isList ? "[]" : "");
      if (actual.type !== type) problems.push(`${where}: type is ${actual.type} in the database, schema.prisma says ${type}`);

      // Prisma creates list columns nullable even though the field is required.
      const notNull = field.isRequired && !field.isList;
      if (actual.notNull !== notNull) {
        problems.push(`${where}: ${actual.notNull ? "NOT NULL" : "nullable"} in the database, ${notNull ? "required" : "optional"} in schema.prisma`);
      }
      problems.push(...compareDefault(where, field, actual));
    }
    for (const [column, actual] of columns) {
      if (scalars.some((f) => (f.dbName ?? f.name) === column)) continue;
      if (actual.generated && `${table}.${column}` in GENERATED_COLUMNS_PRISMA_CANNOT_DESCRIBE) continue;
      problems.push(`model ${model.name}: column ${table}.${column} is in the database but not in schema.prisma`);
    }
  }
  for (const name of Object.keys(GENERATED_COLUMNS_PRISMA_CANNOT_DESCRIBE)) {
    const [table, column] = name.split(".");
    if (!db.tables.get(table)?.get(column)?.generated) problems.push(`column ${name}: not a stored generated column in the database`);
  }
  const tables = new Set(dm.models.map((m) => m.dbName ?? m.name));
  for (const table of db.tables.keys()) {
    if (!tables.has(table) && table !== "_prisma_migrations") problems.push(`table "${table}" is in the database but has no model in schema.prisma`);
  }

  // Primary keys, unique constraints and indexes, by Prisma's default names (or their map: names).
  const expectedIndexes = new Set<string>();
  for (const index of dm.indexes) {
    const model = dm.models.find((m) => m.name === index.model)!;
    const table = tableOf(index.model);
    const columns = index.fields.map((f) => columnOf(model, f.name) + (f.sortOrder === "desc" ? " DESC" : ""));
    const plain = index.fields.map((f) => columnOf(model, f.name));
    const suffix = { id: "pkey", unique: "key", normal: "idx", fulltext: "idx" }[index.type];
    const name = index.dbName ?? (index.type === "id" ? `${table}_pkey` : `${table}_${plain.join("_")}_${suffix}`);
    const label = `${index.model} ${index.type === "id" ? "primary key" : index.type === "unique" ? "unique" : "index"} (${index.fields.map((f) => f.name).join(", ")})`;
    expectedIndexes.add(name);
    const actual = db.indexes.get(name);
    if (!actual) {
      problems.push(`${label}: no index "${name}" on ${table}(${columns.join(", ")}) in the database`);
      continue;
    }
    if (actual.table !== table) problems.push(`${label}: index "${name}" is on table ${actual.table}, not ${table}`);
    if (JSON.stringify(actual.columns) !== JSON.stringify(columns)) {
      problems.push(`${label}: index "${name}" covers (${actual.columns.join(", ")}) in the database, schema.prisma says (${columns.join(", ")})`);
    }
    if (actual.primary !== (index.type === "id")) problems.push(`${label}: index "${name}" is ${actual.primary ? "" : "not "}the primary key in the database`);
    if (actual.unique !== (index.type !== "normal")) problems.push(`${label}: index "${name}" is ${actual.unique ? "unique" : "not unique"} in the database`);
    const method = (index.algorithm ?? "BTree").toLowerCase();
    if (actual.method !== method) problems.push(`${label}: index "${name}" uses ${actual.method} in the database, schema.prisma says ${method}`);
  }
  for (const [name, index] of db.indexes) {
    if (!expectedIndexes.has(name) && index.table !== "_prisma_migrations" && !(name in INDEXES_PRISMA_CANNOT_DESCRIBE)) {
      problems.push(`index "${name}" on ${index.table}(${index.columns.join(", ")}) is in the database but not in schema.prisma`);
    }
  }

  // Foreign keys, from the side of each relation that holds the scalar fields.
  const expectedForeignKeys = new Set<DbForeignKey>();
  for (const model of dm.models) {
    const table = model.dbName ?? model.name;
    for (const field of model.fields.filter((f) => f.kind === "object" && f.relationFromFields?.length)) {
      const columns = field.relationFromFields!.map((n) => columnOf(model, n));
      const target = dm.models.find((m) => m.name === field.type)!;
      const refColumns = field.relationToFields!.map((n) => columnOf(target, n));
      const required = field.relationFromFields!.every((n) => model.fields.find((f) => f.name === n)!.isRequired);
      // Prisma's defaults when the relation does not say.
      const onDelete = field.relationOnDelete ?? (required ? "Restrict" : "SetNull");
      const onUpdate = field.relationOnUpdate ?? "Cascade";
      const where = `${model.name}.${field.name} (foreign key ${table}(${columns.join(", ")}) -> ${tableOf(field.type)}(${refColumns.join(", ")}))`;
      const actual = db.foreignKeys.find((fk) => fk.table === table && JSON.stringify(fk.columns) === JSON.stringify(columns));
      if (!actual) {
        problems.push(`${where}: no such foreign key in the database`);
        continue;
      }
      expectedForeignKeys.add(actual);
      if (actual.refTable !== tableOf(field.type) || JSON.stringify(actual.refColumns) !== JSON.stringify(refColumns)) {
        problems.push(`${where}: the database's "${actual.name}" references ${actual.refTable}(${actual.refColumns.join(", ")})`);
      }
      if (actual.onDelete !== REFERENTIAL_ACTIONS[onDelete]) problems.push(`${where}: ON DELETE ${ACTION_NAMES[actual.onDelete]} in the database, onDelete: ${onDelete} in schema.prisma`);
      if (actual.onUpdate !== REFERENTIAL_ACTIONS[onUpdate]) problems.push(`${where}: ON UPDATE ${ACTION_NAMES[actual.onUpdate]} in the database, onUpdate: ${onUpdate} in schema.prisma`);
    }
  }
  for (const fk of db.foreignKeys) {
    if (!expectedForeignKeys.has(fk)) problems.push(`foreign key "${fk.name}" on ${fk.table}(${fk.columns.join(", ")}) is in the database but not in schema.prisma`);
  }
  return problems;
}

function compareDefault(where: string, field: Field, actual: Column): string[] {
  const d = field.default;
  if (d === undefined) {
    return actual.default === null ? [] : [`${where}: the database has DEFAULT ${actual.default}, schema.prisma has no @default`];
  }
  if (typeof d === "object" && d !== null && "name" in d) {
    const fn = d as { name: string; args: unknown[] };
    switch (fn.name) {
      case "autoincrement":
        return actual.sequence && actual.default?.startsWith("nextval(")
          ? []
          : [`${where}: @default(autoincrement()) needs a sequence default (SERIAL), the database has ${actual.default ?? "no default"}`];
      case "now":
        return actual.default === "CURRENT_TIMESTAMP" ? [] : [`${where}: @default(now()) needs DEFAULT CURRENT_TIMESTAMP, the database has ${actual.default ?? "no default"}`];
      case "dbgenerated":
        return actual.default === fn.args[0] ? [] : [`${where}: @default(dbgenerated(${JSON.stringify(fn.args[0])})), the database has ${actual.default ?? "no default"}`];
      default:
        // uuid(), cuid(), nanoid(), ulid(): generated by Prisma Client, no database default.
        return actual.default === null ? [] : [`${where}: @default(${fn.name}()) is client-side, yet the database has DEFAULT ${actual.default}`];
    }
  }
  const matches =
    field.type === "Json"
      ? actual.defaultValue !== null && JSON.stringify(JSON.parse(actual.defaultValue)) === JSON.stringify(JSON.parse(String(d)))
      : ["Int", "BigInt", "Float", "Decimal"].includes(field.type) && !field.isList
        ? Number(actual.defaultValue) === Number(d)
        : actual.defaultValue === (Array.isArray(d) ? `{${d.join(",")}}` : String(d));
  return matches ? [] : [`${where}: schema.prisma has @default(${JSON.stringify(d)}), the database has ${actual.default === null ? "no default" : `DEFAULT ${actual.default}`}`];
}

// ---------------------------------------------------------------------------------------------------------------

describe("schema drift: migrations vs prisma/schema.prisma", () => {
  let datamodel: Datamodel;
  let db: Snapshot;

  beforeAll(async () => {
    [datamodel, db] = await Promise.all([loadDatamodel("prisma/schema.prisma"), snapshot(process.env.DATABASE_URL!)]);
  });

  it("the migrated database matches the schema exactly", () => {
    expect(datamodel.models.length).toBeGreaterThan(0);
    expect(compareSchema(datamodel, db)).toEqual([]);
  });

  describe("reports drift, naming the model and field", () => {
    const doctored = (edit: (dm: Datamodel) => void) => {
      const copy = structuredClone(datamodel);
      edit(copy);
      return compareSchema(copy, db);
    };
    const field = (dm: Datamodel, model: string, name: string) => dm.models.find((m) => m.name === model)!.fields.find((f) => f.name === name)!;

    it("nullability", () => {
      expect(doctored((dm) => (field(dm, "Sample", "cot").isRequired = true))).toEqual([
        "Sample.cot (column samples.cot): nullable in the database, required in schema.prisma",
      ]);
    });

    it("types, native types and lists", () => {
      expect(doctored((dm) => (field(dm, "StageVerdict", "stage").nativeType = null))).toEqual([
        "StageVerdict.stage (column stage_verdicts.stage): type is smallint in the database, schema.prisma says integer",
      ]);
      expect(doctored((dm) => (field(dm, "ExportJob", "statuses").isList = false))).toContainEqual(
        expect.stringMatching(/^ExportJob\.statuses .*type is "SampleStatus"\[\] in the database, schema\.prisma says "SampleStatus"$/),
      );
      expect(doctored((dm) => (field(dm, "Sample", "createdAt").nativeType = ["Timestamptz", ["6"]]))).toEqual([
        "Sample.createdAt (column samples.created_at): type is timestamp(3) with time zone in the database, schema.prisma says timestamp(6) with time zone",
      ]);
    });

    it("enum values and their order", () => {
      const problems = doctored((dm) => dm.enums.find((e) => e.name === "SampleStatus")!.values.reverse());
      expect(problems).toEqual([expect.stringMatching(/^enum SampleStatus: the database has values \[pending, .*\], schema\.prisma \[discarded, /)]);
    });

    it("defaults", () => {
      expect(doctored((dm) => (field(dm, "Sample", "version").default = 2))).toEqual([
        "Sample.version (column samples.version): schema.prisma has @default(2), the database has DEFAULT 1",
      ]);
      expect(doctored((dm) => (field(dm, "ImportJob", "errors").default = "{}"))).toHaveLength(1);
      expect(doctored((dm) => delete field(dm, "Dataset", "id").default)).toEqual([
        "Dataset.id (column datasets.id): the database has DEFAULT nextval('datasets_id_seq'::regclass), schema.prisma has no @default",
      ]);
    });

    it("missing and extra columns and tables", () => {
      expect(doctored((dm) => (field(dm, "Sample", "cot").dbName = "chain_of_thought"))).toEqual([
        "Sample.cot (column samples.chain_of_thought): no such column in the database",
        "model Sample: column samples.cot is in the database but not in schema.prisma",
      ]);
      expect(doctored((dm) => (dm.models.find((m) => m.name === "Dataset")!.dbName = "data_sets"))).toContainEqual(
        "model Dataset: no table \"data_sets\" in the database",
      );
    });

    it("a generated column Prisma cannot describe is only let through while the database generates it", () => {
      const plain = structuredClone(db);
      plain.tables.get("stage_verdicts")!.get("counts_call")!.generated = false;
      expect(compareSchema(datamodel, plain)).toEqual([
        "model StageVerdict: column stage_verdicts.counts_call is in the database but not in schema.prisma",
        "column stage_verdicts.counts_call: not a stored generated column in the database",
      ]);
    });

    it("indexes: columns, order, uniqueness", () => {
      expect(doctored((dm) => dm.indexes.find((i) => i.model === "Sample" && i.type === "normal")!.fields.reverse())).toEqual([
        'Sample index (id, status, datasetId): no index "samples_id_status_dataset_id_idx" on samples(id, status, dataset_id) in the database',
        'index "samples_dataset_id_status_id_idx" on samples(dataset_id, status, id) is in the database but not in schema.prisma',
      ]);
      expect(doctored((dm) => (dm.indexes.find((i) => i.model === "StageVerdict" && i.type === "normal")!.dbName = "stage_verdicts_sample_id_stage_id_idx"))).toEqual([]);
      const unique = doctored((dm) => {
        const index = dm.indexes.find((i) => i.model === "Sample" && i.type === "unique")!;
        index.type = "normal";
        index.dbName = "samples_dataset_id_content_hash_key";
      });
      expect(unique).toEqual(['Sample index (datasetId, contentHash): index "samples_dataset_id_content_hash_key" is unique in the database']);
    });

    it("foreign keys and onDelete", () => {
      expect(doctored((dm) => (field(dm, "ImportJob", "dataset").relationOnDelete = "SetNull"))).toEqual([
        "ImportJob.dataset (foreign key import_jobs(dataset_id) -> datasets(id)): ON DELETE Cascade in the database, onDelete: SetNull in schema.prisma",
      ]);
      expect(doctored((dm) => delete field(dm, "Sample", "dataset").relationOnDelete)).toEqual([
        "Sample.dataset (foreign key samples(dataset_id) -> datasets(id)): ON DELETE Cascade in the database, onDelete: Restrict in schema.prisma",
      ]);
    });
  });

  describe("end to end on an edited copy of schema.prisma", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "studio-schema-copy-"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("names the drifted field", async () => {
      const original = await readFile("prisma/schema.prisma", "utf8");
      const edited = original.replace(/^(\s+cot\s+)String\?/m, "$1String").replace(/^(\s+strict\s+Boolean\s+)@default\(false\)/m, "$1@default(true)");
      expect(edited).not.toBe(original);
      const copy = path.join(dir, "schema.prisma");
      await writeFile(copy, edited);
      expect(compareSchema(await loadDatamodel(copy), db)).toEqual([
        "Sample.cot (column samples.cot): nullable in the database, required in schema.prisma",
        "ImportJob.strict (column import_jobs.strict): schema.prisma has @default(true), the database has DEFAULT false",
      ]);
    });
  });
});
