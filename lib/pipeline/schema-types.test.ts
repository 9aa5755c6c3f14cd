import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Tool } from "@/lib/samples/types";
import { isJsonSchemaStyle, parseTypeString, toJsonSchema, toolParams, type ParamType } from "./schema-types";

const BFCL = path.resolve(import.meta.dirname, "../../fixtures/bfcl");

function bfclEntry(file: string, id: string): { function: Tool[] } {
  const line = readFileSync(path.join(BFCL, file), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`{"id": "${id}"`));
  if (!line) throw new Error(`${id} not in ${file}`);
  return JSON.parse(line);
}

function bfclTool(file: string, id: string, name: string): Tool {
  const tool = bfclEntry(file, id).function.find((t) => t.name === name);
  if (!tool) throw new Error(`${name} not in ${id}`);
  return tool;
}

const forecast: Tool = {
  name: "forecast",
  description: "Daily forecast for a city.",
  parameters: {
    city: { description: "City name.", type: "str", default: "" },
    days: { description: "Days ahead.", type: "int, optional", default: 1 },
    unit: { description: "celsius or fahrenheit", type: "str, optional", default: "celsius" },
  },
};

describe("parseTypeString (xLAM type strings)", () => {
  it.each<[string, ParamType, boolean]>([
    ["str", { kind: "string" }, false],
    ["int", { kind: "integer" }, false],
    ["float", { kind: "number" }, false],
    ["bool", { kind: "boolean" }, false],
    ["str, optional", { kind: "string" }, true],
    ["int,optional", { kind: "integer" }, true],
    ["String", { kind: "string" }, false],
    ["Integer", { kind: "integer" }, false],
    ["boolean", { kind: "boolean" }, false],
    ["number", { kind: "number" }, false],
    ["array", { kind: "array", items: { kind: "any" } }, false],
    ["object", { kind: "object" }, false],
    ["list", { kind: "array", items: { kind: "any" } }, false],
    ["dict", { kind: "object" }, false],
    ["List[int]", { kind: "array", items: { kind: "integer" } }, false],
    ["List[str], optional", { kind: "array", items: { kind: "string" } }, true],
    ["Dict[str, Any]", { kind: "object" }, false],
    ["Dict[str, int]", { kind: "object", values: { kind: "integer" } }, false],
    ["List[Dict[str, Any]], optional", { kind: "array", items: { kind: "object" } }, true],
    ["Tuple[int, str]", { kind: "tuple", items: [{ kind: "integer" }, { kind: "string" }] }, false],
    ["Tuple[float, ...]", { kind: "tuple", items: [], rest: { kind: "number" } }, false],
    ["Optional[int]", { kind: "union", options: [{ kind: "integer" }, { kind: "null" }] }, true],
    ["Union[int, str]", { kind: "union", options: [{ kind: "integer" }, { kind: "string" }] }, false],
    ["int | None", { kind: "union", options: [{ kind: "integer" }, { kind: "null" }] }, false],
    ["Any", { kind: "any" }, false],
    ["typing.List[int]", { kind: "array", items: { kind: "integer" } }, false],
    ["List[Widget]", { kind: "array", items: { kind: "unknown", raw: "Widget" } }, false],
    ["str or int", { kind: "unknown", raw: "str or int" }, false],
    ["List[int", { kind: "unknown", raw: "List[int" }, false],
    ["Dict[str]", { kind: "unknown", raw: "Dict[str]" }, false],
    ["", { kind: "unknown", raw: "" }, false],
  ])("%j", (raw, type, optional) => {
    expect(parseTypeString(raw)).toEqual({ type, optional });
  });
});

