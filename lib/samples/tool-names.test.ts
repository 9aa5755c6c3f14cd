import { afterAll, describe, expect, it } from "vitest";
import { copyLine, pgTextArray } from "@/lib/db/copy";
import { closeDb, getPool } from "@/lib/db/client";
import { toolNames } from "./tool-names";
import type { Tool } from "./types";

afterAll(() => closeDb());

const CASES: unknown[][] = [
  [],
  [{ name: "b_tool" }, { name: "a_tool" }, { name: "b_tool" }],
  [{ name: 'quote " and back\\slash, comma {brace}' }, { description: "no name" }, "not an object", null, [1]],
  [{ name: 42 }, { name: null }],
];

describe("toolNames", () => {
  it("gives what the SQL function studio_tool_names gives, and survives COPY as a text[] field", async () => {
    const pool = await getPool();
    await pool.query(`CREATE TEMP TABLE tool_names_check (tools json, names text[])`).catch(() => undefined);
    for (const tools of CASES) {
      const { rows } = await pool.query<{ names: string[] }>(`SELECT studio_tool_names($1::json) AS names`, [JSON.stringify(tools)]);
      expect(toolNames(tools as Tool[])).toEqual(rows[0].names);
      // The literal as COPY would carry it: parse it back through PostgreSQL's text[] input.
      const field = copyLine([pgTextArray(toolNames(tools as Tool[]))]).slice(0, -1).replace(/\\\\/g, "\\");
      const parsed = await pool.query<{ names: string[] }>(`SELECT $1::text[] AS names`, [field]);
      expect(parsed.rows[0].names).toEqual(rows[0].names);
    }
  });
});