describe("toolParams", () => {
  it("reads xLAM parameters: ', optional' means not required, '' means no default", () => {
    expect(toolParams(forecast)).toEqual([
      { name: "city", type: { kind: "string" }, required: true, description: "City name." },
      { name: "days", type: { kind: "integer" }, required: false, description: "Days ahead.", default: 1 },
      { name: "unit", type: { kind: "string" }, required: false, description: "celsius or fahrenheit", default: "celsius" },
    ]);
  });

  it("treats an xLAM tool with parameters named `type` and `properties` as xLAM, not JSON Schema", () => {
    const tool: Tool = {
      name: "create_node",
      parameters: {
        type: { description: "Node type.", type: "str", default: "" },
        properties: { description: "Node properties.", type: "Dict[str, Any], optional", default: "" },
      },
    };
    expect(isJsonSchemaStyle(tool.parameters)).toBe(false);
    expect(toolParams(tool)).toEqual([
      { name: "type", type: { kind: "string" }, required: true, description: "Node type." },
      { name: "properties", type: { kind: "object" }, required: false, description: "Node properties." },
    ]);
    expect(toJsonSchema(tool)).toEqual({
      type: "object",
      properties: {
        type: { type: "string", description: "Node type." },
        properties: { type: "object", description: "Node properties." },
      },
      required: ["type"],
    });
  });

  it("decides by shape: `type: \"dict\"` with `properties` that are not parameter specs is still xLAM", () => {
    // Shorthand xLAM (spec as a bare type string) for parameters literally called type and properties.
    const tool: Tool = { name: "t", parameters: { type: "dict", properties: "List[str]" } };
    expect(isJsonSchemaStyle(tool.parameters)).toBe(false);
    expect(toolParams(tool)).toEqual([
      { name: "type", type: { kind: "object" }, required: true },
      { name: "properties", type: { kind: "array", items: { kind: "string" } }, required: true },
    ]);
  });

  it("reads a BFCL tool whose parameter is called `type` (JSON-schema style, with an enum)", () => {
    const tool = bfclTool("BFCL_v4_live_simple.json", "live_simple_2-2-0", "uber.ride");
    expect(isJsonSchemaStyle(tool.parameters)).toBe(true);
    const params = toolParams(tool);
    expect(params.map((p) => [p.name, p.required])).toEqual([["loc", true], ["type", true], ["time", true]]);
    expect(params[1]).toMatchObject({ type: { kind: "string", enum: ["plus", "comfort", "black"] }, enum: ["plus", "comfort", "black"] });
    expect(params[2].type).toEqual({ kind: "integer" });
  });

  it("takes BFCL's `optional: true` over the required list", () => {
    const tool = bfclTool("BFCL_v4_irrelevance.json", "irrelevance_173", "music_analysis.find_common_chords");
    expect(toolParams(tool).map((p) => [p.name, p.required])).toEqual([["genre", true], ["num_chords", false]]);
  });

  it("reads BFCL nested dicts, arrays of dicts, item enums, tuples and any", () => {
    const db = toolParams(bfclTool("BFCL_v4_irrelevance.json", "irrelevance_53", "database_query.run"));
    expect(db[2]).toMatchObject({
      name: "connect_credentials",
      required: false,
      default: {},
      type: {
        kind: "object",
        properties: {
          username: { name: "username", type: { kind: "string" }, required: false },
          password: { name: "password", type: { kind: "string" }, required: false },
        },
      },
    });

    const traits = toolParams(bfclTool("BFCL_v4_irrelevance.json", "irrelevance_129", "personality_assessment.evaluate"))[0];
    expect(traits.type).toMatchObject({
      kind: "array",
      items: { kind: "object", properties: { trait: { required: true, type: { kind: "string" } }, percentage: { required: true, type: { kind: "integer" } } } },
    });

    const factors = toolParams(bfclTool("BFCL_v4_irrelevance.json", "irrelevance_44", "gene_sequencer")).find((p) => p.name === "mutation_factors")!;
    expect(factors.type).toEqual({
      kind: "array",
      items: { kind: "string", enum: ["genetic_drift", "natural_selection", "non-random_mating", "gene_flow", "mutation"] },
    });
    expect(factors.enum).toBeUndefined();

    const auth = toolParams(bfclTool("BFCL_v4_live_irrelevance.json", "live_irrelevance_7-0-7", "requests.get")).find((p) => p.name === "auth")!;
    expect(auth.type).toEqual({ kind: "tuple", items: [], rest: { kind: "string" } });

    const anyValue = toolParams(bfclTool("BFCL_v4_live_irrelevance.json", "live_irrelevance_244-47-0", "default.add_default_value"));
    expect(anyValue.map((p) => [p.name, p.type.kind])).toEqual([["dict", "object"], ["key", "string"], ["default_value", "any"]]);
  });

  it("has no tool parameters for a tool without parameters", () => {
    expect(toolParams({ name: "ping" })).toEqual([]);
    expect(toolParams({ name: "ping", parameters: { type: "object" } })).toEqual([]);
  });

  it("reads every parameter of every BFCL fixture tool with a known type", () => {
    let tools = 0;
    for (const file of readdirSync(BFCL).filter((f) => f.endsWith(".json"))) {
      for (const line of readFileSync(path.join(BFCL, file), "utf8").split("\n").filter(Boolean)) {
        for (const tool of (JSON.parse(line) as { function: Tool[] }).function) {
          tools++;
          expect(isJsonSchemaStyle(tool.parameters), tool.name).toBe(true);
          const declared = Object.keys((tool.parameters as { properties: object }).properties);
          const params = toolParams(tool);
          expect(params.map((p) => p.name)).toEqual(declared);
          for (const param of params) expect(unknownTypes(param.type), `${file} ${tool.name}.${param.name}`).toEqual([]);
        }
      }
    }
    expect(tools).toBeGreaterThan(5000);
  });
});

describe("toJsonSchema", () => {
  it("converts xLAM types to JSON Schema, keeping descriptions and meaningful defaults", () => {
    const tool: Tool = {
      name: "search",
      parameters: {
        q: { description: "Query.", type: "str", default: "" },
        limit: { description: "Max results.", type: "int, optional", default: 10 },
        score: { type: "float" },
        exact: { type: "bool, optional", default: "" },
        ids: { type: "List[int]" },
        filters: { type: "Dict[str, Any], optional" },
        point: { type: "Tuple[float, float]" },
        when: { type: "Optional[str]" },
        odd: { description: "Who knows.", type: "Widget" },
      },
    };
    expect(toJsonSchema(tool)).toEqual({
      type: "object",
      properties: {
        q: { type: "string", description: "Query." },
        limit: { type: "integer", description: "Max results.", default: 10 },
        score: { type: "number" },
        exact: { type: "boolean" },
        ids: { type: "array", items: { type: "integer" } },
        filters: { type: "object" },
        point: { type: "array", prefixItems: [{ type: "number" }, { type: "number" }], minItems: 2, maxItems: 2 },
        when: { anyOf: [{ type: "string" }, { type: "null" }] },
        odd: { description: "Who knows." },
      },
      required: ["q", "score", "ids", "point", "odd"],
    });
  });

  it("converts BFCL tools: float → number, dict → object, tuple → array, enums kept", () => {
    expect(toJsonSchema(bfclTool("BFCL_v4_live_simple.json", "live_simple_2-2-0", "uber.ride"))).toEqual({
      type: "object",
      properties: {
        loc: { type: "string", description: expect.stringContaining("starting location") },
        type: { type: "string", description: "The type of Uber ride the user is requesting.", enum: ["plus", "comfort", "black"] },
        time: { type: "integer", description: expect.stringContaining("seconds") },
      },
      required: ["loc", "type", "time"],
    });
    const requests = toJsonSchema(bfclTool("BFCL_v4_live_irrelevance.json", "live_irrelevance_7-0-7", "requests.get"));
    expect(requests.properties.timeout).toEqual({ type: "number", description: expect.any(String), default: 5 });
    expect(requests.properties.auth).toMatchObject({ type: "array", items: { type: "string" } });
    expect(requests.properties.headers).toMatchObject({
      type: "object",
      properties: { "Content-Type": { type: "string", default: "application/json" }, Authorization: { type: "string" } },
      required: [],
      default: {},
    });
    const gene = toJsonSchema(bfclTool("BFCL_v4_irrelevance.json", "irrelevance_44", "gene_sequencer"));
    expect(gene.properties.mutation_factors).toMatchObject({ type: "array", items: { type: "string", enum: expect.arrayContaining(["gene_flow"]) } });
    expect(gene.properties.mutation_rate).toMatchObject({ type: "number" });
    const anyValue = toJsonSchema(bfclTool("BFCL_v4_live_irrelevance.json", "live_irrelevance_244-47-0", "default.add_default_value"));
    expect(anyValue.properties.default_value).toEqual({ description: expect.stringContaining("any valid Python data type") });
    expect(anyValue.properties.dict).toEqual({ type: "object", properties: {}, required: [], description: expect.any(String) });
  });

  it("writes only JSON Schema type names for every BFCL fixture tool", () => {
    const valid = new Set(["string", "integer", "number", "boolean", "null", "array", "object"]);
    for (const file of readdirSync(BFCL).filter((f) => f.endsWith(".json"))) {
      for (const line of readFileSync(path.join(BFCL, file), "utf8").split("\n").filter(Boolean)) {
        for (const tool of (JSON.parse(line) as { function: Tool[] }).function) {
          const schema = toJsonSchema(tool);
          for (const name of schema.required) expect(schema.properties).toHaveProperty([name]);
          for (const type of typeNames(schema)) expect(valid, `${tool.name}: ${type}`).toContain(type);
        }
      }
    }
  });
});

function unknownTypes(type: ParamType): string[] {
  switch (type.kind) {
    case "unknown":
      return [type.raw ?? "(none)"];
    case "array":
      return unknownTypes(type.items);
    case "tuple":
      return [...type.items, ...(type.rest ? [type.rest] : [])].flatMap(unknownTypes);
    case "object":
      return [...Object.values(type.properties ?? {}).map((p) => p.type), ...(type.values ? [type.values] : [])].flatMap(unknownTypes);
    case "union":
      return type.options.flatMap(unknownTypes);
    default:
      return [];
  }
}

/** Every `type` keyword in a schema, at any depth (skipping property names, which may be "type"). */
function typeNames(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(typeNames);
  if (schema === null || typeof schema !== "object") return [];
  const record = schema as Record<string, unknown>;
  const own = typeof record.type === "string" ? [record.type] : [];
  const children = Object.entries(record).flatMap(([key, value]) =>
    key === "properties" ? Object.values(value as object).flatMap(typeNames) : key === "enum" || key === "default" ? [] : typeNames(value),
  );
  return [...own, ...children];
}

describe("hostile tool schemas", () => {
  it("reads a type string nested 5,000 deep as an unknown type instead of overflowing the stack", () => {
    const raw = `${"List[".repeat(5000)}int${"]".repeat(5000)}`;
    expect(parseTypeString(raw).type).toEqual({ kind: "unknown", raw });
  });

  it("keeps parameters called __proto__ and constructor in the JSON Schema it writes", () => {
    const tool = JSON.parse('{"name": "f", "parameters": {"type": "dict", "properties": {"__proto__": {"type": "string"}, "constructor": {"type": "integer"}}, "required": ["__proto__"]}}');
    const schema = toJsonSchema(tool);
    expect(JSON.stringify(schema)).toBe('{"type":"object","properties":{"__proto__":{"type":"string"},"constructor":{"type":"integer"}},"required":["__proto__"]}');
  });
});
